package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.PublishedRuns;
import io.dragnet.contracts.RunFolders;
import io.dragnet.contracts.RunMetrics;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.not;

/**
 * The reads and writes of one extraction job. Every directory output is built under the job's staging location
 * ({@code _staging-<source>-<run>} beside the first named output) and committed into place by {@link DirectoryCommit};
 * file outputs are written whole by {@link Storage#write}. Outputs written here are read back from where they were
 * committed, so later stages see exactly what readers will.
 */
public final class ExtractionOutputs
{
    /** Document columns whose values are all different: a Parquet dictionary of them costs time and saves no space. */
    private static final List<String> DISTINCT_PER_DOCUMENT = List.of(Documents.ID, "event.original");

    private final SparkSession spark;
    private final Storage storage;
    private final DirectoryCommit commit;
    private final String staging;

    public ExtractionOutputs(SparkSession spark, JobSpec spec)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.staging = staging(spec);
        this.storage = new Storage(spark.sparkContext().hadoopConfiguration());
        this.commit = new DirectoryCommit(storage);
    }

    public Storage storage()
    {
        return storage;
    }

    /** Deletes what a killed attempt left in the staging location. */
    public void clearStaging()
    {
        storage.delete(staging);
    }

    /** The IoC tables the spec names, parsed into their matching form, by table id. */
    public Map<String, LoadedIocTable> iocTables(JobSpec spec)
    {
        Map<String, LoadedIocTable> tables = new LinkedHashMap<>();
        for (JobSpec.IocTable table : spec.iocTables()) {
            try (Reader reader = storage.openText(Storage.path(table.location()))) {
                tables.put(table.id(), new LoadedIocTable(table.id(), table.kind(), IocTables.parse(reader, table.location(), table.kind())));
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot read IoC table " + table.location(), e);
            }
        }
        return tables;
    }

    /** Runs the scan's one pass into the staging location and returns what it wrote. */
    public Dataset<Row> scan(Dataset<Row> kept)
    {
        String location = Storage.child(staging, "scan");
        kept.write().mode(SaveMode.Overwrite).parquet(location);
        return spark.read().parquet(location);
    }

    /** The history of the spec's aggregate rules ({@code enrichmentData.aggregate_history}), none when the spec names none. */
    public StoredAggregateHistory aggregateHistory(JobSpec spec)
    {
        String root = spec.enrichmentData().get(JobSpec.AGGREGATE_HISTORY);
        return root == null ? null : new StoredAggregateHistory(spark, storage, root, spec.source().name(), ExtractionStages.day(spec));
    }

    /**
     * Records the day for later days' history measures: the values of every count_new field among the scan's records
     * and each recording rule's windows.
     */
    public void recordAggregateHistory(JobSpec spec, Dataset<Row> scanned, Dataset<Row> windows)
    {
        StoredAggregateHistory history = aggregateHistory(spec);
        List<String> fields = AggregateStage.newValueFields(spec);
        List<JobSpec.RuleSpec> recording = AggregateStage.rules(spec).stream().filter(rule -> !AggregateStage.recordedMeasures(rule.aggregate()).isEmpty()).toList();
        if (fields.isEmpty() && recording.isEmpty()) {
            return;
        }
        if (history == null) {
            throw DragnetException.user("job spec for " + spec.source().name() + ": history measures need enrichmentData." + JobSpec.AGGREGATE_HISTORY);
        }
        Dataset<Row> records = scanned.where(Columns.field(ScanColumns.KIND).equalTo(org.apache.spark.sql.functions.lit(ScanColumns.RECORD)));
        for (int i = 0; i < fields.size(); i++) {
            history.recordValues(fields.get(i), Columns.field(fields.get(i)), records, Storage.child(staging, "history-values-" + i));
        }
        for (int i = 0; i < recording.size(); i++) {
            history.recordWindows(recording.get(i).id(), ExtractionStages.recordedWindows(windows, recording.get(i).id()), Storage.child(staging, "history-windows-" + i));
        }
    }

    /** The rejects as one JSON-lines file in the directory {@code target}. */
    public void rejects(Dataset<Row> rejects, String target)
    {
        String rejectsStaging = Storage.child(staging, "rejects");
        rejects.coalesce(1).write().mode(SaveMode.Overwrite).json(rejectsStaging);
        commit.commit(rejectsStaging, target);
    }

    /**
     * The documents at {@code target} (null: a location inside staging) and returns what was committed: one Parquet
     * file per partition of the matched records as the scan wrote them (so no shuffle, and few files: Spark reads the
     * small scan output in few partitions), each sorted by id.
     */
    public Dataset<Row> documents(Dataset<Row> documents, String target)
    {
        return committedParquet(documents.sortWithinPartitions(Documents.ID), DISTINCT_PER_DOCUMENT, Storage.child(staging, "documents"),
                target != null ? target : Storage.child(staging, "documents-final"));
    }

    /** The aggregate hits as one Parquet file sorted by id at {@code target} and returns what was committed. */
    public Dataset<Row> aggregates(Dataset<Row> hits, String target)
    {
        return sortedParquet(hits, Storage.child(staging, "aggregates"), target);
    }

    /** One CSV per rule at {@code <root>/<topic>/<rule>.csv}. */
    public void summaries(List<RuleSummary> summaries, String root)
    {
        SummaryCsv.write(storage, summaries, root);
    }

    public void metrics(RunMetrics metrics, String location)
    {
        storage.write(location, Json.write(metrics).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Earlier days' published documents of every source, as {@link Documents#history} summarises them: for each day
     * before the job's under the history root ({@code <results>/documents/dt=<day>/}), the documents of the runs that
     * day's {@link PublishedRuns} record names ({@code run=<run>/<source>/}), each limited to the rules it contributes.
     * A day without a record has nothing published; runs that failed or were killed are never read.
     */
    public Dataset<Row> earlierDocuments(JobSpec spec)
    {
        String root = spec.enrichmentData().get("history");
        String published = spec.enrichmentData().get("published");
        if (root == null || published == null) {
            throw DragnetException.user("job spec for " + spec.source().name() + ": enrichment first_last_seen needs enrichmentData.history and enrichmentData.published");
        }
        Dataset<Row> history = null;
        for (Path day : storage.listDirectories(root)) {
            String date = RunFolders.dateOf(day.getName());
            if (date == null || date.compareTo(spec.date()) >= 0) {
                continue;
            }
            Optional<PublishedRuns> record = publishedRuns(published, date);
            if (record.isEmpty()) {
                continue;
            }
            for (PublishedRuns.Contribution run : record.get().runs()) {
                Dataset<Row> documents = runDocuments(Storage.child(day.toString(), RunFolders.runFolder(run.runId())));
                if (documents == null) {
                    continue;
                }
                Dataset<Row> counted = documents;
                if (run.rules() != null) {
                    counted = counted.where(Columns.field(Documents.RULE_ID).isin(run.rules().toArray()));
                }
                if (!run.excluded().isEmpty()) {
                    counted = counted.where(not(Columns.field(Documents.RULE_ID).isin(run.excluded().toArray())));
                }
                history = history == null ? counted : history.unionByName(counted);
            }
        }
        if (history == null) {
            return Documents.history(spark.createDataFrame(List.of(), new StructType()
                    .add(Documents.ENTITY, "string").add(Documents.TIMESTAMP, "timestamp")));
        }
        return Documents.history(history);
    }

    /** The day's record of published runs under {@code root}, if Publish wrote one. */
    private Optional<PublishedRuns> publishedRuns(String root, String date)
    {
        String location = Storage.child(root, RunFolders.dayFolder(date) + ".json");
        return storage.readIfPresent(location).map(bytes -> PublishedRuns.parse(bytes, location));
    }

    /** The entity, time and rule of every document of one run's folder of a day (every source), or null when it has none. */
    private Dataset<Row> runDocuments(String runFolder)
    {
        List<String> paths = new ArrayList<>();
        if (storage.exists(runFolder)) {
            for (Path source : storage.listDirectories(runFolder)) {
                if (!source.getName().startsWith("_") && !source.getName().startsWith(".")) {
                    paths.addAll(commit.readableLocations(source.toString()));
                }
            }
        }
        return paths.isEmpty() ? null : spark.read().parquet(paths.toArray(String[]::new))
                .select(Columns.field(Documents.ENTITY), Columns.field(Documents.TIMESTAMP), Columns.field(Documents.RULE_ID));
    }

    private Dataset<Row> sortedParquet(Dataset<Row> rows, String staged, String target)
    {
        return committedParquet(rows.repartition(1).sortWithinPartitions(Documents.ID), List.of(), staged, target);
    }

    /** @param withoutDictionary columns written without a Parquet dictionary */
    private Dataset<Row> committedParquet(Dataset<Row> rows, List<String> withoutDictionary, String staged, String target)
    {
        DataFrameWriter<Row> writer = rows.write().mode(SaveMode.Overwrite);
        for (String column : withoutDictionary) {
            writer = writer.option("parquet.enable.dictionary#" + column, "false");
        }
        writer.parquet(staged);
        commit.commit(staged, target);
        return spark.read().parquet(commit.readableLocations(target).toArray(String[]::new));
    }

    private static String staging(JobSpec spec)
    {
        String anchor = spec.outputs().documents() != null ? spec.outputs().documents()
                : spec.outputs().metrics() != null ? spec.outputs().metrics() : spec.outputs().summaries();
        if (anchor == null) {
            throw DragnetException.user("job spec for " + spec.source().name() + ": outputs name no location (documents, metrics or summaries)");
        }
        return Storage.sibling(anchor, "_staging-" + spec.source().name() + "-" + spec.runId().replaceAll("[^A-Za-z0-9_-]", ""));
    }
}
