package io.dragnet.sparkjobs;

import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.contracts.StepArguments;
import io.dragnet.sparkjobs.internal.Columns;
import io.dragnet.sparkjobs.internal.CorrelationStage;
import io.dragnet.sparkjobs.internal.DirectoryCommit;
import io.dragnet.sparkjobs.internal.Documents;
import io.dragnet.sparkjobs.internal.RuleSummary;
import io.dragnet.sparkjobs.internal.Storage;
import io.dragnet.sparkjobs.internal.Summaries;
import io.dragnet.sparkjobs.internal.SummaryCsv;
import io.dragnet.sparkjobs.sink.DocumentSinkFactory;
import io.dragnet.sparkjobs.sink.RunIndexWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

/**
 * Runs a {@link CorrelationSpec} after every extraction job of a run: reads the day's hits of the correlated rules
 * (record documents, aggregate hits; never a source), and for rules that read the previous day that day's hits from
 * midnight minus the timespan, computes each correlation in the spec's order (a correlation over a correlation reads the
 * hits computed just before), writes one hit per (rule, group, window) as Parquet, committed whole, a CSV summary per
 * rule beside the extraction jobs' ones, and into the run index of its topic's partition (restricted when a contributing hit is about a restricted
 * asset), which Publish switches with the rest of the run. Ids are content hashes (rule, group, window start), so a
 * re-run writes the same hits and replaces, never adds, documents.
 *
 * <p>EMR step: {@code spark-submit --class io.dragnet.sparkjobs.CorrelationJob <jar> --spec <uri>}.
 */
public final class CorrelationJob
{
    /** What the {@code source} column of a correlation rule's CSV summary says: its hits come from other rules' hits. */
    public static final String SUMMARY_SOURCE = "correlation";

    private final DocumentSinkFactory sinks;

    /** @param sinks where hits are indexed, or null to skip indexing */
    public CorrelationJob(DocumentSinkFactory sinks)
    {
        this.sinks = sinks;
    }

    public static void main(String[] args)
    {
        String specLocation = StepArguments.value(args, "--spec", "CorrelationJob --spec <uri of a correlation spec JSON>");
        SparkSession spark = SparkSession.builder().appName("dragnet-correlation").getOrCreate();
        CorrelationSpec spec = readSpec(spark, specLocation);
        DocumentSinkFactory sinks = DocumentSinks.fromEnvironment().orElse(null);
        RunMetrics metrics = new CorrelationJob(sinks).execute(spark, spec);
        System.out.println("dragnet correlation metrics: " + Json.writeCompact(metrics));
    }

    public static CorrelationSpec readSpec(SparkSession spark, String location)
    {
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        try (Reader reader = storage.openText(Storage.path(location))) {
            return Json.mapper().readValue(reader, CorrelationSpec.class);
        }
        catch (IOException e) {
            throw DragnetException.user("cannot read correlation spec " + location + ": " + e.getMessage());
        }
    }

    public RunMetrics execute(SparkSession spark, CorrelationSpec spec)
    {
        long started = System.nanoTime();
        LocalDate.parse(spec.date());
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        DirectoryCommit commit = new DirectoryCommit(storage);
        Map<String, Dataset<Row>> computed = new LinkedHashMap<>();
        Map<String, Long> hitsPerRule = new TreeMap<>();
        long inputHits = 0;
        List<Dataset<Row>> published = new ArrayList<>();
        List<Dataset<Row>> sandbox = new ArrayList<>();
        for (CorrelationSpec.Correlation correlation : spec.correlations()) {
            List<Dataset<Row>> parts = new ArrayList<>();
            for (int i = 0; i < correlation.inputs().size(); i++) {
                CorrelationSpec.Input input = correlation.inputs().get(i);
                Dataset<Row> hits = input.kind().equals("correlation") ? computed.get(input.rule()) : read(spark, storage, commit, input.hits());
                if (hits != null) {
                    parts.add(CorrelationStage.inputHits(hits, input, i));
                }
                Dataset<Row> previousDay = correlation.previousDay() == null ? null : read(spark, storage, commit, input.previousDayHits());
                if (previousDay != null) {
                    parts.add(CorrelationStage.previousDayTail(CorrelationStage.inputHits(previousDay, input, i), correlation, spec.date()));
                }
            }
            if (parts.isEmpty()) {
                hitsPerRule.put(correlation.id(), 0L);
                continue;
            }
            Dataset<Row> inputs = parts.stream().reduce(Dataset::unionByName).orElseThrow();
            Dataset<Row> previousDayHits = correlation.previousDay() == null ? null : read(spark, storage, commit, correlation.previousDay().correlations());
            if (previousDayHits != null) {
                inputs = CorrelationStage.notTaken(inputs, previousDayHits, correlation);
            }
            inputs = inputs.cache();
            inputHits += inputs.count();
            Dataset<Row> result = CorrelationStage.hits(inputs, correlation, spec.runId(), spec.date()).cache();
            hitsPerRule.put(correlation.id(), result.count());
            computed.put(correlation.id(), result);
            (correlation.sandbox() ? sandbox : published).add(result);
        }
        long writeStart = System.nanoTime();
        Map<String, Long> documentsPerIndex = new TreeMap<>();
        documentsPerIndex.putAll(write(spark, storage, commit, spec, spec.published(), published,
                spec.correlations().stream().filter(correlation -> !correlation.sandbox()).toList()));
        documentsPerIndex.putAll(write(spark, storage, commit, spec, spec.sandbox(), sandbox,
                spec.correlations().stream().filter(CorrelationSpec.Correlation::sandbox).toList()));
        long total = hitsPerRule.values().stream().mapToLong(Long::longValue).sum();
        List<RunMetrics.Stage> stages = List.of(new RunMetrics.Stage("correlations", millisSince(started) - millisSince(writeStart), inputHits),
                new RunMetrics.Stage(sinks == null ? "opensearch (skipped: disabled)" : "opensearch", millisSince(writeStart), total));
        RunMetrics metrics = new RunMetrics(spec.runId(), spec.date(), "correlations", inputHits, 0, total, 0, hitsPerRule, documentsPerIndex, stages,
                millisSince(started));
        storage.write(spec.metrics(), Json.write(metrics).getBytes(StandardCharsets.UTF_8));
        computed.values().forEach(Dataset::unpersist);
        return metrics;
    }

    /** The hits under the given folders; folders that are not there (a source without data that day) hold none. */
    private static Dataset<Row> read(SparkSession spark, Storage storage, DirectoryCommit commit, List<String> folders)
    {
        List<String> locations = new ArrayList<>();
        for (String folder : folders) {
            if (storage.exists(folder)) {
                locations.addAll(commit.readableLocations(folder));
            }
        }
        return locations.isEmpty() ? null : spark.read().parquet(locations.toArray(String[]::new));
    }

    private Map<String, Long> write(SparkSession spark, Storage storage, DirectoryCommit commit, CorrelationSpec spec, CorrelationSpec.Outputs outputs,
            List<Dataset<Row>> results, List<CorrelationSpec.Correlation> correlations)
    {
        if (correlations.isEmpty()) {
            return Map.of();
        }
        Dataset<Row> all = results.stream().reduce(Dataset::unionByName).orElse(null);
        List<RuleSummary> empty = correlations.stream().map(correlation -> RuleSummary.empty(correlation.id(), correlation.title(), correlation.topic(), spec.date(),
                SUMMARY_SOURCE)).toList();
        if (all == null) {
            // no correlated rule had hits: nothing is left of an earlier run's hits of the day
            storage.delete(outputs.correlations());
            SummaryCsv.write(storage, empty, outputs.summaries());
            return Map.of();
        }
        SummaryCsv.write(storage, Summaries.compute(all, empty, Columns.field(Documents.ENTITY)), outputs.summaries());
        String staging = Storage.sibling(outputs.correlations(), "_staging-correlations-" + spec.runId().replaceAll("[^A-Za-z0-9_-]", ""));
        storage.delete(staging);
        all.select(CorrelationStage.COLUMNS.stream().map(Columns::field).toArray(Column[]::new))
                .repartition(1).sortWithinPartitions(Documents.ID).write().mode(SaveMode.Overwrite).parquet(staging);
        commit.commit(staging, outputs.correlations());
        if (outputs.opensearchIndexPrefix() == null || sinks == null) {
            return Map.of();
        }
        Dataset<Row> written = spark.read().parquet(commit.readableLocations(outputs.correlations()).toArray(String[]::new));
        Set<String> topics = new LinkedHashSet<>();
        correlations.forEach(correlation -> topics.add(correlation.topic()));
        Column partitionOf = RunIndexWriter.partitionOf();
        List<Column> body = new ArrayList<>();
        for (String column : CorrelationStage.COLUMNS.subList(1, CorrelationStage.COLUMNS.size())) {
            body.add(column.equals("correlation.group")
                    ? from_json(Columns.field(column), org.apache.spark.sql.types.DataTypes.createMapType(org.apache.spark.sql.types.DataTypes.StringType,
                            org.apache.spark.sql.types.DataTypes.StringType)).as(column)
                    : Columns.field(column));
        }
        Dataset<Row> bodies = written.select(Columns.field(Documents.ID), partitionOf.as("_partition"),
                to_json(struct(body.toArray(Column[]::new)), Documents.JSON_OPTIONS).as("_body"));
        LocalDate day = LocalDate.parse(spec.date());
        return new RunIndexWriter(sinks).write(bodies, topics, partition -> {
            String index = IndexNames.runIndex(partition, day, spec.runId());
            return outputs.opensearchIndexPrefix().equals(IndexNames.PREFIX) ? index : outputs.opensearchIndexPrefix() + index.substring(IndexNames.PREFIX.length());
        });
    }

    private static long millisSince(long nanos)
    {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
