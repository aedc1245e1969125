package io.dragnet.nids.features;

import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.data.UnswRow;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.dragnet.nids.data.Sessions.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The window features against the values the dataset's authors computed (figures quoted in nids-realtime/README.md). */
class TestFeatureAgreement
{
    @Test
    void blockCountsOnAHandMadeSequence()
    {
        SensorSession a = session("a", "10.0.0.1", 1, "10.0.0.9", 80, "http");
        SensorSession b = session("b", "10.0.0.1", 2, "10.0.0.9", 80, "http");
        SensorSession c = session("c", "10.0.0.2", 3, "10.0.0.9", 53, "dns");
        ConnectionFeatures twoHttp = new ConnectionFeatures(2, 2, 3, 2, 2, 1, 2, 0, 0, 0, 0);
        List<UnswRow> rows = List.of(new UnswRow(a, twoHttp, 0, "Normal", 0, 1), new UnswRow(b, twoHttp, 0, "Normal", 0, 2),
                new UnswRow(c, twoHttp, 0, "Normal", 0, 3));
        Map<String, Double> agreement = FeatureAgreement.checkBlocks(rows, 3);
        // a and b match every count (the later b counts for a too); c matches only ct_dst_ltm (3) and ct_dst_sport_ltm (1)
        assertThat(agreement.get("ct_srv_src")).isEqualTo(2.0 / 3);
        assertThat(agreement.get("ct_dst_ltm")).isEqualTo(1.0);
        assertThat(agreement.get("ct_dst_sport_ltm")).isEqualTo(1.0);
    }

    @Test
    void agreementWithTheRawFile()
    {
        Path raw = UnswDatasets.rawCsv();
        assumeTrue(Files.exists(raw), "raw UNSW-NB15 slice absent (neither the configured datasets nor samples/)");
        List<UnswRow> rows = UnswLoader.load(raw);
        Map<String, Double> sliding = FeatureAgreement.check(rows, FeatureAgreement.Order.LAST_TIME, ConnectionWindow.DEFAULT_SIZE);
        Map<String, Double> blocks = FeatureAgreement.checkBlocks(rows, 100);
        System.err.println("sliding window of 100 (ordered by last time): " + sliding);
        System.err.println("blocks of 100 connections: " + blocks);
        // Per-flow features reproduce exactly.
        for (String exact : List.of("ct_state_ttl", "ct_flw_http_mthd", "is_ftp_login", "ct_ftp_cmd")) {
            assertThat(sliding.get(exact)).as(exact).isEqualTo(1.0);
        }
        assertThat(sliding.get("ct_dst_sport_ltm")).isGreaterThan(0.98);
        // The dataset's ct_srv_* are counts over blocks of 100 connections, not a sliding window.
        assertThat(blocks.get("ct_srv_src")).isGreaterThan(0.9);
        assertThat(blocks.get("ct_srv_dst")).isGreaterThan(0.9);
        assertThat(sliding.get("ct_srv_src")).isLessThan(0.4);
        // No window tried reproduces ct_src_ltm / ct_dst_ltm (see README).
        assertThat(blocks.get("ct_src_ltm")).isLessThan(0.2);
    }
}
