package io.dragnet.rules.model;

import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What an aggregate rule computes over the records its {@code match} keeps: per group of {@code groupBy} values and
 * per window, the named measures; a (group, window) is a hit when {@code having} holds.
 *
 * @param groupBy field names as written (ECS-style or raw), at least one
 * @param window tumbling or sliding window
 * @param measures named measures in the order written
 * @param having condition over the measures
 * @param samples how many contributing event ids each hit keeps (0 to 100)
 * @param previousDay what a window that starts before the run's day does: read the previous day's tail or be left out
 * @param history how many earlier days history measures look at; null when the rule uses none
 */
public record Aggregation(
        List<FieldReference> groupBy,
        AggregateWindow window,
        List<Measure> measures,
        MeasureExpression having,
        int samples,
        PreviousDay previousDay,
        Duration history,
        SourcePosition position)
{
    public static final int DEFAULT_SAMPLES = 5;
    public static final int MAX_SAMPLES = 100;

    public Aggregation
    {
        groupBy = List.copyOf(groupBy);
        requireNonNull(window, "window is null");
        measures = List.copyOf(measures);
        requireNonNull(having, "having is null");
        requireNonNull(previousDay, "previousDay is null");
        requireNonNull(position, "position is null");
    }

    /** A field named in an aggregate, with where it was written. */
    public record FieldReference(String name, SourcePosition position)
    {
        public FieldReference
        {
            requireNonNull(name, "name is null");
            requireNonNull(position, "position is null");
        }
    }
}
