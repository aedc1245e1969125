package io.dragnet.nids;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.dragnet.nids.Sessions.session;
import static org.assertj.core.api.Assertions.assertThat;

class TestNidsModelStore
{
    @TempDir
    Path models;

    @Test
    void savesVersionsAndLoadsTheLatest()
    {
        NidsModelStore store = new NidsModelStore(models);
        assertThat(store.latest()).isEmpty();
        assertThat(store.nextVersion()).isEqualTo("v1");
        store.save(StumpModel.of(store.nextVersion()), Map.of("trees", 1));
        store.save(StumpModel.of(store.nextVersion()), Map.of("trees", 1));
        assertThat(Files.exists(models.resolve("nids/v2/model.json"))).isTrue();
        NidsModel latest = store.latest().orElseThrow();
        assertThat(latest.version()).isEqualTo("v2");
        assertThat(latest.categories()).containsExactly("DoS", "Exploits");

        SensorSession quick = session("q", "10.0.0.1", 1, "10.0.0.2", 80, "http");
        quick.measures()[0] = 0.5;
        assertThat(latest.score(quick, new ConnectionWindow().observe(quick))).isEqualTo(new NidsModel.Verdict(0.1, false, null));
        SensorSession slowAndBig = session("s", "10.0.0.1", 1, "10.0.0.2", 80, "http");
        slowAndBig.measures()[0] = 5;
        slowAndBig.measures()[SensorSession.MEASURES.indexOf("sbytes")] = 500;
        assertThat(latest.score(slowAndBig, new ConnectionWindow().observe(slowAndBig))).isEqualTo(new NidsModel.Verdict(0.8, true, "Exploits"));
    }
}
