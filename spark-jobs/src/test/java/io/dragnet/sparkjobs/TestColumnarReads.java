package io.dragnet.sparkjobs;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.sparkjobs.internal.SourceReader;
import io.dragnet.sparkjobs.internal.SourceScan;
import io.dragnet.sparkjobs.internal.Storage;
import io.dragnet.sparkjobs.lake.ZeekLakeImporter;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A day imported as Parquet is read only in the columns the job's rules need: the physical plan's ReadSchema lists
 * those and no other, and the job finds the same hits with the same documents as over the raw TSV day.
 */
@Tag("integration")
class TestColumnarReads
{
    private static final List<String> OUTPUT_FIELDS = List.of("id.orig_h", "id.resp_h", "id.resp_p", "duration");

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @Test
    void anImportedDayIsReadInTheColumnsTheRulesNeedWithTheSameHitsAsTheTextDay(@TempDir Path temp)
            throws IOException
    {
        Path textDay = TestSpecs.lakeDay(temp.resolve("text-lake"), "zeek_conn", RepositoryPaths.samples().resolve("zeek/conn.log"), false);
        assertThat(new ZeekLakeImporter(Map.of()).importLogs(textDay, temp.resolve("parquet-lake"), ZeekLakeImporter.Selection.ALL).complete()).isTrue();
        Path parquetDay = temp.resolve("parquet-lake/zeek_conn/dt=" + TestSpecs.DATE);
        JobSpec text = withOutputFields(TestSpecs.conn(textDay, temp.resolve("results-text"), temp.resolve("text-lake"), temp.resolve("work"), null));
        JobSpec parquet = withOutputFields(TestSpecs.conn(parquetDay, temp.resolve("results-parquet"), temp.resolve("parquet-lake"), temp.resolve("work"), null));

        SourceScan scan = SourceReader.read(SPARK.session(), new Storage(SPARK.session().sparkContext().hadoopConfiguration()), parquet);

        // conn.log has 22 fields; the rules filter on id.resp_h, id.orig_h, id.resp_p and service, the documents show
        // the ECS fields conn has, the time field and the rules' output fields
        List<String> expected = List.of("ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service", "duration");
        assertThat(scan.pruned()).isTrue();
        assertThat(scan.schema().keySet()).containsExactlyElementsOf(expected);
        assertThat(readSchema(scan)).containsExactlyInAnyOrderElementsOf(expected).doesNotContain("orig_bytes", "history", "conn_state");

        RunMetrics fromText = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), text);
        RunMetrics fromParquet = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), parquet);
        assertThat(fromParquet.recordsRead()).isEqualTo(fromText.recordsRead()).isEqualTo(400);
        assertThat(fromParquet.matchedPerRule()).isEqualTo(fromText.matchedPerRule()).containsEntry("trickbot-449", 9L);
        assertThat(documents(parquet)).isEqualTo(documents(text)).hasSize(fromText.matchedPerRule().values().stream().mapToInt(Long::intValue).sum());

        // a rule that keeps the whole record in event.original needs every column
        JobSpec wholeRecord = TestSpecs.conn(parquetDay, temp.resolve("results-whole"), temp.resolve("parquet-lake"), temp.resolve("work"), null);
        SourceScan everything = SourceReader.read(SPARK.session(), new Storage(SPARK.session().sparkContext().hadoopConfiguration()), wholeRecord);
        assertThat(everything.pruned()).isFalse();
        assertThat(readSchema(everything)).hasSize(22).contains("orig_bytes", "history");
    }

    private static JobSpec withOutputFields(JobSpec spec)
    {
        List<JobSpec.RuleSpec> rules = spec.rules().stream()
                .map(rule -> new JobSpec.RuleSpec(rule.id(), rule.title(), rule.topic(), rule.severity(), rule.tags(), rule.predicate(), rule.timeWindow(),
                        rule.enrich(), OUTPUT_FIELDS, rule.summaryGroupBy()))
                .toList();
        return new JobSpec(spec.specVersion(), spec.runId(), spec.date(), spec.source(), rules, spec.iocTables(), spec.enrichmentData(), spec.outputs());
    }

    /** The columns the Parquet scan of the physical plan reads (its ReadSchema). */
    private static List<String> readSchema(SourceScan scan)
    {
        List<String> read = scala.collection.JavaConverters.seqAsJavaList(scan.rows().queryExecution().sparkPlan().collectLeaves()).stream()
                .filter(FileSourceScanExec.class::isInstance)
                .map(FileSourceScanExec.class::cast)
                .flatMap(scanNode -> List.of(scanNode.requiredSchema().fieldNames()).stream())
                .toList();
        assertThat(read).as("the columns of the plan's Parquet scan").isNotEmpty();
        return read;
    }

    /** The documents' rule, time, addresses, ports and event.original, sorted. */
    private static List<String> documents(JobSpec spec)
    {
        return SPARK.session().read().parquet(spec.outputs().documents())
                .selectExpr("concat_ws('|', `rule.id`, cast(`@timestamp` as string), `source.ip`, cast(`destination.port` as string), `event.id`, `event.original`)")
                .collectAsList().stream().map((Row row) -> row.getString(0)).sorted().toList();
    }
}
