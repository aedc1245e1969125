package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.IndexNames;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;
import scala.collection.Seq;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.udf;

/**
 * The correlation stage: pure functions from the hits of correlated rules to correlation hits, one row per
 * (correlation rule, group, window), with the {@link #COLUMNS}. Windows follow {@link CorrelationWindows}; a grouped
 * hit (aggregate or correlation) counts at its window's end, a record hit at its {@code @timestamp}. Hits lacking a
 * group value belong to no group and are left out.
 */
public final class CorrelationStage
{
    /** Hit ids kept per correlation hit; {@code correlation.hit_count} has them all. */
    public static final int MAX_HIT_IDS = 100;

    public static final List<String> COLUMNS = List.of(Documents.ID, Documents.TIMESTAMP, "window.end", "rule.id", "rule.uuid", "rule.name", "rule.severity",
            "tags", "dragnet.topic", "dragnet.run_id", "source.ip", "destination.ip", "asset.criticality", Documents.ENTITY, "correlation.type",
            "correlation.group", "correlation.count", "correlation.rules", "correlation.hits", "correlation.hit_count", "correlation.truncated");

    private static final StructType WINDOW = new StructType()
            .add("start", DataTypes.LongType)
            .add("end", DataTypes.LongType)
            .add("count", DataTypes.DoubleType)
            .add("rules", DataTypes.createArrayType(DataTypes.StringType))
            .add("hits", DataTypes.createArrayType(DataTypes.StringType))
            .add("hit_count", DataTypes.LongType)
            .add("criticality", DataTypes.StringType);

    private CorrelationStage() {}

    /**
     * The hits of one correlated rule in the shape the windows read: {@code _group} (the group values as text, in the
     * correlation's order), {@code _time} (epoch milliseconds), {@code _rule} (the rule's position), {@code _id},
     * {@code _value} (value_count's field) and {@code _criticality}.
     */
    public static Dataset<Row> inputHits(Dataset<Row> hits, CorrelationSpec.Input input, int position)
    {
        Set<String> columns = Set.of(hits.columns());
        Column time = Columns.field(input.kind().equals("record") ? Documents.TIMESTAMP : "window.end");
        List<Column> group = input.groupFields().stream().map(field -> read(field, input.kind(), columns)).toList();
        Column value = input.valueField() == null ? lit(null).cast(DataTypes.StringType) : read(input.valueField(), input.kind(), columns);
        Column criticality = columns.contains("asset.criticality") ? Columns.field("asset.criticality").cast(DataTypes.StringType) : lit(null).cast(DataTypes.StringType);
        Dataset<Row> shaped = hits.where(Columns.field("rule.id").equalTo(lit(input.rule())))
                .select(array(group.toArray(Column[]::new)).as("_group"),
                        time.cast(DataTypes.DoubleType).multiply(1000).cast(DataTypes.LongType).as("_time"),
                        lit(position).as("_rule"),
                        Columns.field(Documents.ID).as("_id"),
                        value.as("_value"),
                        criticality.as("_criticality"));
        Column complete = col("_time").isNotNull();
        for (int i = 0; i < group.size(); i++) {
            complete = complete.and(col("_group").getItem(i).isNotNull());
        }
        return shaped.where(complete);
    }

    /** A field of a hit: its own column when the hit has one, else the value in the record or group the hit carries as JSON. */
    private static Column read(CorrelationSpec.HitField field, String kind, Set<String> columns)
    {
        String json = switch (kind) {
            case "record" -> "event.original";
            case "aggregate" -> "aggregate.group";
            default -> "correlation.group";
        };
        String key = field.raw() != null && !kind.equals("correlation") ? field.raw() : field.name();
        Column nested = columns.contains(json) ? get_json_object(Columns.field(json), "$['" + key.replace("'", "") + "']") : lit(null).cast(DataTypes.StringType);
        return columns.contains(field.name()) ? coalesce(Columns.field(field.name()).cast(DataTypes.StringType), nested) : nested;
    }

    /**
     * The previous day's {@link #inputHits} of a correlated rule that a window reaching into the day can hold: from
     * midnight minus the timespan on (an aggregate window of that day ending at midnight counts at midnight).
     */
    public static Dataset<Row> previousDayTail(Dataset<Row> shaped, CorrelationSpec.Correlation correlation, String date)
    {
        long midnight = dayStartMillis(LocalDate.parse(date));
        return shaped.where(col("_time").geq(midnight - correlation.timespanSeconds() * 1000));
    }

    /**
     * The {@link #inputHits} no window of the correlation reported by the previous day took: a reported window holds
     * every hit of its group up to its end, so per group only hits after the latest such end are left.
     *
     * @param previousDayHits the previous day's correlation hits (any rules; this correlation's are picked)
     */
    public static Dataset<Row> notTaken(Dataset<Row> inputs, Dataset<Row> previousDayHits, CorrelationSpec.Correlation correlation)
    {
        List<Column> group = correlation.groupBy().stream()
                .map(name -> get_json_object(Columns.field("correlation.group"), "$['" + name.replace("'", "") + "']"))
                .toList();
        Dataset<Row> taken = previousDayHits.where(Columns.field("rule.id").equalTo(lit(correlation.id())))
                .select(array(group.toArray(Column[]::new)).cast("array<string>").as("_taken_group"),
                        Columns.field("window.end").cast(DataTypes.DoubleType).multiply(1000).cast(DataTypes.LongType).as("_taken_until"))
                .groupBy(col("_taken_group"))
                .agg(max(col("_taken_until")).as("_taken_until"));
        return inputs.join(taken, inputs.col("_group").cast("array<string>").equalTo(taken.col("_taken_group")), "left")
                .where(col("_taken_until").isNull().or(col("_time").gt(col("_taken_until"))))
                .drop("_taken_group", "_taken_until");
    }

    /**
     * Correlation hits of one rule over the union of its inputs' {@link #inputHits}. A rule that reads the previous day
     * reports the windows that end before the next midnight (a later run, reading this day's hits, reports the others);
     * one that does not reports every window of its day's hits, marking those reaching past midnight truncated.
     */
    public static Dataset<Row> hits(Dataset<Row> inputs, CorrelationSpec.Correlation correlation, String runId, String date)
    {
        String type = correlation.type();
        long timespan = correlation.timespanSeconds() * 1000;
        Map<String, Double> condition = new HashMap<>(correlation.condition());
        List<String> ruleIds = new ArrayList<>(correlation.inputs().stream().map(CorrelationSpec.Input::rule).toList());
        UserDefinedFunction windows = udf((UDF1<Seq<Row>, Seq<Row>>) collected -> windows(collected, type, ruleIds, timespan, condition),
                DataTypes.createArrayType(WINDOW));
        Dataset<Row> found = inputs.groupBy(col("_group"))
                .agg(collect_list(struct(col("_time"), col("_rule"), col("_id"), col("_value"), col("_criticality"))).as("_hits"))
                .select(col("_group"), explode(windows.apply(col("_hits"))).as("_window"));
        List<Column> groupValues = new ArrayList<>();
        for (int i = 0; i < correlation.groupBy().size(); i++) {
            groupValues.add(col("_group").getItem(i).as(correlation.groupBy().get(i)));
        }
        Column group = groupValues.isEmpty() ? lit("{}") : to_json(struct(groupValues.toArray(Column[]::new)));
        long dayEnd = dayStartMillis(LocalDate.parse(date).plusDays(1));
        Column start = col("_window.start");
        Column end = col("_window.end");
        boolean readsPreviousDay = correlation.previousDay() != null;
        if (readsPreviousDay) {
            found = found.where(end.lt(dayEnd));
        }
        return found.select(
                sha2(concat_ws("\u001f", lit(correlation.id()), group, start.cast(DataTypes.StringType)), 256).as(Documents.ID),
                start.divide(1000.0).cast(DataTypes.TimestampType).as(Documents.TIMESTAMP),
                end.divide(1000.0).cast(DataTypes.TimestampType).as("window.end"),
                lit(correlation.id()).as("rule.id"),
                lit(correlation.uuid()).cast(DataTypes.StringType).as("rule.uuid"),
                lit(correlation.title()).cast(DataTypes.StringType).as("rule.name"),
                lit(correlation.severity()).cast(DataTypes.StringType).as("rule.severity"),
                array(correlation.tags().stream().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new)).cast("array<string>").as("tags"),
                lit(correlation.topic()).as("dragnet.topic"),
                lit(runId).as("dragnet.run_id"),
                groupValue(correlation, "source.ip").as("source.ip"),
                groupValue(correlation, "destination.ip").as("destination.ip"),
                col("_window.criticality").as("asset.criticality"),
                concat_ws("|", col("_group")).as(Documents.ENTITY),
                lit(type).as("correlation.type"),
                group.as("correlation.group"),
                col("_window.count").as("correlation.count"),
                col("_window.rules").as("correlation.rules"),
                col("_window.hits").as("correlation.hits"),
                col("_window.hit_count").as("correlation.hit_count"),
                lit(!readsPreviousDay).and(end.geq(dayEnd)).as("correlation.truncated"));
    }

    private static long dayStartMillis(LocalDate day)
    {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1000;
    }

    private static Column groupValue(CorrelationSpec.Correlation correlation, String name)
    {
        int index = correlation.groupBy().indexOf(name);
        return index < 0 ? lit(null).cast(DataTypes.StringType) : col("_group").getItem(index);
    }

    private static Seq<Row> windows(Seq<Row> collected, String type, List<String> ruleIds, long timespan, Map<String, Double> condition)
    {
        List<CorrelationWindows.Hit> hits = new ArrayList<>();
        Map<String, String> criticality = new HashMap<>();
        for (Row row : JavaConverters.seqAsJavaList(collected)) {
            String id = row.getString(2);
            hits.add(new CorrelationWindows.Hit(row.getLong(0), row.getInt(1), id, row.isNullAt(3) ? null : row.getString(3)));
            if (!row.isNullAt(4)) {
                criticality.put(id, row.getString(4));
            }
        }
        List<Row> found = new ArrayList<>();
        for (CorrelationWindows.Window window : CorrelationWindows.find(type, ruleIds.size(), timespan, condition, hits)) {
            List<String> ids = window.hits().stream().limit(MAX_HIT_IDS).map(CorrelationWindows.Hit::id).toList();
            List<String> seen = CorrelationWindows.rulesOf(window).stream().map(ruleIds::get).toList();
            found.add(RowFactory.create(window.start(), window.end(), window.count(), JavaConverters.asScalaBuffer(seen).toSeq(),
                    JavaConverters.asScalaBuffer(ids).toSeq(), (long) window.hits().size(), criticality(window, criticality)));
        }
        return JavaConverters.asScalaBuffer(found).toSeq();
    }

    /** The restricted criticality when any contributing hit is about a restricted asset (so the hit stays in the restricted partition), else the highest other. */
    private static String criticality(CorrelationWindows.Window window, Map<String, String> byHit)
    {
        List<String> values = window.hits().stream().map(hit -> byHit.get(hit.id())).filter(value -> value != null).distinct().sorted().toList();
        if (values.contains(IndexNames.RESTRICTED_CRITICALITY)) {
            return IndexNames.RESTRICTED_CRITICALITY;
        }
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }
}
