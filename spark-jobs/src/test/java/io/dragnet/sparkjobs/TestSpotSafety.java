package io.dragnet.sparkjobs;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.contracts.VerdictColumns;
import io.dragnet.sparkjobs.sink.InMemoryDocumentSink;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A job that dies midway (after its first output is written, and again later) and is re-run leaves exactly the
 * outputs of an uninterrupted run: documents, CSV summaries, metrics counts, indexed documents. Also covers the
 * enrichments that need earlier outputs (first/last seen) and the day's NIDS verdicts.
 */
@Tag("integration")
class TestSpotSafety
{
    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @Test
    void killedAndRerunJobLeavesTheSameOutputsAsAnUninterruptedRun(@TempDir Path temp)
            throws IOException
    {
        Path lake = temp.resolve("lake");
        Path day = TestSpecs.lakeDay(lake, "zeek_conn", RepositoryPaths.samples().resolve("zeek/conn.log"), false);
        writeVerdicts(lake.resolve("nids_verdicts/dt=" + TestSpecs.DATE));
        Path history = temp.resolve("history");
        JobSpec earlier = withDate(TestSpecs.conn(day, history, lake, temp.resolve("work"), null), "2018-11-01", history, history);
        new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), earlier);
        TestSpecs.publish(history, "2018-11-01", earlier.runId());

        JobSpec clean = withHistory(TestSpecs.conn(day, temp.resolve("clean"), lake, temp.resolve("work"), "dragnet"), history);
        RunMetrics expected = new ExtractionJob(InMemoryDocumentSink.factory("spot-clean"), StageListener.NONE).execute(SPARK.session(), clean);

        JobSpec interrupted = withHistory(TestSpecs.conn(day, temp.resolve("interrupted"), lake, temp.resolve("work"), "dragnet"), history);
        for (String stage : List.of("documents")) {
            ExtractionJob dying = new ExtractionJob(InMemoryDocumentSink.factory("spot-interrupted"), completed -> {
                if (completed.equals(stage)) {
                    throw new IllegalStateException("spot instance reclaimed after " + stage);
                }
            });
            assertThatThrownBy(() -> dying.execute(SPARK.session(), interrupted)).hasMessageContaining("reclaimed");
        }
        RunMetrics rerun = new ExtractionJob(InMemoryDocumentSink.factory("spot-interrupted"), StageListener.NONE).execute(SPARK.session(), interrupted);

        assertThat(withoutDurations(rerun)).isEqualTo(withoutDurations(expected));
        assertThat(withoutDurations(Json.read(path(interrupted.outputs().metrics()), RunMetrics.class))).isEqualTo(withoutDurations(expected));
        assertThat(rows(interrupted.outputs().documents())).isEqualTo(rows(clean.outputs().documents()))
                .hasSize((int) expected.matchedPerRule().values().stream().mapToLong(Long::longValue).sum());
        assertThat(files(path(interrupted.outputs().summaries()))).isEqualTo(files(path(clean.outputs().summaries())));
        assertThat(InMemoryDocumentSink.contents("spot-interrupted")).isEqualTo(InMemoryDocumentSink.contents("spot-clean"));
        assertThat(Files.list(path(clean.outputs().documents()).getParent()).map(file -> file.getFileName().toString()))
                .as("no staging left behind").containsExactly("zeek_conn");

        Dataset<Row> documents = SPARK.session().read().parquet(clean.outputs().documents());
        Row c2 = documents.where("`rule.id` = 'trickbot-449' AND `source.port` = 52031 AND `destination.ip` = '76.181.182.166'").orderBy("`@timestamp`").first();
        assertThat(c2.<Double>getAs("nids.score")).as("highest verdict of the 5-tuple").isEqualTo(0.97);
        assertThat(c2.<String>getAs("nids.attack_category")).isEqualTo("Backdoor");
        assertThat(c2.<Timestamp>getAs("dragnet.first_seen")).as("seen on 2018-11-01's run").isNotNull();
        assertThat(c2.<Timestamp>getAs("dragnet.last_seen")).isNotNull();
        assertThat(documents.where("`rule.id` = 'c2-ip-feed'").where("`dragnet.first_seen` IS NOT NULL").count()).as("rule did not ask for first_last_seen").isZero();
    }

    private static void writeVerdicts(Path directory)
    {
        StructType schema = new StructType(new StructField[] {
                DataTypes.createStructField(VerdictColumns.SESSION_ID, DataTypes.StringType, false),
                DataTypes.createStructField(VerdictColumns.SRC_IP, DataTypes.StringType, false),
                DataTypes.createStructField(VerdictColumns.SRC_PORT, DataTypes.LongType, false),
                DataTypes.createStructField(VerdictColumns.DST_IP, DataTypes.StringType, false),
                DataTypes.createStructField(VerdictColumns.DST_PORT, DataTypes.LongType, false),
                DataTypes.createStructField(VerdictColumns.PROTO, DataTypes.StringType, false),
                DataTypes.createStructField(VerdictColumns.SCORE, DataTypes.DoubleType, false),
                DataTypes.createStructField(VerdictColumns.PREDICTED_MALICIOUS, DataTypes.BooleanType, false),
                DataTypes.createStructField(VerdictColumns.ATTACK_CATEGORY, DataTypes.StringType, true),
        });
        List<Row> rows = List.of(
                RowFactory.create("s1", "172.16.9.233", 52031L, "76.181.182.166", 449L, "TCP", 0.2, false, null),
                RowFactory.create("s2", "172.16.9.233", 52031L, "76.181.182.166", 449L, "tcp", 0.97, true, "Backdoor"),
                RowFactory.create("s3", "10.0.0.1", 1L, "10.0.0.2", 2L, "udp", 0.99, true, "DoS"));
        SPARK.session().createDataFrame(rows, schema).coalesce(1).write().parquet(directory.toUri().toString());
    }

    private static JobSpec withHistory(JobSpec spec, Path history)
    {
        Map<String, String> enrichment = new HashMap<>(spec.enrichmentData());
        enrichment.put("history", history.resolve("documents").toUri().toString());
        enrichment.put("published", history.resolve("published").toUri().toString());
        return new JobSpec(spec.specVersion(), spec.runId(), spec.date(), spec.source(), spec.rules(), spec.iocTables(), enrichment, spec.outputs());
    }

    private static JobSpec withDate(JobSpec spec, String date, Path results, Path history)
    {
        String source = spec.source().name();
        String run = "run-0000";
        JobSpec.Outputs outputs = new JobSpec.Outputs(null, results.resolve("summaries/dt=" + date + "/run=" + run).toUri().toString(),
                results.resolve("runs/dt=" + date + "/run=" + run + "/" + source + ".metrics.json").toUri().toString(),
                results.resolve("rejects/dt=" + date + "/run=" + run + "/" + source).toUri().toString(),
                results.resolve(TestSpecs.documents(date, run, source)).toUri().toString());
        JobSpec dated = new JobSpec(spec.specVersion(), run, date, spec.source(), spec.rules(), spec.iocTables(), spec.enrichmentData(), outputs);
        return withHistory(dated, history);
    }

    private static RunMetrics withoutDurations(RunMetrics metrics)
    {
        return new RunMetrics(metrics.runId(), metrics.date(), metrics.source(), metrics.recordsRead(), metrics.recordsRejected(), metrics.recordsMatched(),
                metrics.bytesRead(), metrics.matchedPerRule(), metrics.documentsPerIndex(),
                metrics.stages().stream().map(stage -> new RunMetrics.Stage(stage.name(), 0, stage.records())).toList(), 0);
    }

    private static List<String> rows(String location)
    {
        return SPARK.session().read().parquet(location).toJSON().collectAsList().stream().sorted().toList();
    }

    private static Map<String, String> files(Path root)
            throws IOException
    {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                contents.put(root.relativize(file).toString(), Files.readString(file));
            }
        }
        return contents;
    }

    private static Path path(String uri)
    {
        return Path.of(URI.create(uri));
    }
}
