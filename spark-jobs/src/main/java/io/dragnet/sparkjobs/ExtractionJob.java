package io.dragnet.sparkjobs;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.contracts.StepArguments;
import io.dragnet.sparkjobs.internal.AggregateStage;
import io.dragnet.sparkjobs.internal.Columns;
import io.dragnet.sparkjobs.internal.DirectoryCommit;
import io.dragnet.sparkjobs.internal.Documents;
import io.dragnet.sparkjobs.internal.EcsMapping;
import io.dragnet.sparkjobs.internal.Enrichments;
import io.dragnet.sparkjobs.internal.FieldType;
import io.dragnet.sparkjobs.internal.IocJoins;
import io.dragnet.sparkjobs.internal.IocTables;
import io.dragnet.sparkjobs.internal.IocUse;
import io.dragnet.sparkjobs.internal.LoadedIocTable;
import io.dragnet.sparkjobs.internal.PredicateColumns;
import io.dragnet.sparkjobs.internal.RuleSummary;
import io.dragnet.sparkjobs.internal.ScanColumns;
import io.dragnet.sparkjobs.internal.SourceReader;
import io.dragnet.sparkjobs.internal.SourceScan;
import io.dragnet.sparkjobs.internal.Storage;
import io.dragnet.sparkjobs.internal.SummaryCsv;
import io.dragnet.sparkjobs.internal.Summaries;
import io.dragnet.sparkjobs.sink.DocumentSink;
import io.dragnet.sparkjobs.sink.DocumentSinkFactory;
import io.dragnet.sparkjobs.sink.IndexedDocument;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_remove;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;

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
 * <p>EMR step: {@code spark-submit --class io.dragnet.sparkjobs.ExtractionJob <jar> --spec <uri>}.
 */
public final class ExtractionJob
{
    private static final int BULK_SIZE = 500;

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

    public RunMetrics execute(SparkSession spark, JobSpec spec)
    {
        long started = System.nanoTime();
        day(spec); // a bad date fails before any work
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        DirectoryCommit commit = new DirectoryCommit(storage);
        List<RunMetrics.Stage> stages = new ArrayList<>();
        String staging = staging(spec);
        storage.delete(staging);

        // 1. scan: parse, IoC joins, all rules in one pass; keep matched records, rejects and tallies
        long stageStart = System.nanoTime();
        SourceScan scan = SourceReader.read(spark, storage, spec.source());
        Map<String, LoadedIocTable> tables = loadIocTables(storage, spec);
        List<IocUse> uses = iocUses(spec);
        Map<IocUse, String> iocColumns = new LinkedHashMap<>();
        for (int i = 0; i < uses.size(); i++) {
            iocColumns.put(uses.get(i), IocJoins.columnName(i));
        }
        Dataset<Row> rows = IocJoins.apply(spark, scan.rows(), uses, tables);
        PredicateColumns compiler = new PredicateColumns(spec.source().name(), scan.schema(), iocColumns, tables);
        Column any = lit(false);
        List<Column> ruleIds = new ArrayList<>();
        for (JobSpec.RuleSpec rule : recordRules(spec).rules()) {
            Column matches = compiler.compile(rule.id(), rule.predicate()).and(timeWindow(rule, scan.schema(), spec.source().timeField()));
            any = any.or(matches);
            ruleIds.add(when(matches, lit(rule.id())).otherwise(lit("")));
        }
        Column rules = ruleIds.isEmpty() ? array().cast("array<string>") : array_remove(array(ruleIds.toArray(Column[]::new)), "");
        // aggregate rules: the same pass adds a flag per rule and per filtered measure, and keeps the fields they read
        List<JobSpec.RuleSpec> aggregateRules = AggregateStage.rules(spec);
        Map<String, Column> flags = AggregateStage.flags(aggregateRules,
                rule -> compiler.compile(rule.id(), rule.predicate()).and(timeWindow(rule, scan.schema(), spec.source().timeField())),
                predicate -> compiler.compile("aggregate measure filter", predicate));
        Column anyAggregate = lit(false);
        for (int i = 0; i < aggregateRules.size(); i++) {
            anyAggregate = anyAggregate.or(col(AggregateStage.ruleFlag(i)));
        }
        Dataset<Row> flagged = rows;
        for (Map.Entry<String, Column> flag : flags.entrySet()) {
            flagged = flagged.withColumn(flag.getKey(), flag.getValue());
        }
        EcsMapping scanMapping = EcsMapping.of(scan.schema(), spec.source().timeField());
        Set<String> aggregateFields = new LinkedHashSet<>(AggregateStage.neededFields(aggregateRules, scanMapping));
        for (String field : scan.schema().keySet()) {
            if (!aggregateFields.contains(field) && !aggregateRules.isEmpty()) {
                // rows kept only for aggregate rules carry only the fields those read
                flagged = flagged.withColumn(field, when(any, Columns.field(field)));
            }
        }
        Dataset<Row> kept = flagged.where(col(ScanColumns.KIND).notEqual(lit(ScanColumns.RECORD)).or(any).or(anyAggregate))
                .withColumn(ScanColumns.RULES, when(col(ScanColumns.KIND).equalTo(lit(ScanColumns.RECORD)), rules));
        String scanLocation = Storage.child(staging, "scan");
        kept.write().mode(SaveMode.Overwrite).parquet(scanLocation);
        Dataset<Row> scanned = spark.read().parquet(scanLocation);
        long read;
        long rejected;
        if (scan.countedByTally()) {
            Row tally = scanned.where(col(ScanColumns.KIND).equalTo(lit(ScanColumns.TALLY)))
                    .agg(sum(col(ScanColumns.READ)), sum(col(ScanColumns.REJECTED))).first();
            read = tally.isNullAt(0) ? 0 : tally.getLong(0);
            rejected = tally.isNullAt(1) ? 0 : tally.getLong(1);
        }
        else {
            read = scan.rows().count();
            rejected = 0;
        }
        Dataset<Row> matched = scanned.where(col(ScanColumns.KIND).equalTo(lit(ScanColumns.RECORD)).and(size(col(ScanColumns.RULES)).gt(0)));
        long matchedRecords = matched.count();
        Map<String, Long> matchedPerRule = new TreeMap<>();
        spec.rules().forEach(rule -> matchedPerRule.put(rule.id(), 0L));
        for (Row row : matched.select(explode(col(ScanColumns.RULES)).as("rule")).groupBy("rule").count().collectAsList()) {
            matchedPerRule.put(row.getString(0), row.getLong(1));
        }
        stages.add(new RunMetrics.Stage("scan", millisSince(stageStart), read));
        listener.completed("scan");

        // 2. rejects, with the reason, never silently dropped
        stageStart = System.nanoTime();
        if (spec.outputs().rejects() != null) {
            String rejectsStaging = Storage.child(staging, "rejects");
            scanned.where(col(ScanColumns.KIND).equalTo(lit(ScanColumns.REJECT)))
                    .select(col(ScanColumns.FILE).as("file"), col(ScanColumns.REASON).as("reason"), col(ScanColumns.RAW).as("line"))
                    .orderBy("file", "line")
                    .coalesce(1)
                    .write().mode(SaveMode.Overwrite).json(rejectsStaging);
            commit.commit(rejectsStaging, spec.outputs().rejects());
        }
        stages.add(new RunMetrics.Stage("rejects", millisSince(stageStart), rejected));
        listener.completed("rejects");

        // 3. enrich and build one document per (rule, record)
        stageStart = System.nanoTime();
        EcsMapping mapping = EcsMapping.of(scan.schema(), spec.source().timeField());
        Enrichments enrichments = new Enrichments(spark, storage, spec);
        Dataset<Row> enriched = enrichments.apply(matched, mapping);
        Map<String, List<String>> iocColumnsByRule = iocColumnsByRule(spec, iocColumns);
        Dataset<Row> history = Enrichments.requested(spec).contains("first_last_seen") ? history(spark, storage, commit, spec) : null;
        Dataset<Row> documents = Documents.build(spark, enriched, spec, scan.schema(), iocColumnsByRule, history);
        String documentsLocation = spec.outputs().documents() != null ? spec.outputs().documents() : Storage.child(staging, "documents-final");
        String documentsStaging = Storage.child(staging, "documents");
        documents.repartition(1).sortWithinPartitions(Documents.ID).write().mode(SaveMode.Overwrite).parquet(documentsStaging);
        commit.commit(documentsStaging, documentsLocation);
        Dataset<Row> written = spark.read().parquet(commit.readableLocations(documentsLocation).toArray(String[]::new));
        long documentCount = written.count();
        stages.add(new RunMetrics.Stage("documents", millisSince(stageStart), documentCount));
        listener.completed("documents");

        // 4. aggregate rules over the scan's projection: one shuffle per grouping, one hit per (rule, group, window)
        stageStart = System.nanoTime();
        long aggregateHits = 0;
        Dataset<Row> aggregateWritten = null;
        if (!aggregateRules.isEmpty()) {
            if (spec.outputs().aggregates() == null) {
                throw DragnetException.user("job spec for " + spec.source().name() + ": aggregate rules need outputs.aggregates");
            }
            Dataset<Row> projection = scanned.where(col(ScanColumns.KIND).equalTo(lit(ScanColumns.RECORD)).and(anyAggregate));
            String aggregatesStaging = Storage.child(staging, "aggregates");
            Dataset<Row> hits = enrichments.withAssetCriticality(AggregateStage.hits(projection, spec, scanMapping, false));
            hits.select(AggregateStage.COLUMNS.stream().map(Columns::field).toArray(Column[]::new))
                    .repartition(1).sortWithinPartitions(Documents.ID).write().mode(SaveMode.Overwrite).parquet(aggregatesStaging);
            commit.commit(aggregatesStaging, spec.outputs().aggregates());
            aggregateWritten = spark.read().parquet(commit.readableLocations(spec.outputs().aggregates()).toArray(String[]::new));
            for (Row row : aggregateWritten.groupBy(Columns.field("rule.id")).count().collectAsList()) {
                matchedPerRule.put(row.getString(0), row.getLong(1));
                aggregateHits += row.getLong(1);
            }
        }
        stages.add(new RunMetrics.Stage("aggregates", millisSince(stageStart), aggregateHits));
        listener.completed("aggregates");

        // 5. CSV summaries per rule
        stageStart = System.nanoTime();
        List<RuleSummary> summaries = new ArrayList<>(Summaries.compute(written, recordRules(spec)));
        if (aggregateWritten != null) {
            summaries.addAll(Summaries.compute(aggregateWritten, aggregateRulesOnly(spec)));
        }
        if (spec.outputs().summaries() != null) {
            for (RuleSummary summary : summaries) {
                String location = Storage.child(Storage.child(spec.outputs().summaries(), summary.topic()), SummaryCsv.fileName(summary.ruleId()));
                storage.write(location, SummaryCsv.render(summary).getBytes(StandardCharsets.UTF_8));
            }
        }
        stages.add(new RunMetrics.Stage("summaries", millisSince(stageStart), summaries.size()));
        listener.completed("summaries");

        // 6. OpenSearch: a fresh run index per topic; Publish switches the aliases once every job of the run is done
        stageStart = System.nanoTime();
        Map<String, Long> documentsPerIndex = new TreeMap<>();
        if (spec.outputs().opensearchIndexPrefix() != null && sinks != null) {
            documentsPerIndex = index(written, aggregateWritten, spec);
        }
        // a skipped index write is visible in the metrics, never silent
        String indexStage = spec.outputs().opensearchIndexPrefix() == null ? "opensearch (not requested)"
                : sinks == null ? "opensearch (skipped: disabled)" : "opensearch";
        stages.add(new RunMetrics.Stage(indexStage, millisSince(stageStart), documentsPerIndex.values().stream().mapToLong(Long::longValue).sum()));
        listener.completed("opensearch");

        RunMetrics metrics = new RunMetrics(spec.runId(), spec.date(), spec.source().name(), read, rejected, matchedRecords, scan.bytes(),
                matchedPerRule, documentsPerIndex, stages, millisSince(started));
        if (spec.outputs().metrics() != null) {
            storage.write(spec.outputs().metrics(), Json.write(metrics).getBytes(StandardCharsets.UTF_8));
        }
        listener.completed("metrics");
        storage.delete(staging);
        return metrics;
    }

    /** The spec with its record rules only (those that keep single records). */
    private static JobSpec recordRules(JobSpec spec)
    {
        return withRules(spec, spec.rules().stream().filter(rule -> rule.aggregate() == null).toList());
    }

    private static JobSpec aggregateRulesOnly(JobSpec spec)
    {
        return withRules(spec, AggregateStage.rules(spec));
    }

    private static JobSpec withRules(JobSpec spec, List<JobSpec.RuleSpec> rules)
    {
        return new JobSpec(spec.specVersion(), spec.runId(), spec.date(), spec.source(), rules, spec.iocTables(), spec.enrichmentData(), spec.outputs());
    }

    /** Index name of a topic for this job: the prefix of the spec in place of IndexNames.PREFIX. */
    public static String runIndex(JobSpec spec, String topic)
    {
        String index = IndexNames.runIndex(topic, day(spec), spec.runId());
        String prefix = spec.outputs().opensearchIndexPrefix();
        return prefix == null || prefix.equals(IndexNames.PREFIX) ? index : prefix + index.substring(IndexNames.PREFIX.length());
    }

    /** Record documents and aggregate hits (or null) into the run index of their topic's partition; returns documents per index. */
    private Map<String, Long> index(Dataset<Row> documents, Dataset<Row> aggregateHits, JobSpec spec)
    {
        Map<String, String> indexByTopic = new HashMap<>();
        Set<String> topics = new LinkedHashSet<>();
        spec.rules().forEach(rule -> topics.add(rule.topic()));
        try (DocumentSink sink = sinks.open()) {
            // Both partitions of every topic, so each run replaces the restricted partition's day too.
            for (String topic : topics) {
                for (String partition : IndexNames.partitions(topic)) {
                    String index = runIndex(spec, partition);
                    indexByTopic.put(partition, index);
                    sink.createIndex(index);
                }
            }
        }
        Column partitionOf = when(Columns.field("asset.criticality").equalTo(lit(IndexNames.RESTRICTED_CRITICALITY)),
                concat(Columns.field("dragnet.topic"), lit(IndexNames.RESTRICTED_SUFFIX))).otherwise(Columns.field("dragnet.topic"));
        List<Column> body = Documents.COLUMNS.stream().filter(name -> !name.equals(Documents.ID)).map(Columns::field).toList();
        Dataset<Row> json = documents.select(Columns.field(Documents.ID), partitionOf.as("_partition"),
                to_json(struct(body.toArray(Column[]::new)), Documents.JSON_OPTIONS).as("_body"));
        if (aggregateHits != null) {
            json = json.union(aggregateHits.select(Columns.field(Documents.ID), partitionOf.as("_partition"), AggregateStage.indexBody().as("_body")));
        }
        DocumentSinkFactory factory = sinks;
        HashMap<String, String> indexes = new HashMap<>(indexByTopic);
        json.foreachPartition((ForeachPartitionFunction<Row>) partition -> {
            Map<String, List<IndexedDocument>> batches = new HashMap<>();
            try (DocumentSink sink = factory.open()) {
                while (partition.hasNext()) {
                    Row row = partition.next();
                    String index = indexes.get(row.getString(1));
                    List<IndexedDocument> batch = batches.computeIfAbsent(index, ignored -> new ArrayList<>());
                    batch.add(new IndexedDocument(row.getString(0), row.getString(2)));
                    if (batch.size() >= BULK_SIZE) {
                        sink.write(index, batch);
                        batch.clear();
                    }
                }
                for (Map.Entry<String, List<IndexedDocument>> batch : batches.entrySet()) {
                    sink.write(batch.getKey(), batch.getValue());
                }
            }
        });
        Map<String, Long> counts = new TreeMap<>();
        for (String index : indexByTopic.values()) {
            counts.put(index, 0L);
        }
        for (Row row : json.groupBy(col("_partition")).count().collectAsList()) {
            counts.put(indexByTopic.get(row.getString(0)), row.getLong(1));
        }
        try (DocumentSink sink = sinks.open()) {
            indexByTopic.values().forEach(sink::refresh);
        }
        return counts;
    }

    private static Column timeWindow(JobSpec.RuleSpec rule, Map<String, FieldType> schema, String timeField)
    {
        if (rule.timeWindow() == null) {
            return lit(true);
        }
        String field = timeField != null ? timeField : EcsMapping.of(schema, null).timeField().orElse(null);
        if (field == null || !schema.containsKey(field)) {
            throw DragnetException.user("rule " + rule.id() + ": a time window needs the source's time field, and the source has none");
        }
        int from = minuteOfDay(rule, rule.timeWindow().from());
        int to = minuteOfDay(rule, rule.timeWindow().to());
        // minutes since midnight UTC, independent of the session time zone
        Column minute = floor(pmod(unix_timestamp(Columns.field(field).cast("timestamp")), lit(86_400)).divide(60));
        Column inside = from <= to ? minute.geq(from).and(minute.lt(to)) : minute.geq(from).or(minute.lt(to));
        return org.apache.spark.sql.functions.coalesce(inside, lit(false));
    }

    private static int minuteOfDay(JobSpec.RuleSpec rule, String text)
    {
        try {
            java.time.LocalTime time = java.time.LocalTime.parse(text);
            return time.getHour() * 60 + time.getMinute();
        }
        catch (DateTimeParseException | NullPointerException e) {
            throw DragnetException.user("rule " + rule.id() + ": time window bound '" + text + "': expected HH:mm");
        }
    }

    private static Map<String, LoadedIocTable> loadIocTables(Storage storage, JobSpec spec)
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

    private static List<IocUse> iocUses(JobSpec spec)
    {
        Set<IocUse> uses = new LinkedHashSet<>();
        for (JobSpec.RuleSpec rule : spec.rules()) {
            PredicateColumns.collectIocUses(rule.predicate(), uses);
        }
        return List.copyOf(uses);
    }

    private static Map<String, List<String>> iocColumnsByRule(JobSpec spec, Map<IocUse, String> iocColumns)
    {
        Map<String, List<String>> byRule = new LinkedHashMap<>();
        for (JobSpec.RuleSpec rule : spec.rules()) {
            Set<IocUse> uses = new LinkedHashSet<>();
            PredicateColumns.collectIocUses(rule.predicate(), uses);
            byRule.put(rule.id(), uses.stream().map(iocColumns::get).toList());
        }
        return byRule;
    }

    /** Earlier days' documents of every source under the history root ({@code <results>/documents/dt=…/<source>/}). */
    private static Dataset<Row> history(SparkSession spark, Storage storage, DirectoryCommit commit, JobSpec spec)
    {
        String root = spec.enrichmentData().get("history");
        if (root == null) {
            throw DragnetException.user("job spec for " + spec.source().name() + ": enrichment first_last_seen needs enrichmentData.history");
        }
        List<String> paths = new ArrayList<>();
        for (Path day : storage.listDirectories(root)) {
            String name = day.getName();
            if (!name.startsWith("dt=") || name.substring(3).compareTo(spec.date()) >= 0) {
                continue;
            }
            for (Path source : storage.listDirectories(day.toString())) {
                if (!source.getName().startsWith("_") && !source.getName().startsWith(".")) {
                    paths.addAll(commit.readableLocations(source.toString()));
                }
            }
        }
        if (paths.isEmpty()) {
            return Documents.history(spark.createDataFrame(List.of(), new org.apache.spark.sql.types.StructType()
                    .add(Documents.ENTITY, "string").add(Documents.TIMESTAMP, "timestamp")));
        }
        return Documents.history(spark.read().parquet(paths.toArray(String[]::new)).select(Columns.field(Documents.ENTITY), Columns.field(Documents.TIMESTAMP)));
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

    private static LocalDate day(JobSpec spec)
    {
        try {
            return LocalDate.parse(spec.date());
        }
        catch (DateTimeParseException e) {
            throw DragnetException.user("job spec date '" + spec.date() + "': expected YYYY-MM-DD");
        }
    }

    private static long millisSince(long nanos)
    {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
