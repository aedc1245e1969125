package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.EcsFields;
import io.dragnet.contracts.JobSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_remove;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;

/**
 * The stages of an extraction job as functions of their inputs: each builds a dataset (or counts one) and reads or
 * writes no file; {@link ExtractionOutputs} writes what they build. {@code ExtractionJob} runs them in order:
 * {@link #select} (one pass over the source: every rule's match, rejects, tallies) → {@link #count} →
 * {@link #rejects} → {@link #documents} → {@link #aggregateHits} → {@link #summaries}.
 */
public final class ExtractionStages
{
    private ExtractionStages() {}

    /**
     * The scan's one pass, not yet run: {@code kept} holds every reject and tally row and every record that a record
     * rule matched (with the ids of those rules) or an aggregate rule reads; {@code written} says which of them are
     * written as they are (all but those only aggregate rules read).
     *
     * @param iocColumns the joined column of each IoC use, by the order the rules first use it
     */
    public record Selection(Dataset<Row> kept, Column written, Column anyAggregate, List<JobSpec.RuleSpec> aggregateRules, EcsMapping mapping, Map<IocUse, String> iocColumns) {}

    /** The scan's figures: records read and rejected, records matched by a record rule, and hits per rule. */
    public record Counts(long read, long rejected, long matchedRecords, Map<String, Long> matchedPerRule) {}

    /** The day of the spec; a bad date is the spec's error, found before any work. */
    public static LocalDate day(JobSpec spec)
    {
        try {
            return LocalDate.parse(spec.date());
        }
        catch (DateTimeParseException e) {
            throw DragnetException.user("job spec date '" + spec.date() + "': expected YYYY-MM-DD");
        }
    }

    /** Joins the IoC tables and evaluates every rule of the spec over the scan's rows. */
    public static Selection select(SparkSession spark, JobSpec spec, SourceScan scan, Map<String, LoadedIocTable> tables)
    {
        List<IocUse> uses = iocUses(spec);
        Map<IocUse, String> iocColumns = new LinkedHashMap<>();
        for (int i = 0; i < uses.size(); i++) {
            iocColumns.put(uses.get(i), IocJoins.columnName(i));
        }
        Dataset<Row> rows = IocJoins.apply(spark, scan.rows(), uses, tables);
        PredicateColumns compiler = new PredicateColumns(spec.source().name(), scan.schema(), iocColumns, tables);
        Dataset<Row> flagged = rows.withColumn(ScanColumns.RULES,
                when(col(ScanColumns.KIND).equalTo(lit(ScanColumns.RECORD)), recordRuleIds(spec, scan.schema(), compiler)));
        Column any = size(col(ScanColumns.RULES)).gt(0);
        // aggregate rules: the same pass adds a flag per rule and per filtered measure, and keeps the fields they read
        List<JobSpec.RuleSpec> aggregateRules = AggregateStage.rules(spec);
        Map<String, Column> flags = AggregateStage.flags(aggregateRules,
                rule -> compiler.compile(rule.id(), rule.predicate()).and(timeWindow(rule, scan.schema(), spec.source())),
                predicate -> compiler.compile("aggregate measure filter", predicate));
        Column anyAggregate = lit(false);
        for (int i = 0; i < aggregateRules.size(); i++) {
            anyAggregate = anyAggregate.or(col(AggregateStage.ruleFlag(i)));
        }
        for (Map.Entry<String, Column> flag : flags.entrySet()) {
            flagged = flagged.withColumn(flag.getKey(), flag.getValue());
        }
        EcsMapping mapping = EcsMapping.of(spec.source(), scan.schema());
        Set<String> aggregateFields = new LinkedHashSet<>(AggregateStage.neededFields(aggregateRules, mapping));
        for (String field : scan.schema().keySet()) {
            if (!aggregateFields.contains(field) && !aggregateRules.isEmpty()) {
                // rows kept only for aggregate rules carry only the fields those read
                flagged = flagged.withColumn(field, when(any, Columns.field(field)));
            }
        }
        // count_new records the day's values of its fields from every record, so records holding one are kept too
        Column holdsNewValueField = lit(false);
        for (String field : AggregateStage.newValueFields(spec)) {
            holdsNewValueField = holdsNewValueField.or(Columns.field(field).isNotNull());
        }
        Column written = col(ScanColumns.KIND).notEqual(lit(ScanColumns.RECORD)).or(any).or(holdsNewValueField);
        Dataset<Row> kept = flagged.where(written.or(anyAggregate));
        return new Selection(kept, written, anyAggregate, aggregateRules, mapping, iocColumns);
    }

    /**
     * The ids of the record rules a record matched: the rules {@link RuleMatcher} supports in one call of it, the
     * others as Spark columns. The call is marked nondeterministic so that Spark evaluates it once per record rather
     * than again in each filter and projection that reads the ids.
     */
    private static Column recordRuleIds(JobSpec spec, Map<String, FieldType> schema, PredicateColumns compiler)
    {
        List<RuleMatcher.Rule> matcherRules = new ArrayList<>();
        List<Column> columnRuleIds = new ArrayList<>();
        for (JobSpec.RuleSpec rule : recordRules(spec).rules()) {
            // compiled whatever evaluates it, so a bad rule fails here with the same error
            Column matches = compiler.compile(rule.id(), rule.predicate()).and(timeWindow(rule, schema, spec.source()));
            if (rule.timeWindow() == null && RuleMatcher.supports(rule.predicate(), schema)) {
                matcherRules.add(new RuleMatcher.Rule(rule.id(), rule.predicate()));
            }
            else {
                columnRuleIds.add(when(matches, lit(rule.id())).otherwise(lit("")));
            }
        }
        List<Column> parts = new ArrayList<>();
        if (!matcherRules.isEmpty()) {
            RuleMatcher matcher = new RuleMatcher(matcherRules, schema);
            List<Column> fields = new ArrayList<>(matcher.fields().stream().map(Columns::field).toList());
            if (fields.isEmpty()) {
                fields.add(lit(null));
            }
            UserDefinedFunction call = udf(matcher, DataTypes.createArrayType(DataTypes.StringType, false)).asNondeterministic();
            parts.add(call.apply(struct(fields.toArray(Column[]::new))));
        }
        if (!columnRuleIds.isEmpty()) {
            parts.add(array_remove(array(columnRuleIds.toArray(Column[]::new)), ""));
        }
        return switch (parts.size()) {
            case 0 -> array().cast("array<string>");
            case 1 -> parts.get(0);
            default -> concat(parts.get(0), parts.get(1));
        };
    }

    /** Records of the written scan that a record rule matched, each with the ids of its rules. */
    public static Dataset<Row> matched(Dataset<Row> scanned)
    {
        return scanned.where(col(ScanColumns.KIND).equalTo(lit(ScanColumns.RECORD)).and(size(col(ScanColumns.RULES)).gt(0)));
    }

    /** Counts the written scan; every rule of the spec is in {@code matchedPerRule}, 0 when it matched nothing. */
    public static Counts count(Dataset<Row> scanned, SourceScan scan, JobSpec spec)
    {
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
        // one query: a matched record holds at least one rule id, and exactly one at position 0
        long matchedRecords = 0;
        Map<String, Long> matchedPerRule = new TreeMap<>();
        spec.rules().forEach(rule -> matchedPerRule.put(rule.id(), 0L));
        for (Row row : matched(scanned).select(posexplode(col(ScanColumns.RULES)).as(new String[] {"position", "rule"})).groupBy("rule")
                .agg(sum(lit(1L)), sum(when(col("position").equalTo(0), lit(1L)).otherwise(lit(0L)))).collectAsList()) {
            matchedPerRule.put(row.getString(0), row.getLong(1));
            matchedRecords += row.getLong(2);
        }
        return new Counts(read, rejected, matchedRecords, matchedPerRule);
    }

    /**
     * Rejected lines with their file and reason, in a stable order. When the counts found none, the same columns with no
     * rows and no query of the scan behind them.
     */
    public static Dataset<Row> rejects(SparkSession spark, Dataset<Row> scanned, Counts counts)
    {
        Dataset<Row> rejects = scanned.where(col(ScanColumns.KIND).equalTo(lit(ScanColumns.REJECT)))
                .select(col(ScanColumns.FILE).as("file"), col(ScanColumns.REASON).as("reason"), col(ScanColumns.RAW).as("line"));
        return counts.rejected() == 0 ? spark.createDataFrame(List.of(), rejects.schema()) : rejects.orderBy("file", "line");
    }

    /**
     * One enriched document per (record rule, matched record).
     *
     * @param history earlier days' documents ({@link Documents#history}), or null when first_last_seen is not requested
     */
    public static Dataset<Row> documents(SparkSession spark, Dataset<Row> scanned, Enrichments enrichments, Selection selection,
            JobSpec spec, SourceScan scan, Dataset<Row> history)
    {
        Dataset<Row> enriched = enrichments.apply(matched(scanned), selection.mapping());
        return Documents.build(spark, enriched, spec, scan.schema(), iocColumnsByRule(spec, selection.iocColumns()), history);
    }

    /**
     * What the scan writes: its kept rows when the spec has no aggregate rule, else the written ones and the aggregate
     * windows computed from the same pass ({@link AggregateStage#withWindows}).
     *
     * @param previousDayTail the previous day's rows sliding windows read ({@link #previousDayTail}), or null
     */
    public static Dataset<Row> scanOutput(Selection selection, JobSpec spec, AggregateHistory history, Dataset<Row> previousDayTail)
    {
        if (selection.aggregateRules().isEmpty()) {
            return selection.kept();
        }
        return AggregateStage.withWindows(selection.kept(), selection.written(), previousDayTail, spec, selection.mapping(), history);
    }

    /** The records, rejects and tallies of what the scan wrote ({@link #scanOutput}). */
    public static Dataset<Row> scanned(Dataset<Row> scanOutput, Selection selection)
    {
        return selection.aggregateRules().isEmpty() ? scanOutput : AggregateStage.scanRows(scanOutput);
    }

    /**
     * The records of the previous day that sliding windows starting before the day read: the aggregate rules' flags and
     * fields over the previous day's scan, kept from midnight minus {@link AggregateStage#previousDayTailSeconds}.
     *
     * @param previousDay the scan of the spec's source at {@link AggregateStage#previousDayLocation}
     */
    public static Dataset<Row> previousDayTail(SparkSession spark, JobSpec spec, SourceScan previousDay, Map<String, LoadedIocTable> tables)
    {
        Selection selection = select(spark, spec.withRules(AggregateStage.rules(spec)), previousDay, tables);
        long midnight = day(spec).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
        Column epoch = selection.mapping().timestamp().cast("double");
        return selection.kept().where(col(ScanColumns.KIND).equalTo(lit(ScanColumns.RECORD)).and(selection.anyAggregate())
                .and(epoch.geq(midnight - AggregateStage.previousDayTailSeconds(spec))).and(epoch.lt(midnight)));
    }

    /** The hits among the aggregate windows, with the columns of {@link AggregateStage#COLUMNS}. */
    public static Dataset<Row> aggregateHits(Dataset<Row> windows, Enrichments enrichments)
    {
        Dataset<Row> hits = enrichments.withAssetCriticality(windows.where(Columns.field(AggregateStage.HIT)));
        return hits.select(AggregateStage.COLUMNS.stream().map(Columns::field).toArray(Column[]::new));
    }

    /** A rule's windows whose measures are recorded for later days: group, window_start (seconds) and measures (JSON). */
    public static Dataset<Row> recordedWindows(Dataset<Row> windows, String ruleId)
    {
        return windows.where(Columns.field("rule.id").equalTo(lit(ruleId)).and(Columns.field(AggregateStage.RECORDED).isNotNull()))
                .select(Columns.field("aggregate.group").as("group"), Columns.field(Documents.TIMESTAMP).cast("long").as("window_start"),
                        Columns.field(AggregateStage.RECORDED).as("measures"));
    }

    /** A summary per rule: record rules over the written documents, aggregate rules over the written hits (or none when null). */
    public static List<RuleSummary> summaries(Dataset<Row> documents, Dataset<Row> aggregateHits, JobSpec spec)
    {
        List<RuleSummary> summaries = new ArrayList<>(Summaries.compute(documents, recordRules(spec)));
        if (aggregateHits != null) {
            summaries.addAll(Summaries.compute(aggregateHits, spec.withRules(AggregateStage.rules(spec))));
        }
        return summaries;
    }

    /** The spec with its record rules only (those that keep single records). */
    private static JobSpec recordRules(JobSpec spec)
    {
        return spec.withRules(spec.rules().stream().filter(rule -> rule.aggregate() == null).toList());
    }

    private static Column timeWindow(JobSpec.RuleSpec rule, Map<String, FieldType> schema, JobSpec.SourceSpec source)
    {
        if (rule.timeWindow() == null) {
            return lit(true);
        }
        String field = EcsFields.timeField(source, schema.keySet())
                .orElseThrow(() -> DragnetException.user("rule " + rule.id() + ": a time window needs the source's time field, and the source has none"));
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
            LocalTime time = LocalTime.parse(text);
            return time.getHour() * 60 + time.getMinute();
        }
        catch (DateTimeParseException | NullPointerException e) {
            throw DragnetException.user("rule " + rule.id() + ": time window bound '" + text + "': expected HH:mm");
        }
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
}
