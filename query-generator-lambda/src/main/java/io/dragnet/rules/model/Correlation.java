package io.dragnet.rules.model;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A correlation rule in the sense of Sigma's correlation specification: over the hits of other rules, per group of
 * {@code groupBy} values within {@code timespan}.
 * <ul>
 * <li>{@code event_count}: the number of hits of the rules compared with {@code condition};</li>
 * <li>{@code value_count}: the number of distinct values of {@code condition.field} compared with {@code condition};</li>
 * <li>{@code temporal}: every rule has a hit within the timespan (condition, when given, on the number of distinct rules);</li>
 * <li>{@code temporal_ordered}: as temporal, with the hits in the order the rules are listed.</li>
 * </ul>
 *
 * @param rules ids of the correlated rules (record, aggregate or correlation rules), as written
 * @param aliases alias name → (rule id → field of that rule's hits), usable in {@code groupBy}
 * @param condition null for temporal types without a condition
 * @param previousDay whether windows that start before the run's day read the previous day's hits
 * @param entryPositions where each rule id of {@code rules} and each name of {@code groupBy} is written (errors about
 *         one point there); names without one are reported at {@code position}
 */
public record Correlation(
        Type type,
        List<String> rules,
        List<String> groupBy,
        Duration timespan,
        Map<String, Map<String, String>> aliases,
        CountCondition condition,
        PreviousDay previousDay,
        Map<String, SourcePosition> entryPositions,
        SourcePosition position)
{
    public enum Type
    {
        EVENT_COUNT, VALUE_COUNT, TEMPORAL, TEMPORAL_ORDERED;

        public String keyword()
        {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean temporal()
        {
            return this == TEMPORAL || this == TEMPORAL_ORDERED;
        }

        public static List<String> keywords()
        {
            return Arrays.stream(values()).map(Type::keyword).toList();
        }
    }

    /**
     * Sigma's condition map: one or more of gt, gte, lt, lte, eq (all must hold), and for value_count the field whose
     * distinct values are counted.
     */
    public record CountCondition(Map<String, Double> bounds, String field, SourcePosition position)
    {
        public static final List<String> OPERATORS = List.of("gt", "gte", "lt", "lte", "eq");

        public CountCondition
        {
            bounds = Collections.unmodifiableMap(new LinkedHashMap<>(bounds));
            requireNonNull(position, "position is null");
        }
    }

    public Correlation
    {
        requireNonNull(type, "type is null");
        rules = List.copyOf(rules);
        groupBy = List.copyOf(groupBy);
        requireNonNull(timespan, "timespan is null");
        Map<String, Map<String, String>> copied = new LinkedHashMap<>();
        aliases.forEach((alias, byRule) -> copied.put(alias, Collections.unmodifiableMap(new LinkedHashMap<>(byRule))));
        aliases = Collections.unmodifiableMap(copied);
        requireNonNull(previousDay, "previousDay is null");
        entryPositions = Map.copyOf(entryPositions);
        requireNonNull(position, "position is null");
    }

    /** Where a rule id of {@code rules} or a name of {@code groupBy} is written, else where the correlation is. */
    public SourcePosition positionOf(String entry)
    {
        return entryPositions.getOrDefault(entry, position);
    }
}
