package io.dragnet.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The correlation step of a daily run: every correlation rule of the run, with where the hits of the rules it
 * correlates are. Written by the rule compiler (query-generator-lambda) next to the job specs, executed by spark-jobs'
 * {@code CorrelationJob} after every extraction job of the run, reading those jobs' hit outputs (never a source).
 * Correlations are listed so that a rule comes after every correlation rule it reads.
 *
 * @param metrics the step's run metrics file
 * @param published where the correlations of published rules write; {@code sandbox} the same for the others
 */
public record CorrelationSpec(int specVersion, String runId, String date, List<Correlation> correlations, String metrics, Outputs published, Outputs sandbox)
{
    public static final int CURRENT_VERSION = 1;

    /** The file name of the spec in the run's job folder. */
    public static final String FILE_NAME = "correlations.json";

    public CorrelationSpec
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(date, "date is null");
        correlations = List.copyOf(correlations);
        requireNonNull(metrics, "metrics is null");
        requireNonNull(published, "published is null");
        requireNonNull(sandbox, "sandbox is null");
        if (specVersion != CURRENT_VERSION) {
            throw new IllegalArgumentException("correlation spec version " + specVersion + " is not supported; expected " + CURRENT_VERSION);
        }
    }

    /**
     * One correlation rule, with Sigma's semantics (see docs/rules.md, Correlation rules).
     *
     * @param type event_count, value_count, temporal or temporal_ordered
     * @param groupBy the group names as the rule writes them (field names or aliases), in order
     * @param condition bounds (gt, gte, lt, lte, eq) that must all hold; empty for a temporal type without one (all rules)
     * @param inputs one per correlated rule, in the order the rule lists them
     * @param sandbox true when the rule or a rule it reads runs into the sandbox: its hits go to the sandbox outputs
     * @param uuid the Sigma id of a correlation converted from Sigma, or null
     * @param previousDay where the previous day's hits of this rule are, when windows that start before the day read
     *         the previous day's hits; null when the rule correlates its own day's hits only
     */
    public record Correlation(
            String id,
            @JsonInclude(JsonInclude.Include.NON_NULL) String uuid,
            String title,
            String topic,
            String severity,
            List<String> tags,
            boolean sandbox,
            String type,
            long timespanSeconds,
            List<String> groupBy,
            Map<String, Double> condition,
            List<Input> inputs,
            @JsonInclude(JsonInclude.Include.NON_NULL) PreviousDay previousDay)
    {
        public static final List<String> TYPES = List.of("event_count", "value_count", "temporal", "temporal_ordered");

        public Correlation
        {
            requireNonNull(id, "id is null");
            requireNonNull(topic, "topic is null");
            tags = tags == null ? List.of() : List.copyOf(tags);
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("correlation " + id + ": type '" + type + "' is not one of " + TYPES);
            }
            if (timespanSeconds <= 0) {
                throw new IllegalArgumentException("correlation " + id + ": timespan must be positive");
            }
            groupBy = List.copyOf(groupBy);
            condition = condition == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(condition));
            inputs = List.copyOf(inputs);
            for (Input input : inputs) {
                if (input.groupFields().size() != groupBy.size()) {
                    throw new IllegalArgumentException("correlation " + id + ": input " + input.rule() + " names " + input.groupFields().size()
                            + " group fields for " + groupBy.size() + " group names");
                }
            }
        }
    }

    /**
     * The previous day's side of a correlation that reads it. A run reports the windows that end within its day (before
     * the next midnight); a window that opens before the day reads the previous day's hits of the correlated rules
     * ({@link Input#previousDayHits()}) from midnight minus the timespan, less those the previous day's own windows of
     * the rule took ({@code correlations}), so the windows are those one pass over both days would find.
     *
     * @param date the previous day
     * @param correlations the folders of that day's hits of this correlation rule (of the runs published for it, or of
     *         this run when it covers that day too); empty when none ran
     */
    public record PreviousDay(String date, List<String> correlations)
    {
        public PreviousDay
        {
            requireNonNull(date, "date is null");
            correlations = List.copyOf(correlations);
        }
    }

    /**
     * The hits of one correlated rule.
     *
     * @param kind record, aggregate or correlation: which hit documents the rule writes
     * @param hits the hit folders of a record or aggregate rule (one per source it reads; a folder that is not there
     *         holds no hits); empty for a correlation rule, whose hits the same step computes first
     * @param groupFields how each group name reads from this rule's hits, in {@code groupBy} order
     * @param valueField for value_count, the field whose distinct values are counted; null otherwise
     * @param previousDayHits the folders of the previous day's hits of the rule, read when the correlation reads the
     *         previous day ({@link PreviousDay}); a folder that is not there holds no hits
     */
    public record Input(String rule, String kind, List<String> hits, List<HitField> groupFields, @JsonInclude(JsonInclude.Include.NON_NULL) HitField valueField,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> previousDayHits)
    {
        public static final List<String> KINDS = List.of("record", "aggregate", "correlation");

        public Input
        {
            requireNonNull(rule, "rule is null");
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("correlation input " + rule + ": kind '" + kind + "' is not one of " + KINDS);
            }
            hits = List.copyOf(hits);
            groupFields = List.copyOf(groupFields);
            previousDayHits = previousDayHits == null ? List.of() : List.copyOf(previousDayHits);
        }
    }

    /**
     * A field of a rule's hits: {@code name} as the rule writer wrote it (an ECS name or the source's own), {@code raw}
     * the source field it resolves to (null when it is no source field, e.g. a correlation's group name). A hit column
     * of that name is read first; otherwise the value under {@code raw} (or {@code name}) in the hit's record
     * ({@code event.original}) or group ({@code aggregate.group}, {@code correlation.group}).
     */
    public record HitField(String name, @JsonInclude(JsonInclude.Include.NON_NULL) String raw)
    {
        public HitField
        {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * @param opensearchIndexPrefix prefix of the run indexes the hits are written to; null to skip OpenSearch
     * @param correlations folder of the hits as Parquet (one row per rule, group and window)
     * @param summaries folder of the CSV summaries, one per rule at {@code <topic>/<rule>.csv}, beside the extraction jobs'
     */
    public record Outputs(@JsonInclude(JsonInclude.Include.NON_NULL) String opensearchIndexPrefix, String correlations, String summaries)
    {
        public Outputs
        {
            requireNonNull(correlations, "correlations is null");
            requireNonNull(summaries, "summaries is null");
        }
    }
}
