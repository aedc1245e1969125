package io.dragnet.nids.data;

import io.dragnet.contracts.DragnetException;
import io.dragnet.nids.features.ConnectionFeatures;
import io.dragnet.nids.model.DatasetSplit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestUnswLoader
{
    private static final String PARTITIONED_HEADER = "id,dur,proto,service,state,spkts,dpkts,sbytes,dbytes,rate,sttl,dttl,sload,dload,sloss,dloss,sinpkt,dinpkt,"
            + "sjit,djit,swin,stcpb,dtcpb,dwin,tcprtt,synack,ackdat,smean,dmean,trans_depth,response_body_len,ct_srv_src,ct_state_ttl,ct_dst_ltm,"
            + "ct_src_dport_ltm,ct_dst_sport_ltm,ct_dst_src_ltm,is_ftp_login,ct_ftp_cmd,ct_flw_http_mthd,ct_src_ltm,ct_srv_dst,is_sm_ips_ports,attack_cat,label";

    @TempDir
    Path directory;

    @Test
    void readsThePartitionedLayoutWithBomAndCrlf()
            throws Exception
    {
        Path file = directory.resolve("part.csv");
        Files.writeString(file, "\ufeff" + PARTITIONED_HEADER + "\r\n"
                + "1,0.000011,udp,-,INT,2,0,496,0,90909.0902,254,0,180363632,0,0,0,0.011,0,0,0,0,0,0,0,0,0,0,248,0,0,0,2,2,1,1,1,2,0,0,0,1,2,0,Normal,0\r\n"
                + "7,1.5,tcp,http,FIN,10,8,800,1200,11.3,62,252,4000,5000,1,0,0.2,0.1,3,4,255,123,456,255,0.1,0.05,0.05,80,150,1,512,5,1,3,2,1,4,0,0,1,6,7,0, Exploits ,1\r\n",
                StandardCharsets.UTF_8);
        assertThat(UnswLoader.layout(file)).isEqualTo(UnswLoader.Layout.PARTITIONED);
        List<UnswRow> rows = UnswLoader.load(file);
        assertThat(rows).hasSize(2);
        UnswRow normal = rows.get(0);
        assertThat(normal.session().sessionId()).isEqualTo("unsw-1");
        assertThat(normal.session().proto()).isEqualTo("udp");
        assertThat(normal.attackCategory()).isEqualTo("Normal");
        assertThat(normal.label()).isZero();
        assertThat(normal.line()).isEqualTo(2);
        UnswRow attack = rows.get(1);
        assertThat(attack.attackCategory()).isEqualTo("Exploits");
        assertThat(attack.session().measure(SensorSession.MEASURES.indexOf("response_body_len"))).isEqualTo(512);
        assertThat(attack.session().measure(SensorSession.HTTP_METHODS)).isEqualTo(1);
        assertThat(attack.datasetFeatures()).isEqualTo(new ConnectionFeatures(5, 7, 3, 6, 2, 1, 4, 1, 1, 0, 0));
    }

    @Test
    void readsTheRawLayoutWithHexPortsBlanksAndPaddedCategories()
            throws Exception
    {
        Path file = directory.resolve("raw.csv");
        Files.writeString(file, "\ufeff59.166.0.0,1390,149.171.126.6,53,udp,CON,0.001055,132,164,31,29,0,0,dns,500473.9375,621800.9375,2,2,0,0,0,0,66,82,0,0,0,0,"
                + "1421927414,1421927414,0.017,0.013,0,0,0,0,0,0,0,0,3,7,1,3,1,1,1,,0\r\n"
                + "175.45.176.1,0xc0a8,149.171.126.18,-,tcp,FIN,2,1000,300,254,252,1,1,-,100,50,10,6,255,255,7,8,100,50,0,0,1,2,"
                + "1421927400,1421927402,0.2,0.3,0.1,0.05,0.05,0,1,,,2,4,5,6,7,8,9,10, Backdoors ,1\r\n", StandardCharsets.UTF_8);
        assertThat(UnswLoader.layout(file)).isEqualTo(UnswLoader.Layout.RAW);
        List<UnswRow> rows = UnswLoader.load(file);
        assertThat(rows).hasSize(2);
        UnswRow first = rows.get(0);
        assertThat(first.session().srcIp()).isEqualTo("59.166.0.0");
        assertThat(first.session().dstPort()).isEqualTo(53);
        assertThat(first.session().service()).isEqualTo("dns");
        assertThat(first.session().startMs()).isEqualTo(1_421_927_414_000L);
        assertThat(first.attackCategory()).isEqualTo("Normal");
        assertThat(first.datasetFeatures()).isEqualTo(new ConnectionFeatures(3, 7, 1, 3, 1, 1, 1, 0, 0, 0, 0));
        UnswRow second = rows.get(1);
        assertThat(second.session().srcPort()).isEqualTo(0xc0a8);
        assertThat(second.session().dstPort()).isZero();
        assertThat(second.attackCategory()).isEqualTo("Backdoor");
        assertThat(second.session().measure(SensorSession.HTTP_METHODS)).isZero();
        assertThat(second.session().measure(SensorSession.FTP_COMMANDS)).isEqualTo(2);
        // rate, absent from the raw files, as the partitioned files define it: (spkts + dpkts - 1) / dur
        assertThat(second.session().measure(SensorSession.MEASURES.indexOf("rate"))).isEqualTo(7.5);
        assertThat(second.datasetFeatures().ctStateTtl()).isEqualTo(1);
    }

    @Test
    void reportsFileAndLineOfBadInput()
            throws Exception
    {
        Path file = directory.resolve("bad.csv");
        Files.writeString(file, PARTITIONED_HEADER + "\n1,abc,udp,-,INT,2,0,496,0,9,254,0,1,0,0,0,0.011,0,0,0,0,0,0,0,0,0,0,248,0,0,0,2,2,1,1,1,2,0,0,0,1,2,0,Normal,0\n");
        assertThatThrownBy(() -> UnswLoader.load(file))
                .isInstanceOf(DragnetException.class)
                .hasMessage(file + ":2: column 2 (dur): expected a number, found 'abc'");
        Files.writeString(file, "1,2,3\n");
        assertThatThrownBy(() -> UnswLoader.load(file)).hasMessage(file + ":1: expected 49 comma-separated columns, found 3");
    }

    @Test
    void readsTheRealFiles()
    {
        Path partitioned = UnswDatasets.trainingCsv();
        Path raw = UnswDatasets.rawCsv();
        Assumptions.assumeTrue(Files.exists(partitioned) && Files.exists(raw), "UNSW-NB15 files absent (neither the configured datasets nor samples/)");
        List<UnswRow> rows = UnswLoader.load(partitioned);
        boolean full = rows.size() > 10_000;
        assertThat(rows).hasSize(full ? 82_332 : 4_117);
        if (full) {
            assertThat(rows.stream().filter(row -> row.label() == 1).count()).isEqualTo(45_332);
            assertThat(rows.stream().filter(row -> row.attackCategory().equals("Worms")).count()).isEqualTo(44);
            assertThat(DatasetSplit.deduplicate(rows)).hasSize(82_332 - 26_387);
        }
        assertThat(rows).allMatch(row -> (row.label() == 0) == row.attackCategory().equals(UnswRow.NORMAL));
        List<UnswRow> rawRows = UnswLoader.load(raw);
        assertThat(rawRows).hasSize(3_000);
        assertThat(rawRows.stream().filter(row -> row.label() == 1).count()).isEqualTo(98);
        assertThat(rawRows.stream().map(row -> row.session().srcIp()).distinct().count()).isEqualTo(20);
    }
}
