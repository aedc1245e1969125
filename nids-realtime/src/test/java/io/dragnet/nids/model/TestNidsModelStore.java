package io.dragnet.nids.model;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.features.ConnectionWindow;
import io.dragnet.storage.OwnerOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.dragnet.nids.data.Sessions.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(scoreSlowAndBig(latest)).isEqualTo(new NidsModel.Verdict(0.8, true, "Exploits"));
    }

    @Test
    void savedModelsAreOwnerOnly()
            throws Exception
    {
        NidsModelStore store = new NidsModelStore(models);
        store.save(StumpModel.of(store.nextVersion()), Map.of("trees", 1));
        store.save(StumpModel.of(store.nextVersion()), Map.of("trees", 1));
        try (java.util.stream.Stream<Path> paths = Files.walk(models.resolve("nids"))) {
            List<Path> written = paths.toList();
            assertThat(written).extracting(path -> models.relativize(path).toString()).contains("nids", "nids/LATEST", "nids/v2/model.json", "nids/v2/binary.forest");
            assertThat(written).allSatisfy(path -> assertThat(OwnerOnly.isOwnerOnly(path)).as(path + " " + java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(path))).isTrue());
        }
    }

    @Test
    void aModelKeepsItsFeatureSet()
            throws Exception
    {
        NidsModelStore store = new NidsModelStore(models);
        store.save(StumpModel.of("v1", FeatureSet.REPRODUCIBLE), Map.of("features", "reproducible"));
        assertThat(Json.read(models.resolve("nids/v1/model.json"), NidsModelStore.Manifest.class).features()).isEqualTo(FeatureSet.REPRODUCIBLE.names());
        NidsModel loaded = store.latest().orElseThrow();
        assertThat(loaded.features().featureSet()).isEqualTo(FeatureSet.REPRODUCIBLE);
        assertThat(scoreSlowAndBig(loaded)).isEqualTo(new NidsModel.Verdict(0.8, true, "Exploits"));
    }

    @Test
    void aFeatureListOfNoKnownSetIsRefusedNamingTheFile()
            throws Exception
    {
        NidsModelStore store = new NidsModelStore(models);
        store.save(StumpModel.of("v1"), Map.of());
        Path manifest = models.resolve("nids/v1/model.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"dur\", ", ""));
        assertThatThrownBy(() -> store.load("v1"))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining(manifest.toString())
                .hasMessageContaining("none of this build's feature sets")
                .hasMessageContaining("reproducible [dur");
    }

    @Test
    void aForestReadingAnotherNumberOfFeaturesIsRefused()
    {
        NidsModel all = StumpModel.of("v1", FeatureSet.ALL);
        ModelFeatures reproducible = new ModelFeatures(FeatureSet.REPRODUCIBLE, Map.of(), Map.of(), Map.of());
        assertThatThrownBy(() -> new NidsModel("v1", reproducible, all.binary(), all.category(), all.categories(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reads 42 features, the reproducible feature set has 36");
    }

    /** A long session with many bytes: the stumps say malicious, category Exploits. */
    private static NidsModel.Verdict scoreSlowAndBig(NidsModel model)
    {
        SensorSession slowAndBig = session("s", "10.0.0.1", 1, "10.0.0.2", 80, "http");
        slowAndBig.measures()[0] = 5;
        slowAndBig.measures()[SensorSession.MEASURES.indexOf("sbytes")] = 500;
        return model.score(slowAndBig, new ConnectionWindow().observe(slowAndBig));
    }

    @Test
    void aModelDescribesItsFeatureSetAndItsFiguresOnTheStreamsPath()
    {
        NidsModel stump = StumpModel.of("v3", FeatureSet.REPRODUCIBLE);
        NidsModel measured = new NidsModel("v3", stump.features(), stump.binary(), stump.category(), stump.categories(),
                Map.of("stream_path", new ClassificationMetrics(30, 2, 60, 8).toMap()));
        assertThat(measured.describe()).isEqualTo("v3 (reproducible features; on the stream's path accuracy 0.900, FPR 0.032)");
        assertThat(StumpModel.of("v1").describe()).startsWith("v1 (all features); it reads six window counts the stream computes otherwise")
                .contains("dragnet nids train");
    }
}
