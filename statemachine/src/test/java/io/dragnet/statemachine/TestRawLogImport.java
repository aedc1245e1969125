package io.dragnet.statemachine;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.ImportSpec;
import io.dragnet.contracts.Json;
import io.dragnet.rules.GenerateJobsHandler;
import io.dragnet.rules.SourceCatalog;
import io.dragnet.sparkjobs.lake.ImportSummary;
import io.dragnet.sparkjobs.lake.ZeekLakeImporter;
import io.dragnet.statemachine.local.SparkEngine;
import io.dragnet.storage.OwnerOnly;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.MutableClock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily run's import step for real: the deployed definition on the local executor and a local Spark "cluster", the
 * real GenerateJobs over the sample rules and the real {@code LakeImportJob}, over the sample Zeek day laid out as a raw
 * location ({@code <raw>/2018-11-02/}, one log gzipped and rotated). The lake it writes must be what
 * {@code dragnet lake import} writes from the same files (same parts, same records, typed Parquet), and every job must
 * find its day imported when it runs.
 */
@Tag("integration")
final class TestRawLogImport
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");

    @TempDir
    Path temp;

    @Test
    void theFirstStepOfTheDailyRunImportsTheRawDayAsLakeImportDoesBeforeAnyJobReadsIt()
            throws IOException
    {
        Path samples = RepositoryPaths.samples().resolve("zeek");
        Path raw = temp.resolve("raw");
        Path rawDay = OwnerOnly.createDirectories(raw.resolve(DAY.toString()));
        Files.copy(samples.resolve("dns.log"), rawDay.resolve("dns.log"));
        Files.copy(samples.resolve("http.log"), rawDay.resolve("http.log"));
        Files.copy(samples.resolve("ssl.log"), rawDay.resolve("ssl.00:00:00-01:00:00.log"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(rawDay.resolve("conn.00:00:00-01:00:00.log.gz")))) {
            Files.copy(samples.resolve("conn.log"), out);
        }
        Files.writeString(rawDay.resolve("README.txt"), "not a log\n");

        Path definition = temp.resolve("daily-run.asl.json");
        Files.writeString(definition, Files.readString(TestDailyRun.repositoryDefinition())
                .replace("io.dragnet.sparkjobs.ExtractionJob", FakeHandlers.LakeRecordingStepMain.class.getName())
                .replace("io.dragnet.sparkjobs.CorrelationJob", FakeHandlers.LakeRecordingStepMain.class.getName())
                .replace("io.dragnet.nids.CompactionJob", FakeHandlers.CompactionMain.class.getName()));
        LocalBindings bindings = LocalBindings.defaults()
                .withLambda("GenerateJobsFunctionArn", GenerateJobsHandler.class.getName())
                .withLambda("PublishFunctionArn", FakeHandlers.Publish.class.getName())
                .withLambda("RecordRunCostFunctionArn", FakeHandlers.RecordRunCost.class.getName());
        DragnetHome home = new DragnetHome(temp.resolve("home"));
        StringWriter timeline = new StringWriter();
        FakeHandlers.LakeRecordingStepMain.FILES_SEEN.clear();
        MutableClock clock = new MutableClock(Instant.parse("2018-11-03T02:30:00Z"));
        DailyRun run = new DailyRun(bindings, new SparkEngine("local[2]"), false, new RecordingSleeper(clock), clock, new PrintWriter(timeline, true),
                resources -> resources);

        ExecutionResult result = run.run(home, DAY, definition, Map.of(
                "rulesLocation", RepositoryPaths.samples().resolve("rules").toUri().toString(),
                "rawLocation", raw.toUri().toString()));

        assertThat(result.status()).as(timeline + "\n" + result.cause()).isEqualTo("SUCCEEDED");
        assertThat(result.leakedClusters()).isEmpty();
        assertThat(result.problems()).as("only the sources no raw log holds have no data")
                .allSatisfy(problem -> assertThat(problem).containsAnyOf("source nids_verdicts has no data", "source zeek_files has no data"));

        // the lake the step wrote is the one dragnet lake import writes from the same folder
        Path expected = temp.resolve("expected-lake");
        ImportSummary direct = new ZeekLakeImporter(SourceCatalog.builtIn().schemas()).importLogs(raw, expected, ZeekLakeImporter.Selection.ALL);
        assertThat(direct.records()).isEqualTo(400 + 250 + 232 + 250);
        assertThat(parts(home.lake())).isEqualTo(parts(expected)).containsKeys(
                "zeek_conn/dt=2018-11-02", "zeek_dns/dt=2018-11-02", "zeek_http/dt=2018-11-02", "zeek_ssl/dt=2018-11-02");
        for (Path part : parquetFiles(home.lake())) {
            assertThat(OwnerOnly.isOwnerOnly(part)).as(part.toString()).isTrue();
            assertThat(Files.mismatch(part, expected.resolve(home.lake().relativize(part)))).as("byte-identical to lake import's " + part).isEqualTo(-1L);
        }

        // every extraction job found its day as imported Parquet when it ran
        Map<String, List<String>> seen = FakeHandlers.LakeRecordingStepMain.FILES_SEEN;
        assertThat(seen.keySet()).anySatisfy(spec -> assertThat(spec).endsWith("/zeek_conn.json"))
                .anySatisfy(spec -> assertThat(spec).endsWith("/zeek_ssl.json"));
        seen.forEach((spec, files) -> {
            if (!spec.endsWith("correlations.json")) {
                assertThat(files).as(spec).isNotEmpty().allSatisfy(file -> assertThat(file).endsWith(".parquet"));
            }
        });
        ImportSpec spec = Json.read(Path.of(java.net.URI.create(home.work().toUri() + "jobs/dt=2018-11-02/run=" + result.output().path("runId").asText() + "/_import.json")),
                ImportSpec.class);
        assertThat(spec.sources()).containsKeys("zeek_conn", "zeek_dns");
        ClusterRecord cluster = Json.read(home.results().resolve("clusters").resolve(result.clusterId() + ".json"), ClusterRecord.class);
        assertThat(cluster.steps().get(0).name()).as("the cluster's first step").startsWith("import raw zeek dt=2018-11-02");
        assertThat(cluster.steps().get(0).state()).isEqualTo("COMPLETED");
    }

    /** Every part under a lake, by partition: {source/dt=day: [part names]}. */
    private static Map<String, List<String>> parts(Path lake)
            throws IOException
    {
        Map<String, List<String>> parts = new TreeMap<>();
        for (Path part : parquetFiles(lake)) {
            parts.computeIfAbsent(lake.relativize(part.getParent()).toString(), key -> new ArrayList<>()).add(part.getFileName().toString());
        }
        return parts;
    }

    private static List<Path> parquetFiles(Path lake)
            throws IOException
    {
        try (Stream<Path> walk = Files.walk(lake)) {
            return walk.filter(path -> path.toString().endsWith(".parquet")).sorted().toList();
        }
    }
}
