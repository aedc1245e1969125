package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.AggregateShuffle;
import io.dragnet.contracts.AggregateSpec;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.JobSpec;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.shiftleft;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * The aggregate stage: pure functions from the scan's projection to aggregate hits. The scan adds one boolean column
 * per aggregate rule ({@link #ruleFlag}) and one per filtered measure ({@link #filterFlag}) next to the fields. Rules
 * that group alike (same fields, window and slide) form a grouping, and groupings that share group fields share one
 * shuffle ({@link AggregateShuffle#plan}): the rows any of their rules matched are hash-partitioned by the shared
 * fields (and a time bucket no window crosses), sorted by one long key (a hash of those fields, then the time: a radix
 * sort that compares no rows), and one streaming pass ({@link WindowAggregator}) computes every measure of every rule
 * of those groupings, holding only the windows that are open at the current record of the current hash. No aggregate
 * buffer is serialized per row and no window is re-aggregated per rule, so memory stays bounded by the records of one
 * partition value within one window whatever the number of groups. A run reports the windows that end within its day.
 */
public final class AggregateStage
{
    public static final String WINDOW_START = "_window_start";
    private static final String EPOCH = "_epoch";
    private static final String RULE = "_rule";
    private static final String MEASURES = "_measures";
    private static final String SAMPLES = "_samples";
    /** Columns of {@link #windows} besides the {@link #COLUMNS}: whether having held, and the recorded measures as JSON (null when none). */
    public static final String HIT = "_hit";
    public static final String RECORDED = "_recorded";
    private static final String GROUP = "_group";
    private static final String GROUPING = "_grouping";
    private static final String SORT_KEY = "_sort_key";
    private static final String EVENT_ID = "_event_id";
    private static final String INCLUDE = "_include";
    private static final String TAG = "_tag";
    private static final String HASH = "_hash";
    private static final String PREVIOUS_DAY = "_previous_day";
    private static final String SHUFFLE = "_shuffle";
    private static final String WRITTEN = "_written";
    private static final String FLAGS = "_flags";
    /** The {@link ScanColumns#KIND} of a window in the output of {@link #withWindows}. */
    public static final String WINDOW = "window";
    /** The columns {@link #withWindows} adds after the scan's: the window's shuffle, grouping, start, rule, measures, samples, hit and recorded measures. */
    public static final List<String> WINDOW_COLUMNS = List.of(SHUFFLE, GROUPING, WINDOW_START, RULE, MEASURES, SAMPLES, HIT, RECORDED);
    /** The measure functions computed per window ({@link MeasureAccumulator}); "expression" is computed from them. */
    private static final Set<String> COMPUTED = Set.of("count", "count_distinct", "sum", "min", "max", "avg", "stddev", "percentile", "interval_cv", "entropy",
            "count_new", "history_avg", "history_max");

    /** Columns of the hits: one row per (rule, group, window) whose having held. */
    public static final List<String> COLUMNS = List.of(Documents.ID, Documents.TIMESTAMP, "window.end", "rule.id", "rule.uuid", "rule.name", "rule.severity", "dragnet.topic",
            "event.dataset", "source.ip", "destination.ip", "asset.criticality", Documents.ENTITY, "aggregate.group", "aggregate.measures", "aggregate.samples");

    private AggregateStage() {}

    public static String ruleFlag(int rule)
    {
        return "_agg" + rule;
    }

    public static String filterFlag(int rule, int measure)
    {
        return "_agg" + rule + "_" + measure;
    }

    /** The aggregate rules of a spec, in spec order; their index names the scan's flag columns. */
    public static List<JobSpec.RuleSpec> rules(JobSpec spec)
    {
        return spec.rules().stream().filter(rule -> rule.aggregate() != null).toList();
    }

    /**
     * The flag columns the scan adds: each rule's match (its predicate and time window) and each measure filter.
     *
     * @param matches the column a rule's predicate and time window compile to
     * @param predicates compiles a measure filter
     */
    public static Map<String, Column> flags(List<JobSpec.RuleSpec> rules, Function<JobSpec.RuleSpec, Column> matches, Function<io.dragnet.contracts.Predicate, Column> predicates)
    {
        Map<String, Column> flags = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            Column match = coalesce(matches.apply(rules.get(i)), lit(false));
            flags.put(ruleFlag(i), match);
            List<AggregateSpec.MeasureSpec> measures = rules.get(i).aggregate().measures();
            for (int j = 0; j < measures.size(); j++) {
                if (measures.get(j).filter() != null) {
                    flags.put(filterFlag(i, j), match.and(coalesce(predicates.apply(measures.get(j).filter()), lit(false))));
                }
            }
        }
        return flags;
    }

    /** Source fields the aggregate rules read: group fields, measure fields, the time and the event id. */
    public static List<String> neededFields(List<JobSpec.RuleSpec> rules, EcsMapping mapping)
    {
        List<String> fields = new ArrayList<>();
        for (JobSpec.RuleSpec rule : rules) {
            fields.addAll(rule.aggregate().fieldsRead());
        }
        mapping.timeField().ifPresent(fields::add);
        mapping.sourceField("event.id").ifPresent(fields::add);
        return fields.stream().distinct().toList();
    }

    /**
     * The JSON body of a hit in OpenSearch: every column but the id, with the measures as an object of numbers
     * ({@code aggregate.measures.<name>}, mapped as double by the result template) so analysts can filter and sort on them.
     */
    public static Column indexBody()
    {
        List<Column> body = new ArrayList<>();
        for (String column : COLUMNS.subList(1, COLUMNS.size())) {
            body.add(column.equals("aggregate.measures")
                    ? from_json(Columns.field(column), DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType)).as(column)
                    : Columns.field(column));
        }
        return to_json(struct(body.toArray(Column[]::new)), Documents.JSON_OPTIONS);
    }

    /**
     * How far before midnight the previous day's records matter: the longest (window - slide) of the rules that read
     * the previous day, 0 when none does.
     */
    public static long previousDayTailSeconds(JobSpec spec)
    {
        return rules(spec).stream().map(JobSpec.RuleSpec::aggregate).filter(aggregate -> aggregate.previousDayLocation() != null)
                .mapToLong(aggregate -> aggregate.windowSeconds() - aggregate.slideSeconds()).max().orElse(0);
    }

    /** The previous day's partition the spec's rules read, when any does (every rule of a spec names the same one). */
    public static Optional<String> previousDayLocation(JobSpec spec)
    {
        return rules(spec).stream().map(rule -> rule.aggregate().previousDayLocation()).filter(Objects::nonNull).findFirst();
    }

    /** The raw fields whose values count_new measures of the spec look back on; the day's values of each are recorded. */
    public static List<String> newValueFields(JobSpec spec)
    {
        return rules(spec).stream().flatMap(rule -> rule.aggregate().measures().stream()).filter(measure -> measure.function().equals("count_new"))
                .map(AggregateSpec.MeasureSpec::field).distinct().toList();
    }

    /** The measures of a rule that its history measures look back on, whose values are recorded for every window. */
    public static List<String> recordedMeasures(AggregateSpec aggregate)
    {
        return aggregate.measures().stream().filter(measure -> measure.function().startsWith("history_")).map(AggregateSpec.MeasureSpec::field).distinct().toList();
    }

    /**
     * The scan's output with the windows of every aggregate rule, from one exchange of the scan's rows: each kept row is
     * emitted once as it is when it is written ({@code written}: records a record rule matched, rejects, tallies),
     * and once per aggregate shuffle ({@link AggregateShuffle#plan}) whose rules matched it, carrying only the columns
     * that shuffle reads. The rows of a shuffle are partitioned by its shared group fields (and a time bucket no window
     * crosses) and sorted by one long key (the shuffle's tag, a hash of those fields, then the time: a radix sort that
     * compares no rows); on the reduce side ({@link ScanExchangeReducer}) the written rows pass through and one
     * streaming pass per shuffle ({@link WindowAggregator}) computes every measure of every rule of its groupings,
     * holding only the windows open at the current record of the current hash. So the source is read once, the
     * aggregate rows are never written to files, and memory stays bounded by the records of one partition value within
     * one window whatever the number of groups.
     *
     * <p>The result has the scan's columns and {@link #WINDOW_COLUMNS}: the written rows, and one row per (rule, group,
     * window) of kind {@link #WINDOW} that is a hit or whose measures are recorded, its group values in the group
     * fields' columns ({@link #windows} shapes them, {@link #scanRows} takes the rest). A run reports the windows that
     * end within its day; a rule whose spec names a previous day ({@link AggregateSpec#previousDayLocation()}) also
     * counts the rows of {@code previousDayTail} ({@link #previousDayTailSeconds}), which are never written.
     *
     * @param kept the scan's kept rows with the flag columns ({@link #flags})
     * @param previousDayTail the previous day's rows the rules read, or null
     * @param history the earlier days history measures read
     */
    public static Dataset<Row> withWindows(Dataset<Row> kept, Column written, Dataset<Row> previousDayTail, JobSpec spec, EcsMapping mapping, AggregateHistory history)
    {
        List<JobSpec.RuleSpec> rules = rules(spec);
        long dayStart = LocalDate.parse(spec.date()).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        List<AggregateShuffle> shuffles = AggregateShuffle.plan(rules.stream().map(JobSpec.RuleSpec::aggregate).toList());
        List<List<List<Integer>>> groupingsPerShuffle = shuffles.stream().map(shuffle -> groupingMembers(rules, shuffle)).toList();
        List<String> scanColumns = List.of(kept.columns());
        StructType scanSchema = kept.schema();
        int tagBits = 64 - Long.numberOfLeadingZeros(shuffles.size());
        int tagShift = 63 - tagBits;
        List<ShuffleBranch> shuffleBranches = new ArrayList<>();
        Set<String> aggregateColumns = new LinkedHashSet<>();
        for (int s = 0; s < shuffles.size(); s++) {
            ShuffleBranch branch = shuffleBranch(s, shuffles, groupingsPerShuffle.get(s), rules, spec, dayStart, tagShift);
            shuffleBranches.add(branch);
            aggregateColumns.addAll(branch.reads());
        }
        List<Integer> timeBitsPerShuffle = shuffleBranches.stream().map(ShuffleBranch::timeBits).toList();
        // the flags travel as bits of long columns: one long per 64 flags rather than a column each
        Set<String> flagNames = flagNames(rules);
        List<String> flags = aggregateColumns.stream().filter(flagNames::contains).toList();
        aggregateColumns.removeAll(flags);
        List<String> packed = IntStream.range(0, (flags.size() + 63) / 64).mapToObj(i -> FLAGS + i).toList();
        Function<String, Column> flag = name -> col(FLAGS + flags.indexOf(name) / 64).bitwiseAND(lit(1L << flags.indexOf(name) % 64)).notEqual(lit(0L));

        Dataset<Row> rows = branchInputs(kept, written, previousDayTail, mapping, shuffleBranches, flags);
        Column eventId = mapping.sourceField("event.id").map(field -> Columns.field(field).cast(DataTypes.StringType)).orElse(lit(null).cast(DataTypes.StringType));
        Column[] atomicColumns = Arrays.stream(scanSchema.fields()).filter(field -> field.dataType() instanceof AtomicType)
                .map(field -> Columns.field(field.name())).toArray(Column[]::new);
        List<List<Column>> branches = new ArrayList<>();
        // a written row's sort key is a hash of the row below the tag bits: tag 0 sorts first, and the hash spreads written rows over the partitions
        Column writtenKey = xxhash64(atomicColumns).bitwiseAND(lit((1L << tagShift) - 1));
        branches.add(branch(writtenKey, lit(0.0), lit(null).cast(DataTypes.StringType), col(INCLUDE), -1, aggregateColumns, Set.of(),
                packed, false, scanColumns, scanSchema));
        for (int s = 0; s < shuffles.size(); s++) {
            ShuffleBranch shuffle = shuffleBranches.get(s);
            branches.add(branch(shuffle.sortKey(), col(EPOCH), eventId, col(INCLUDE + s), s, aggregateColumns, shuffle.reads(), packed, true, null,
                    scanSchema));
        }
        Dataset<Row> exchanged = Expansion.of(rows, branches).where(col(INCLUDE));

        Map<String, String> historyColumns = new LinkedHashMap<>();
        for (int s = 0; s < shuffles.size(); s++) {
            List<List<Integer>> groupings = groupingsPerShuffle.get(s);
            for (int g = 0; g < groupings.size(); g++) {
                exchanged = withHistory(exchanged, col(TAG).equalTo(s), flag, rules, groupings.get(g), GROUP + s + "_" + g, history, historyColumns);
            }
        }
        List<Column> input = new ArrayList<>();
        input.add(col(SORT_KEY));
        input.add(col(EPOCH));
        input.add(col(EVENT_ID));
        aggregateColumns.forEach(column -> input.add(Columns.field(column)));
        packed.forEach(column -> input.add(col(column)));
        input.add(col(WRITTEN));
        historyColumns.values().forEach(column -> input.add(col(column)));
        Dataset<Row> prepared = exchanged.select(input.toArray(Column[]::new));
        List<String> preparedColumns = List.of(prepared.columns());
        // an input column's index; a flag's bit in its long column
        Function<String, Integer> column = name -> {
            if (flags.contains(name)) {
                return WindowAggregator.bit(preparedColumns.indexOf(FLAGS + flags.indexOf(name) / 64), flags.indexOf(name) % 64);
            }
            int index = preparedColumns.indexOf(name);
            if (index < 0) {
                throw new IllegalStateException("column " + name + " is not among the aggregators' input");
            }
            return index;
        };

        List<WindowAggregator> aggregators = new ArrayList<>();
        List<int[]> groupFieldColumns = new ArrayList<>();
        for (int s = 0; s < shuffles.size(); s++) {
            List<String> groupFields = new ArrayList<>();
            List<WindowAggregator.GroupingPlan> plans = new ArrayList<>();
            for (List<Integer> members : groupingsPerShuffle.get(s)) {
                AggregateSpec shape = rules.get(members.get(0)).aggregate();
                int[] keyColumns = new int[shape.groupBy().size()];
                int[] slots = new int[keyColumns.length];
                for (int k = 0; k < keyColumns.length; k++) {
                    String field = shape.groupBy().get(k);
                    keyColumns[k] = column.apply(field);
                    if (!groupFields.contains(field)) {
                        groupFields.add(field);
                    }
                    slots[k] = groupFields.indexOf(field);
                }
                // the aggregator shares what rules count alike, so equal flags are read from one column
                Map<String, String> equalFlags = equalFlags(rules, members);
                Function<String, Integer> sharedColumn = name -> column.apply(equalFlags.getOrDefault(name, name));
                List<WindowAggregator.RulePlan> rulePlans = new ArrayList<>();
                for (int rule : members) {
                    rulePlans.add(rulePlan(rules.get(rule), rule, sharedColumn, historyColumns));
                }
                plans.add(new WindowAggregator.GroupingPlan(keyColumns, slots, shape.windowSeconds(), shape.slideSeconds(), rulePlans));
            }
            aggregators.add(new WindowAggregator(timeBitsPerShuffle.get(s), groupFields.size(), dayStart, prepared.schema(), plans));
            groupFieldColumns.add(groupFields.stream().mapToInt(scanColumns::indexOf).toArray());
        }

        StructType output = new StructType();
        for (StructField field : scanSchema.fields()) {
            output = output.add(field.name(), field.dataType(), true);
        }
        output = output.add(SHUFFLE, DataTypes.IntegerType, true).add(GROUPING, DataTypes.IntegerType, true).add(WINDOW_START, DataTypes.LongType, true)
                .add(RULE, DataTypes.IntegerType, true).add(MEASURES, DataTypes.StringType, true)
                .add(SAMPLES, DataTypes.createArrayType(DataTypes.StringType, false), true)
                .add(HIT, DataTypes.BooleanType, true).add(RECORDED, DataTypes.StringType, true);
        // the reducer reads Spark's internal rows as the sort holds them and hands its own back, converting none to Row
        // the partition comes from the sort key and time, so the rows carry no column for it and need no narrowing after the shuffle
        Dataset<Row> sorted = prepared.repartition(exchangePartition(shuffles, shuffleBranches, tagShift)).sortWithinPartitions(col(SORT_KEY));
        if (!Arrays.equals(sorted.columns(), prepared.columns())) {
            throw new IllegalStateException("the sorted exchange's columns " + Arrays.toString(sorted.columns()) + " are not the aggregators' input");
        }
        JavaRDD<InternalRow> reduced = sorted.queryExecution().toRdd().toJavaRDD()
                .mapPartitions(new ScanExchangeReducer(tagShift, preparedColumns.indexOf(WRITTEN), scanColumns.size(), scanColumns.indexOf(ScanColumns.KIND),
                        aggregators, groupFieldColumns));
        return kept.sparkSession().internalCreateDataFrame(reduced.rdd(), output, false);
    }

    /**
     * What a scan row carries into one aggregate shuffle, over the columns {@link #branchInputs} adds: whether it goes
     * there ({@code include}, column {@code _include<s>}), the hash of its partition values ({@code groupHash}, column
     * {@code _hash<s>}), its sort key (the shuffle's tag, the group hash and the time), the columns the shuffle reads
     * and the sort key's bits of time.
     */
    private record ShuffleBranch(Column include, Column groupHash, Column sortKey, Set<String> reads, int timeBits) {}

    private static ShuffleBranch shuffleBranch(int s, List<AggregateShuffle> shuffles, List<List<Integer>> groupings, List<JobSpec.RuleSpec> rules, JobSpec spec,
            long dayStart, int tagShift)
    {
        AggregateShuffle shuffle = shuffles.get(s);
        Column epoch = col(EPOCH);
        Column any = lit(false);
        for (List<Integer> members : groupings) {
            for (int rule : members) {
                any = any.or(Columns.field(ruleFlag(rule)));
            }
        }
        // a record at or before the day's start minus the longest window, or after the day, is in no window that ends within the day
        long longestWindow = groupings.stream().mapToLong(members -> rules.get(members.get(0)).aggregate().windowSeconds()).max().orElseThrow();
        long earliest = dayStart - longestWindow;
        int timeBits = WindowAggregator.timeBits(longestWindow);
        if (tagShift - timeBits < 8) {
            throw DragnetException.user("job spec for " + spec.source().name() + ": aggregate windows up to " + longestWindow + " seconds in "
                    + shuffles.size() + " shuffles leave too few bits of the sort key for the group hash");
        }
        Column isRecord = Columns.field(ScanColumns.KIND).equalTo(lit(ScanColumns.RECORD));
        Column include = coalesce(isRecord.and(any).and(epoch.gt(earliest)).and(epoch.lt(dayStart + 86_400)), lit(false));
        Column groupHash = xxhash64(shuffle.partitionFields().stream().map(Columns::field).toArray(Column[]::new));
        // the sort key: the shuffle's tag, the group hash, the microseconds since the earliest time (see WindowAggregator)
        Column hash = col(HASH + s);
        Column micros = floor(epoch.minus(earliest).multiply(1_000_000));
        Column sortKey = lit((long) (s + 1) << tagShift).bitwiseOR(shiftleft(hash.bitwiseAND(lit((1L << (tagShift - timeBits)) - 1)), timeBits)).bitwiseOR(micros);
        return new ShuffleBranch(include, groupHash, sortKey, columnsRead(rules, groupings), timeBits);
    }

    /**
     * The exchange partition of a branch row, computed from its sort key and time so that the rows carry no column for
     * it: a shuffle's rows by their tag and group hash (the key above its time bits) and the time bucket no window of the
     * shuffle crosses, written rows (tag 0) by their key, a hash of the row.
     */
    private static Column exchangePartition(List<AggregateShuffle> shuffles, List<ShuffleBranch> branches, int tagShift)
    {
        Column key = col(SORT_KEY);
        Column partition = key;
        for (int s = shuffles.size() - 1; s >= 0; s--) {
            List<Column> parts = new ArrayList<>(List.of(shiftrightunsigned(key, branches.get(s).timeBits())));
            if (shuffles.get(s).bucketSeconds() > 0) {
                parts.add(floor(col(EPOCH).divide(shuffles.get(s).bucketSeconds())));
            }
            partition = when(shiftrightunsigned(key, tagShift).equalTo(s + 1), xxhash64(parts.toArray(Column[]::new))).otherwise(partition);
        }
        return partition;
    }

    /** The names of every rule's flag and of every measure's filter flag ({@link #ruleFlag}, {@link #filterFlag}). */
    private static Set<String> flagNames(List<JobSpec.RuleSpec> rules)
    {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            names.add(ruleFlag(i));
            for (int j = 0; j < rules.get(i).aggregate().measures().size(); j++) {
                names.add(filterFlag(i, j));
            }
        }
        return names;
    }

    /**
     * The scan's rows and the previous day's tail with what every branch reads, computed once per row below the
     * expansion: the time in epoch seconds, whether the row is written as it is, each shuffle's inclusion and group
     * hash (only where included), and the {@code flags} packed as bits of one long per 64.
     */
    private static Dataset<Row> branchInputs(Dataset<Row> kept, Column written, Dataset<Row> previousDayTail, EcsMapping mapping, List<ShuffleBranch> shuffles,
            List<String> flags)
    {
        Dataset<Row> rows = kept.withColumn(PREVIOUS_DAY, lit(false));
        if (previousDayTail != null) {
            rows = rows.unionByName(previousDayTail.withColumn(PREVIOUS_DAY, lit(true)), true);
        }
        rows = rows.withColumn(EPOCH, mapping.timestamp().cast(DataTypes.DoubleType));
        rows = rows.withColumn(INCLUDE, coalesce(written.and(not(Columns.field(PREVIOUS_DAY))), lit(false)));
        for (int s = 0; s < shuffles.size(); s++) {
            rows = rows.withColumn(INCLUDE + s, shuffles.get(s).include()).withColumn(HASH + s, when(col(INCLUDE + s), shuffles.get(s).groupHash()));
        }
        for (int i = 0; i < flags.size(); i += 64) {
            Column bits = lit(0L);
            for (int b = 0; b < 64 && i + b < flags.size(); b++) {
                bits = bits.bitwiseOR(when(Columns.field(flags.get(i + b)), lit(1L << b)).otherwise(lit(0L)));
            }
            rows = rows.withColumn(FLAGS + i / 64, bits);
        }
        return rows;
    }

    /** The aggregate rules of each grouping of a shuffle, by their index among {@code rules}, in the shuffle's grouping order. */
    private static List<List<Integer>> groupingMembers(List<JobSpec.RuleSpec> rules, AggregateShuffle shuffle)
    {
        return shuffle.groupings().stream()
                .map(key -> IntStream.range(0, rules.size()).filter(i -> rules.get(i).aggregate().groupingKey().equals(key)).boxed().toList())
                .toList();
    }

    /** The scan columns the rules of a shuffle's groupings read: their flags, group fields and measure fields. */
    private static Set<String> columnsRead(List<JobSpec.RuleSpec> rules, List<List<Integer>> groupings)
    {
        Set<String> read = new LinkedHashSet<>();
        for (List<Integer> members : groupings) {
            for (int rule : members) {
                read.add(ruleFlag(rule));
                AggregateSpec aggregate = rules.get(rule).aggregate();
                read.addAll(aggregate.groupBy());
                for (int j = 0; j < aggregate.measures().size(); j++) {
                    AggregateSpec.MeasureSpec measure = aggregate.measures().get(j);
                    if (measure.filter() != null) {
                        read.add(filterFlag(rule, j));
                    }
                    if (measure.field() != null && !measure.function().startsWith("history_")) {
                        read.add(measure.field());
                    }
                }
            }
        }
        return read;
    }

    /**
     * One branch of a scan row in the exchange: its sort key, time, event id, whether it goes there, its tag, the
     * {@code aggregateColumns} (null but those it {@code reads}), the {@code packed} flags (null unless
     * it {@code carriesFlags}), then the scan row as one struct when it is {@code written} (null otherwise).
     */
    private static List<Column> branch(Column sortKey, Column epoch, Column eventId, Column include, int tag, Set<String> aggregateColumns,
            Set<String> reads, List<String> packed, boolean carriesFlags, List<String> written, StructType scanSchema)
    {
        List<Column> fields = new ArrayList<>();
        fields.add(when(include, sortKey.cast(DataTypes.LongType)).as(SORT_KEY));
        fields.add(epoch.cast(DataTypes.DoubleType).as(EPOCH));
        fields.add(eventId.as(EVENT_ID));
        fields.add(include.as(INCLUDE));
        fields.add(lit(tag).as(TAG));
        for (String name : aggregateColumns) {
            fields.add((reads.contains(name) ? Columns.field(name) : lit(null).cast(scanSchema.apply(name).dataType())).as(name));
        }
        for (String name : packed) {
            fields.add((carriesFlags ? col(name) : lit(null).cast(DataTypes.LongType)).as(name));
        }
        // the expansion computes every branch of every row before the filter on include: a row that is not written builds no struct
        Column row = written == null ? lit(null).cast(scanSchema) : when(include, struct(written.stream().map(name -> Columns.field(name).as(name)).toArray(Column[]::new)));
        fields.add(row.as(WRITTEN));
        return fields;
    }

    /** The scan's rows of the output of {@link #withWindows} (records, rejects, tallies), with the scan's columns only. */
    public static Dataset<Row> scanRows(Dataset<Row> scanOutput)
    {
        return scanOutput.where(Columns.field(ScanColumns.KIND).notEqual(lit(WINDOW))).drop(WINDOW_COLUMNS.toArray(String[]::new));
    }

    /**
     * The windows among the output of {@link #withWindows}, with the {@link #COLUMNS} but {@code asset.criticality},
     * which the inventory lookup adds ({@link Enrichments#withAssetCriticality}), plus {@link #HIT} and {@link #RECORDED}:
     * every hit, and every other window of a rule whose measures are recorded for later days' history measures.
     */
    public static Dataset<Row> windows(Dataset<Row> scanOutput, JobSpec spec, EcsMapping mapping)
    {
        List<JobSpec.RuleSpec> rules = rules(spec);
        Dataset<Row> windowRows = scanOutput.where(Columns.field(ScanColumns.KIND).equalTo(lit(WINDOW)));
        Dataset<Row> result = null;
        List<AggregateShuffle> shuffles = AggregateShuffle.plan(rules.stream().map(JobSpec.RuleSpec::aggregate).toList());
        for (int s = 0; s < shuffles.size(); s++) {
            List<List<JobSpec.RuleSpec>> members = groupingMembers(rules, shuffles.get(s)).stream().map(indices -> indices.stream().map(rules::get).toList()).toList();
            Dataset<Row> hits = hitColumns(windowRows.where(Columns.field(SHUFFLE).equalTo(s)), spec, members, mapping);
            result = result == null ? hits : result.unionByName(hits);
        }
        return result;
    }

    /**
     * History measures of a grouping's rules: each record of the grouping's shuffle ({@code inShuffle}) learns whether its value is new and its group's figures on
     * earlier days; the columns holding them are put in {@code historyColumns} by "rule/measure".
     *
     * @param flag a flag column ({@link #ruleFlag}, {@link #filterFlag}) of the exchanged rows, by name
     */
    private static Dataset<Row> withHistory(Dataset<Row> rows, Column inShuffle, Function<String, Column> flag, List<JobSpec.RuleSpec> rules, List<Integer> members,
            String groupColumn,
            AggregateHistory history, Map<String, String> historyColumns)
    {
        AggregateSpec shape = rules.get(members.get(0)).aggregate();
        boolean grouped = false;
        for (int rule : members) {
            AggregateSpec aggregate = rules.get(rule).aggregate();
            Optional<Dataset<Row>> earlier = Optional.empty();
            if (aggregate.measures().stream().anyMatch(measure -> measure.function().startsWith("history_"))) {
                earlier = history.earlierWindows(rules.get(rule).id(), aggregate.historyDays());
                if (earlier.isPresent()) {
                    if (!grouped) {
                        rows = rows.withColumn(groupColumn, when(inShuffle, groupJson(shape)));
                        grouped = true;
                    }
                    Dataset<Row> figures = earlier.get().select(col(AggregateHistory.GROUP).as("_hg" + rule), col(AggregateHistory.AVERAGES).as("_havg" + rule),
                            col(AggregateHistory.MAXIMA).as("_hmax" + rule));
                    rows = rows.join(figures, col(groupColumn).equalTo(col("_hg" + rule)), "left_outer");
                }
            }
            for (int j = 0; j < aggregate.measures().size(); j++) {
                AggregateSpec.MeasureSpec measure = aggregate.measures().get(j);
                String column = "_h" + rule + "_" + j;
                if (measure.function().equals("count_new")) {
                    Optional<Dataset<Row>> seen = history.seenValues(measure.field(), aggregate.historyDays());
                    if (seen.isPresent()) {
                        String seenColumn = "_seen" + rule + "_" + j;
                        Column condition = flag.apply(measure.filter() == null ? ruleFlag(rule) : filterFlag(rule, j));
                        rows = rows.join(seen.get().select(col(AggregateHistory.SEEN).as(seenColumn)),
                                        when(inShuffle, Columns.field(measure.field()).cast(DataTypes.StringType)).equalTo(col(seenColumn)), "left_outer")
                                .withColumn(column, coalesce(condition, lit(false)).and(col(seenColumn).isNull())).drop(seenColumn);
                        historyColumns.put(rule + "/" + j, column);
                    }
                }
                else if (measure.function().startsWith("history_") && earlier.isPresent()) {
                    String figures = measure.function().equals("history_avg") ? "_havg" + rule : "_hmax" + rule;
                    rows = rows.withColumn(column, element_at(col(figures), lit(measure.field())));
                    historyColumns.put(rule + "/" + j, column);
                }
            }
        }
        return rows;
    }

    /**
     * The flags of a grouping's rules, each mapped to the first of them that is equal on every record: rules with the
     * same predicate and time window match the same records, and so do their measure filters with the same filter.
     */
    private static Map<String, String> equalFlags(List<JobSpec.RuleSpec> rules, List<Integer> members)
    {
        Map<List<Object>, String> first = new HashMap<>();
        Map<String, String> equal = new HashMap<>();
        for (int rule : members) {
            JobSpec.RuleSpec spec = rules.get(rule);
            equal.put(ruleFlag(rule), first.computeIfAbsent(Arrays.asList(spec.predicate(), spec.timeWindow()), key -> ruleFlag(rule)));
            List<AggregateSpec.MeasureSpec> measures = spec.aggregate().measures();
            for (int j = 0; j < measures.size(); j++) {
                if (measures.get(j).filter() != null) {
                    String filter = filterFlag(rule, j);
                    equal.put(filter, first.computeIfAbsent(Arrays.asList(spec.predicate(), spec.timeWindow(), measures.get(j).filter()), key -> filter));
                }
            }
        }
        return equal;
    }

    /** How the aggregator computes one rule: its flag and each measure's function, value and condition columns. */
    private static WindowAggregator.RulePlan rulePlan(JobSpec.RuleSpec spec, int rule, Function<String, Integer> column, Map<String, String> historyColumns)
    {
        AggregateSpec aggregate = spec.aggregate();
        int flag = column.apply(ruleFlag(rule));
        List<WindowAggregator.MeasurePlan> measures = new ArrayList<>();
        for (int j = 0; j < aggregate.measures().size(); j++) {
            AggregateSpec.MeasureSpec measure = aggregate.measures().get(j);
            if (measure.function().equals("expression")) {
                measures.add(new WindowAggregator.MeasurePlan(measure.name(), measure.function(), -1, -1, null, measure.expression(), measure.hidden()));
                continue;
            }
            checkComputed(spec, measure);
            int condition = measure.filter() == null ? flag : column.apply(filterFlag(rule, j));
            String historyColumn = historyColumns.get(rule + "/" + j);
            boolean overHistory = measure.function().equals("count_new") || measure.function().startsWith("history_");
            String function = overHistory && historyColumn == null ? MeasureAccumulator.NO_VALUE : measure.function();
            int value;
            if (measure.function().startsWith("history_")) {
                value = historyColumn == null ? -1 : column.apply(historyColumn);
            }
            else {
                value = measure.field() == null ? -1 : column.apply(measure.field());
                if (measure.function().equals("count_new") && historyColumn != null) {
                    condition = column.apply(historyColumn);
                }
            }
            measures.add(new WindowAggregator.MeasurePlan(measure.name(), function, value, condition, measure.parameter(), null, measure.hidden()));
        }
        // a rule that does not read the previous day leaves windows that start before the day out: none of its records count there
        return new WindowAggregator.RulePlan(flag, measures, aggregate.having(), aggregate.samples(), recordedMeasures(aggregate), aggregate.previousDayLocation() != null);
    }

    private static void checkComputed(JobSpec.RuleSpec rule, AggregateSpec.MeasureSpec measure)
    {
        if (!COMPUTED.contains(measure.function())) {
            throw DragnetException.user("rule " + rule.id() + ": measure " + measure.name() + " uses " + measure.function()
                    + ", which this version of the extraction job does not compute");
        }
    }

    /** The hits of one shuffle's groupings in the {@link #COLUMNS} but asset.criticality; each row's grouping and rule pick its texts. */
    private static Dataset<Row> hitColumns(Dataset<Row> aggregated, JobSpec spec, List<List<JobSpec.RuleSpec>> groupings, EcsMapping mapping)
    {
        List<AggregateSpec> shapes = groupings.stream().map(members -> members.get(0).aggregate()).toList();
        Column group = perGrouping(shapes, AggregateStage::groupJson);
        Column start = Columns.field(WINDOW_START);
        Column ruleId = perRule(groupings, JobSpec.RuleSpec::id);
        return aggregated.select(
                sha2(concat_ws("\u001f", ruleId, lit(spec.source().name()), group, start.cast(DataTypes.StringType)), 256).as(Documents.ID),
                start.cast(DataTypes.TimestampType).as(Documents.TIMESTAMP),
                start.plus(perGrouping(shapes, shape -> lit(shape.windowSeconds()))).cast(DataTypes.TimestampType).as("window.end"),
                ruleId.as("rule.id"),
                perRule(groupings, JobSpec.RuleSpec::uuid).as("rule.uuid"),
                perRule(groupings, JobSpec.RuleSpec::title).as("rule.name"),
                perRule(groupings, JobSpec.RuleSpec::severity).as("rule.severity"),
                perRule(groupings, JobSpec.RuleSpec::topic).as("dragnet.topic"),
                lit(spec.source().dataset()).as("event.dataset"),
                perGrouping(shapes, shape -> groupField(shape, mapping, "source.ip")).as("source.ip"),
                perGrouping(shapes, shape -> groupField(shape, mapping, "destination.ip")).as("destination.ip"),
                perGrouping(shapes, shape -> concat_ws("|", shape.groupBy().stream().map(field -> Columns.field(field).cast(DataTypes.StringType)).toArray(Column[]::new)))
                        .as(Documents.ENTITY),
                group.as("aggregate.group"),
                Columns.field(MEASURES).as("aggregate.measures"),
                Columns.field(SAMPLES).cast("array<string>").as("aggregate.samples"),
                Columns.field(HIT).as(HIT),
                Columns.field(RECORDED).as(RECORDED));
    }

    /** A column of each grouping, chosen by the aggregator's grouping index. */
    private static Column perGrouping(List<AggregateSpec> shapes, Function<AggregateSpec, Column> column)
    {
        Column chosen = column.apply(shapes.get(shapes.size() - 1));
        for (int g = shapes.size() - 2; g >= 0; g--) {
            chosen = when(Columns.field(GROUPING).equalTo(g), column.apply(shapes.get(g))).otherwise(chosen);
        }
        return chosen;
    }

    /** The group values as JSON, as in {@code aggregate.group}; the key history measures find a group's earlier days by. */
    private static Column groupJson(AggregateSpec shape)
    {
        List<Column> groupValues = shape.groupBy().stream().map(field -> Columns.field(field).as(field)).toList();
        return to_json(struct(groupValues.toArray(Column[]::new)), Documents.JSON_OPTIONS);
    }

    /** A text of each rule, chosen by the aggregator's grouping and rule index. */
    private static Column perRule(List<List<JobSpec.RuleSpec>> groupings, Function<JobSpec.RuleSpec, String> text)
    {
        Column chosen = lit(null).cast(DataTypes.StringType);
        for (int g = groupings.size() - 1; g >= 0; g--) {
            List<JobSpec.RuleSpec> members = groupings.get(g);
            for (int r = members.size() - 1; r >= 0; r--) {
                chosen = when(Columns.field(GROUPING).equalTo(g).and(Columns.field(RULE).equalTo(r)), lit(text.apply(members.get(r))).cast(DataTypes.StringType))
                        .otherwise(chosen);
            }
        }
        return chosen;
    }

    private static Column groupField(AggregateSpec aggregate, EcsMapping mapping, String ecs)
    {
        return mapping.sourceField(ecs).filter(aggregate.groupBy()::contains).map(field -> Columns.field(field).cast(DataTypes.StringType))
                .orElse(lit(null).cast(DataTypes.StringType));
    }
}
