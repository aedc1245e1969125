package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.JobSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

/** Computes {@link RuleSummary} per rule from the documents of a job (small: matched rows only). */
public final class Summaries
{
    private Summaries() {}

    /** One summary per rule of the spec, in spec order; rules without hits get an empty summary. */
    public static List<RuleSummary> compute(Dataset<Row> documents, JobSpec spec)
    {
        List<RuleSummary> rules = spec.rules().stream().map(rule -> RuleSummary.empty(rule.id(), rule.title(), rule.topic(), spec.date(), spec.source().name())).toList();
        return compute(documents, rules, entity(spec, Set.of(documents.columns())));
    }

    /**
     * One summary per rule of {@code rules} (their empty summaries, in order), counting the documents of each rule and
     * its top values of {@code entity}; rules without hits keep their empty summary.
     */
    public static List<RuleSummary> compute(Dataset<Row> documents, List<RuleSummary> rules, Column entity)
    {
        Map<String, RuleSummary> byRule = new LinkedHashMap<>();
        rules.forEach(empty -> byRule.put(empty.ruleId(), empty));
        Column rule = Columns.field("rule.id");
        Dataset<Row> keyed = documents.withColumn("_entity", entity);
        // the two queries are small and mostly wait on job scheduling: the top lists run beside the totals
        ExecutorService beside = Executors.newSingleThreadExecutor();
        List<Row> totals;
        List<Row> ranked;
        try {
            Future<List<Row>> top = beside.submit(() -> keyed.where(col("_entity").isNotNull())
                    .groupBy(rule.as("rule"), col("_entity"))
                    .agg(count(lit(1)).as("hits"))
                    .withColumn("_rank", row_number().over(Window.partitionBy(col("rule")).orderBy(col("hits").desc(), col("_entity").asc())))
                    .where(col("_rank").leq(RuleSummary.TOP))
                    .collectAsList());
            totals = documents.groupBy(rule.as("rule"))
                    .agg(count(lit(1)).as("hits"),
                            countDistinct(Columns.field("source.ip")).as("sources"),
                            countDistinct(Columns.field("destination.ip")).as("destinations"),
                            min(Columns.field(Documents.TIMESTAMP)).as("first"),
                            max(Columns.field(Documents.TIMESTAMP)).as("last"))
                    .collectAsList();
            ranked = new ArrayList<>(result(top));
        }
        finally {
            beside.shutdownNow();
        }
        ranked.sort(Comparator.comparing((Row row) -> row.getString(0)).thenComparingInt(row -> row.getInt(3)));
        Map<String, List<RuleSummary.EntityCount>> topByRule = new HashMap<>();
        for (Row row : ranked) {
            topByRule.computeIfAbsent(row.getString(0), ignored -> new ArrayList<>()).add(new RuleSummary.EntityCount(row.getString(1), row.getLong(2)));
        }
        for (Row row : totals) {
            RuleSummary empty = byRule.get(row.getString(0));
            if (empty == null) {
                continue;
            }
            byRule.put(empty.ruleId(), new RuleSummary(empty.ruleId(), empty.ruleName(), empty.topic(), empty.date(), empty.source(),
                    row.getLong(1), row.getLong(2), row.getLong(3), instant(row.getTimestamp(4)), instant(row.getTimestamp(5)),
                    topByRule.getOrDefault(empty.ruleId(), List.of())));
        }
        return List.copyOf(byRule.values());
    }

    private static List<Row> result(Future<List<Row>> query)
    {
        try {
            return query.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while summarizing", e);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The entity summarized per rule: its summaryGroupBy fields joined with '|' when given, else {@link Documents#entity()}. */
    private static Column entity(JobSpec spec, Set<String> documentColumns)
    {
        Column result = null;
        for (JobSpec.RuleSpec rule : spec.rules()) {
            if (rule.summaryGroupBy().isEmpty()) {
                continue;
            }
            List<Column> parts = new ArrayList<>();
            for (String field : rule.summaryGroupBy()) {
                parts.add(documentColumns.contains(field)
                        ? Columns.field(field).cast("string")
                        : get_json_object(Columns.field("event.original"), "$['" + field.replace("'", "") + "']"));
            }
            Column grouped = concat_ws("|", parts.toArray(Column[]::new));
            Column matches = Columns.field("rule.id").equalTo(lit(rule.id()));
            result = result == null ? when(matches, grouped) : result.when(matches, grouped);
        }
        return result == null ? Columns.field(Documents.ENTITY) : result.otherwise(Columns.field(Documents.ENTITY));
    }

    private static java.time.Instant instant(Timestamp timestamp)
    {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
