package io.dragnet.sparkjobs.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Sigma's correlation types over the hits of one group, as pure functions. The time frame is not bound to fixed
 * boundaries (the Sigma specification asks for that where the backend allows it): a window opens at a hit (for
 * temporal_ordered, a hit of the first rule) and spans {@code timespan}, both ends included. Hits are taken in time
 * order (ties by rule position, then id); the first window that matches is reported with every hit in it, and the next
 * window opens at the first hit after it, so each hit contributes to at most one window of a rule.
 * <ul>
 * <li>event_count: the number of hits in the window meets the condition;</li>
 * <li>value_count: the number of distinct non-null values meets it;</li>
 * <li>temporal: the number of distinct rules with a hit meets it (no condition: every rule);</li>
 * <li>temporal_ordered: the same counted along the rules' order: a hit of the next rule at or after the previous
 * one's time advances it.</li>
 * </ul>
 */
public final class CorrelationWindows
{
    private CorrelationWindows() {}

    /** One hit of a correlated rule: its time (epoch milliseconds), the rule's position in the correlation, id and counted value. */
    public record Hit(long time, int rule, String id, String value)
    {
        public Hit
        {
            requireNonNull(id, "id is null");
        }
    }

    /** A reported window: from its first hit to that time plus the timespan, with the hits in it and the measured count. */
    public record Window(long start, long end, List<Hit> hits, double count)
    {
        public Window
        {
            hits = List.copyOf(hits);
        }
    }

    /**
     * @param type event_count, value_count, temporal or temporal_ordered
     * @param rules how many rules the correlation lists
     * @param condition bounds that must all hold (gt, gte, lt, lte, eq); empty for temporal types means all rules
     */
    public static List<Window> find(String type, int rules, long timespanMillis, Map<String, Double> condition, List<Hit> hits)
    {
        List<Hit> ordered = new ArrayList<>(hits);
        ordered.sort(Comparator.comparingLong(Hit::time).thenComparingInt(Hit::rule).thenComparing(Hit::id));
        List<Window> windows = new ArrayList<>();
        int i = 0;
        while (i < ordered.size()) {
            Hit anchor = ordered.get(i);
            if (type.equals("temporal_ordered") && anchor.rule() != 0) {
                i++;
                continue;
            }
            long end = anchor.time() + timespanMillis;
            int next = i;
            while (next < ordered.size() && ordered.get(next).time() <= end) {
                next++;
            }
            List<Hit> inside = ordered.subList(i, next);
            double count = measure(type, inside);
            if (holds(condition, count, type, rules)) {
                windows.add(new Window(anchor.time(), end, inside, count));
                i = next;
            }
            else {
                i++;
            }
        }
        return windows;
    }

    private static double measure(String type, List<Hit> hits)
    {
        return switch (type) {
            case "event_count" -> hits.size();
            case "value_count" -> hits.stream().map(Hit::value).filter(value -> value != null).distinct().count();
            case "temporal" -> hits.stream().map(Hit::rule).distinct().count();
            case "temporal_ordered" -> orderedPrefix(hits);
            default -> throw new IllegalArgumentException("correlation type '" + type + "' is not known");
        };
    }

    /** How many of the rules, in their order, have a hit each no earlier than the previous one's (hits in time order). */
    private static int orderedPrefix(List<Hit> hits)
    {
        int expected = 0;
        for (Hit hit : hits) {
            if (hit.rule() == expected) {
                expected++;
            }
        }
        return expected;
    }

    static boolean holds(Map<String, Double> condition, double count, String type, int rules)
    {
        if (condition.isEmpty()) {
            return !type.startsWith("temporal") || count >= rules;
        }
        for (Map.Entry<String, Double> bound : condition.entrySet()) {
            double limit = bound.getValue();
            boolean ok = switch (bound.getKey()) {
                case "gt" -> count > limit;
                case "gte" -> count >= limit;
                case "lt" -> count < limit;
                case "lte" -> count <= limit;
                case "eq" -> count == limit;
                default -> throw new IllegalArgumentException("correlation condition '" + bound.getKey() + "' is not one of gt, gte, lt, lte, eq");
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The distinct rule positions of a window's hits, in order of first appearance. */
    public static Set<Integer> rulesOf(Window window)
    {
        Set<Integer> rules = new LinkedHashSet<>();
        window.hits().forEach(hit -> rules.add(hit.rule()));
        return rules;
    }
}
