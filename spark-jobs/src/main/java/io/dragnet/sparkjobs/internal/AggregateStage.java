package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.AggregateSpec;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.JobSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.Seq;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.udaf;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

/**
 * The aggregate stage: pure functions from the scan's projection to aggregate hits. The scan adds one boolean column
 * per aggregate rule ({@link #ruleFlag}) and one per filtered measure ({@link #filterFlag}) next to the fields; here the
 * rules that group alike (same fields, window and slide) are computed by one groupBy, every measure of every such rule
 * in the same aggregation, so each grouping costs one shuffle. A run reports the windows that end within its day.
 */
public final class AggregateStage
{
    public static final String WINDOW_START = "_window_start";
    private static final UserDefinedFunction INTERVAL_CV = udf(
            (UDF1<Seq<Object>, Double>) times -> IntervalCv.of(times == null ? null : scala.collection.JavaConverters.seqAsJavaListConverter(times).asJava().stream()
                    .map(value -> value == null ? null : ((Number) value).doubleValue()).toList()),
            DataTypes.DoubleType);

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
            fields.addAll(rule.aggregate().groupBy());
            rule.aggregate().measures().stream().filter(measure -> measure.field() != null && !measure.function().startsWith("history_"))
                    .forEach(measure -> fields.add(measure.field()));
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
     * Hits of every aggregate rule over the projection (rows carrying the flag columns), with the {@link #COLUMNS} but
     * {@code asset.criticality}, which the inventory lookup adds ({@link Enrichments#withAssetCriticality}).
     *
     * @param readsPreviousDay true when the projection holds the previous day's tail for sliding windows that start
     *                         before the day; otherwise such windows are left out
     */
    public static Dataset<Row> hits(Dataset<Row> projection, JobSpec spec, EcsMapping mapping, boolean readsPreviousDay)
    {
        List<JobSpec.RuleSpec> rules = rules(spec);
        long dayStart = LocalDate.parse(spec.date()).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long dayEnd = dayStart + 86_400;
        Map<String, List<Integer>> groupings = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            groupings.computeIfAbsent(rules.get(i).aggregate().groupingKey(), key -> new ArrayList<>()).add(i);
        }
        Dataset<Row> result = null;
        for (List<Integer> members : groupings.values()) {
            Dataset<Row> hits = grouping(projection, spec, rules, members, mapping, dayStart, dayEnd, readsPreviousDay);
            result = result == null ? hits : result.unionByName(hits);
        }
        return result;
    }

    private static Dataset<Row> grouping(Dataset<Row> projection, JobSpec spec, List<JobSpec.RuleSpec> rules, List<Integer> members, EcsMapping mapping,
            long dayStart, long dayEnd, boolean readsPreviousDay)
    {
        AggregateSpec shape = rules.get(members.get(0)).aggregate();
        long size = shape.windowSeconds();
        long slide = shape.slideSeconds();
        Column any = lit(false);
        for (int rule : members) {
            any = any.or(Columns.field(ruleFlag(rule)));
        }
        Column epoch = mapping.timestamp().cast(DataTypes.DoubleType);
        Dataset<Row> rows = projection.where(any.and(epoch.isNotNull())).withColumn("_epoch", epoch);
        Column slot = floor(Columns.field("_epoch").divide(slide)).cast(DataTypes.LongType);
        if (size == slide) {
            rows = rows.withColumn(WINDOW_START, slot.multiply(slide));
        }
        else {
            rows = rows.withColumn("_k", explode(sequence(lit(0L), lit(size / slide - 1))))
                    .withColumn(WINDOW_START, slot.minus(Columns.field("_k")).multiply(slide));
        }
        Column end = Columns.field(WINDOW_START).plus(size);
        Column reported = end.gt(dayStart).and(end.leq(dayEnd));
        if (!readsPreviousDay) {
            reported = reported.and(Columns.field(WINDOW_START).geq(dayStart));
        }
        rows = rows.where(reported);
        Column eventId = mapping.sourceField("event.id").map(field -> Columns.field(field).cast(DataTypes.StringType)).orElse(lit(null).cast(DataTypes.StringType));
        List<Column> keys = new ArrayList<>();
        shape.groupBy().forEach(field -> keys.add(Columns.field(field)));
        keys.add(Columns.field(WINDOW_START));
        List<Column> aggregates = new ArrayList<>();
        for (int rule : members) {
            AggregateSpec aggregate = rules.get(rule).aggregate();
            Column flag = Columns.field(ruleFlag(rule));
            aggregates.add(count(when(flag, lit(1))).as("_n" + rule));
            UserDefinedFunction samples = udaf(new SampleIds(aggregate.samples()), Encoders.STRING());
            aggregates.add(samples.apply(when(flag, eventId)).as("_s" + rule));
            for (int j = 0; j < aggregate.measures().size(); j++) {
                AggregateSpec.MeasureSpec measure = aggregate.measures().get(j);
                if (!measure.function().equals("expression")) {
                    Column condition = measure.filter() == null ? flag : Columns.field(filterFlag(rule, j));
                    aggregates.add(measureColumn(rules.get(rule), measure, condition).as(measureColumn(rule, j)));
                }
            }
        }
        Dataset<Row> grouped = rows.groupBy(keys.toArray(Column[]::new))
                .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
        Dataset<Row> hits = null;
        for (int rule : members) {
            Dataset<Row> ruleHits = ruleHits(grouped, spec, rules.get(rule), rule, mapping, size);
            hits = hits == null ? ruleHits : hits.unionByName(ruleHits);
        }
        return hits;
    }

    private static String measureColumn(int rule, int measure)
    {
        return "_m" + rule + "_" + measure;
    }

    private static Column measureColumn(JobSpec.RuleSpec rule, AggregateSpec.MeasureSpec measure, Column condition)
    {
        Column field = measure.field() == null ? null : Columns.field(measure.field());
        return switch (measure.function()) {
            case "count" -> count(when(condition, lit(1))).cast(DataTypes.DoubleType);
            case "count_distinct" -> size(collect_set(when(condition, field))).cast(DataTypes.DoubleType);
            case "sum" -> org.apache.spark.sql.functions.sum(when(condition, field)).cast(DataTypes.DoubleType);
            case "min" -> org.apache.spark.sql.functions.min(when(condition, number(field))).cast(DataTypes.DoubleType);
            case "max" -> org.apache.spark.sql.functions.max(when(condition, number(field))).cast(DataTypes.DoubleType);
            case "avg" -> org.apache.spark.sql.functions.avg(when(condition, field)).cast(DataTypes.DoubleType);
            case "stddev" -> stddev_samp(when(condition, field)).cast(DataTypes.DoubleType);
            case "percentile" -> percentile_approx(when(condition, field.cast(DataTypes.DoubleType)), lit(measure.parameter() / 100.0), lit(10_000));
            case "interval_cv" -> INTERVAL_CV.apply(collect_list(when(condition, Columns.field("_epoch"))));
            default -> throw DragnetException.user("rule " + rule.id() + ": measure " + measure.name() + " uses " + measure.function()
                    + ", which this version of the extraction job does not compute");
        };
    }

    /** Times count as seconds since the epoch in min and max. */
    private static Column number(Column field)
    {
        return field.cast(DataTypes.DoubleType);
    }

    private static Dataset<Row> ruleHits(Dataset<Row> grouped, JobSpec spec, JobSpec.RuleSpec rule, int index, EcsMapping mapping, long size)
    {
        AggregateSpec aggregate = rule.aggregate();
        Map<String, Column> measures = new LinkedHashMap<>();
        for (int j = 0; j < aggregate.measures().size(); j++) {
            AggregateSpec.MeasureSpec measure = aggregate.measures().get(j);
            measures.put(measure.name(), measure.function().equals("expression")
                    ? expression(measure.expression(), measures)
                    : Columns.field(measureColumn(index, j)));
        }
        Column having = coalesce(expression(aggregate.having(), measures), lit(false));
        Dataset<Row> kept = grouped.where(Columns.field("_n" + index).gt(0).and(having));
        List<Column> groupValues = aggregate.groupBy().stream().map(field -> Columns.field(field).as(field)).toList();
        List<String> shown = aggregate.measures().stream().filter(measure -> !measure.hidden()).map(AggregateSpec.MeasureSpec::name).toList();
        Column names = array(shown.stream().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new));
        Column values = array(shown.stream().map(name -> measures.get(name).cast(DataTypes.DoubleType)).toArray(Column[]::new));
        Column group = to_json(struct(groupValues.toArray(Column[]::new)), Documents.JSON_OPTIONS);
        Column start = Columns.field(WINDOW_START);
        String source = spec.source().name();
        return kept.select(
                sha2(concat_ws("\u001f", lit(rule.id()), lit(source), group, start.cast(DataTypes.StringType)), 256).as(Documents.ID),
                start.cast(DataTypes.TimestampType).as(Documents.TIMESTAMP),
                start.plus(size).cast(DataTypes.TimestampType).as("window.end"),
                lit(rule.id()).as("rule.id"),
                lit(rule.uuid()).cast(DataTypes.StringType).as("rule.uuid"),
                lit(rule.title()).cast(DataTypes.StringType).as("rule.name"),
                lit(rule.severity()).cast(DataTypes.StringType).as("rule.severity"),
                lit(rule.topic()).as("dragnet.topic"),
                lit(spec.source().dataset()).as("event.dataset"),
                groupField(aggregate, mapping, "source.ip").as("source.ip"),
                groupField(aggregate, mapping, "destination.ip").as("destination.ip"),
                concat_ws("|", aggregate.groupBy().stream().map(field -> Columns.field(field).cast(DataTypes.StringType)).toArray(Column[]::new)).as(Documents.ENTITY),
                group.as("aggregate.group"),
                to_json(map_from_arrays(names, values)).as("aggregate.measures"),
                when(Columns.field("_s" + index).equalTo(lit("")), array().cast("array<string>"))
                        .otherwise(split(Columns.field("_s" + index), SampleIds.SEPARATOR)).as("aggregate.samples"));
    }

    private static Column groupField(AggregateSpec aggregate, EcsMapping mapping, String ecs)
    {
        return mapping.sourceField(ecs).filter(aggregate.groupBy()::contains).map(field -> Columns.field(field).cast(DataTypes.StringType))
                .orElse(lit(null).cast(DataTypes.StringType));
    }

    /** An expression over measure columns; division by 0 and comparisons with null give null. */
    static Column expression(AggregateSpec.Expression expression, Map<String, Column> measures)
    {
        List<Column> args = expression.args().stream().map(arg -> expression(arg, measures)).toList();
        return switch (expression.op()) {
            case "measure" -> measures.get(expression.measure());
            case "number" -> lit(expression.number());
            case "and" -> args.get(0).and(args.get(1));
            case "or" -> args.get(0).or(args.get(1));
            case "not" -> not(args.get(0));
            case "gt" -> args.get(0).gt(args.get(1));
            case "gte" -> args.get(0).geq(args.get(1));
            case "lt" -> args.get(0).lt(args.get(1));
            case "lte" -> args.get(0).leq(args.get(1));
            case "eq" -> args.get(0).equalTo(args.get(1));
            case "ne" -> args.get(0).notEqual(args.get(1));
            case "add" -> args.get(0).plus(args.get(1));
            case "subtract" -> args.get(0).minus(args.get(1));
            case "multiply" -> args.get(0).multiply(args.get(1));
            case "divide" -> when(args.get(1).notEqual(lit(0)), args.get(0).divide(args.get(1)));
            default -> throw DragnetException.user("aggregate expression operator '" + expression.op() + "' is not known");
        };
    }
}
