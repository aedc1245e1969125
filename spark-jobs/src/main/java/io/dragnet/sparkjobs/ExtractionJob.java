package io.dragnet.sparkjobs;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.contracts.StepArguments;
import io.dragnet.sparkjobs.internal.AggregateHistory;
import io.dragnet.sparkjobs.internal.AggregateStage;
import io.dragnet.sparkjobs.internal.Columns;
import io.dragnet.sparkjobs.internal.Enrichments;
import io.dragnet.sparkjobs.internal.ExtractionOutputs;
import io.dragnet.sparkjobs.internal.ExtractionStages;
import io.dragnet.sparkjobs.internal.RuleSummary;
import io.dragnet.sparkjobs.internal.SourceReader;
import io.dragnet.sparkjobs.internal.SourceScan;
import io.dragnet.sparkjobs.internal.StoredAggregateHistory;
import io.dragnet.sparkjobs.internal.Storage;
import io.dragnet.sparkjobs.sink.DocumentSinkFactory;
import io.dragnet.sparkjobs.sink.RunIndexWriter;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Runs one {@link JobSpec}: reads the source day, evaluates every rule in one pass (each kept row carries the ids of
 * the rules it matched), enriches, and writes documents (Parquet), CSV summaries per rule, rejects, the run metrics
 * and, when an index prefix and a sink are configured, the documents into a fresh run index per topic.
 *
 * <p>Spot safety: every output is built in a staging location and swapped or renamed into place (on object stores,
 * directory outputs are committed by a manifest, see {@link DirectoryCommit}), and every value is a function of the
 * inputs (document ids are content hashes), so a job killed at any point and run again leaves the same documents,
 * CSVs and metrics counts as an uninterrupted run.
 *
 * <p>The stages are functions of their inputs ({@link ExtractionStages}); {@link ExtractionOutputs} and
 * {@link RunIndexWriter} do every read and write; this class runs them in order and times them.
 *
 * <p>EMR step: {@code spark-submit --class io.dragnet.sparkjobs.ExtractionJob <jar> --spec <uri>}.
 */
public final class ExtractionJob
{
    private final DocumentSinkFactory sinks;
    private final StageListener listener;

    /** @param sinks where documents are indexed, or null to skip indexing */
    public ExtractionJob(DocumentSinkFactory sinks, StageListener listener)
    {
        this.sinks = sinks;
        this.listener = requireNonNull(listener, "listener is null");
    }

    public static void main(String[] args)
    {
        String specLocation = StepArguments.value(args, "--spec", "ExtractionJob --spec <uri of a job spec JSON>");
        SparkSession spark = SparkSession.builder().appName("dragnet-extraction").getOrCreate();
        JobSpec spec = readSpec(spark, specLocation);
        RunMetrics metrics = run(spark, spec);
        // One line in the step's stdout log (EMR keeps it); the full metrics file is in outputs.metrics.
        System.out.println("dragnet extraction metrics: " + Json.writeCompact(metrics));
    }

    /**
     * Runs with the OpenSearch sink of the environment ({@link DocumentSinks#fromEnvironment}) when the spec asks for
     * an index; OpenSearch explicitly disabled skips it (and says so in the metrics), nothing configured fails.
     */
    public static RunMetrics run(SparkSession spark, JobSpec spec)
    {
        DocumentSinkFactory sinks = spec.outputs().opensearchIndexPrefix() == null ? null : DocumentSinks.fromEnvironment().orElse(null);
        return new ExtractionJob(sinks, StageListener.NONE).execute(spark, spec);
    }

    public static JobSpec readSpec(SparkSession spark, String location)
    {
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        Path path = Storage.path(location);
        try (InputStream in = storage.fileSystem(path).open(path)) {
            return Json.mapper().readValue(new String(in.readAllBytes(), StandardCharsets.UTF_8), JobSpec.class);
        }
        catch (IOException e) {
            throw DragnetException.user("cannot read job spec " + location + ": " + e.getMessage());
        }
    }

    /** Runs the stages in order, timing each; the listener hears of each stage once its outputs are written. */
    public RunMetrics execute(SparkSession spark, JobSpec spec)
    {
        long started = System.nanoTime();
        ExtractionStages.day(spec); // a bad date fails before any work
        ExtractionOutputs outputs = new ExtractionOutputs(spark, spec);
        JobSpec.Outputs targets = spec.outputs();
        outputs.clearStaging();
        StageTimer timer = new StageTimer();

        // 1. scan: parse (a Parquet day: only the columns the rules need), IoC joins, all rules in one pass; keep matched records, rejects and tallies,
        //    and, from the same pass, every aggregate rule's windows (one exchange, see AggregateStage.withWindows)
        SourceScan scan = SourceReader.read(spark, outputs.storage(), spec);
        ExtractionStages.Selection selection = ExtractionStages.select(spark, spec, scan, outputs.iocTables(spec));
        if (!selection.aggregateRules().isEmpty() && targets.aggregates() == null) {
            throw DragnetException.user("job spec for " + spec.source().name() + ": aggregate rules need outputs.aggregates");
        }
        StoredAggregateHistory aggregateHistory = selection.aggregateRules().isEmpty() ? null : outputs.aggregateHistory(spec);
        Dataset<Row> scanOutput = outputs.scan(ExtractionStages.scanOutput(selection, spec, aggregateHistory == null ? AggregateHistory.NONE : aggregateHistory,
                selection.aggregateRules().isEmpty() ? null : previousDayTail(spark, outputs, spec)));
        Dataset<Row> scanned = ExtractionStages.scanned(scanOutput, selection);
        ExtractionStages.Counts counts = ExtractionStages.count(scanned, scan, spec);
        Map<String, Long> matchedPerRule = new TreeMap<>(counts.matchedPerRule());
        timer.completed("scan", counts.read());

        // 2. rejects, with the reason, never silently dropped
        if (targets.rejects() != null) {
            outputs.rejects(ExtractionStages.rejects(spark, scanned, counts), targets.rejects());
        }
        timer.completed("rejects", counts.rejected());

        // 3. enrich and build one document per (rule, record)
        Enrichments enrichments = new Enrichments(spark, outputs.storage(), spec);
        Dataset<Row> history = Enrichments.requested(spec).contains("first_last_seen") ? outputs.earlierDocuments(spec) : null;
        Dataset<Row> documents = outputs.documents(ExtractionStages.documents(spark, scanned, enrichments, selection, spec, scan, history), targets.documents());
        timer.completed("documents", documents.count());

        // 4. aggregate rules: their windows came out of the scan; one hit per (rule, group, window)
        long aggregateHits = 0;
        Dataset<Row> aggregates = null;
        Dataset<Row> windows = null;
        if (!selection.aggregateRules().isEmpty()) {
            windows = AggregateStage.windows(scanOutput, spec, selection.mapping());
            aggregates = outputs.aggregates(ExtractionStages.aggregateHits(windows, enrichments), targets.aggregates());
            for (Row row : aggregates.groupBy(Columns.field("rule.id")).count().collectAsList()) {
                matchedPerRule.put(row.getString(0), row.getLong(1));
                aggregateHits += row.getLong(1);
            }
        }
        timer.completed("aggregates", aggregateHits);

        // 5. CSV summaries per rule
        List<RuleSummary> summaries = ExtractionStages.summaries(documents, aggregates, spec);
        if (targets.summaries() != null) {
            outputs.summaries(summaries, targets.summaries());
        }
        timer.completed("summaries", summaries.size());

        // 6. OpenSearch: a fresh run index per topic; Publish switches the aliases once every job of the run is done
        Map<String, Long> documentsPerIndex = new TreeMap<>();
        if (targets.opensearchIndexPrefix() != null && sinks != null) {
            documentsPerIndex = new RunIndexWriter(sinks).write(documents, aggregates, spec);
        }
        // a skipped index write is visible in the metrics, never silent
        String indexStage = targets.opensearchIndexPrefix() == null ? "opensearch (not requested)"
                : sinks == null ? "opensearch (skipped: disabled)" : "opensearch";
        timer.completed(indexStage, "opensearch", documentsPerIndex.values().stream().mapToLong(Long::longValue).sum());

        // 7. the day's values and windows for later days' history measures, once everything else is written
        if (windows != null || !AggregateStage.newValueFields(spec).isEmpty()) {
            outputs.recordAggregateHistory(spec, scanned, windows);
        }

        RunMetrics metrics = new RunMetrics(spec.runId(), spec.date(), spec.source().name(), counts.read(), counts.rejected(), counts.matchedRecords(),
                scan.bytes(), matchedPerRule, documentsPerIndex, timer.stages, millisSince(started));
        if (targets.metrics() != null) {
            outputs.metrics(metrics, targets.metrics());
        }
        listener.completed("metrics");
        outputs.clearStaging();
        return metrics;
    }

    /**
     * The previous day's records that sliding windows starting before the day read, or null when no rule reads them.
     * A missing previous day fails the job rather than reporting windows with part of their records.
     */
    private static Dataset<Row> previousDayTail(SparkSession spark, ExtractionOutputs outputs, JobSpec spec)
    {
        String location = AggregateStage.previousDayLocation(spec).orElse(null);
        if (location == null) {
            return null;
        }
        if (!outputs.storage().exists(location) || outputs.storage().listDataFiles(location).isEmpty()) {
            List<String> readers = AggregateStage.rules(spec).stream().filter(rule -> rule.aggregate().previousDayLocation() != null).map(JobSpec.RuleSpec::id).toList();
            throw DragnetException.user("source " + spec.source().name() + " has no data for the day before " + spec.date() + " at " + location + ", which rules "
                    + readers + " read for their sliding windows that start before the day; expected that partition (import or replay the previous day first), "
                    + "or 'previous_day: ignore' in those rules to leave such windows out");
        }
        SourceScan previousDay = SourceReader.read(spark, outputs.storage(), spec.withSourceLocation(location));
        return ExtractionStages.previousDayTail(spark, spec, previousDay, outputs.iocTables(spec));
    }

    /** Times consecutive stages: each runs from the end of the one before (or from its creation) to its completion. */
    private final class StageTimer
    {
        private final List<RunMetrics.Stage> stages = new ArrayList<>();
        private long stageStart = System.nanoTime();

        void completed(String stage, long records)
        {
            completed(stage, stage, records);
        }

        void completed(String metricsName, String listenerName, long records)
        {
            stages.add(new RunMetrics.Stage(metricsName, millisSince(stageStart), records));
            listener.completed(listenerName);
            stageStart = System.nanoTime();
        }
    }

    private static long millisSince(long nanos)
    {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
