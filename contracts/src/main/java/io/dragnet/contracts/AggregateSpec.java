package io.dragnet.contracts;

import java.io.Serializable;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What an aggregate rule computes, after field mapping: the rule's predicate (in its {@link JobSpec.RuleSpec}) keeps
 * records; per group of {@code groupBy} values and window, the measures are computed; a (group, window) whose
 * {@code having} holds is a hit and becomes one document. Windows are aligned to midnight UTC; a run reports the
 * windows that end within its day.
 *
 * @param groupBy raw field names of the source
 * @param windowSeconds window size, dividing the day when tumbling
 * @param slideSeconds equal to the size for tumbling windows, else the step between window starts
 * @param measures every measure the rule names, plus hidden ones ({@link MeasureSpec#hidden()}) the compiler lifted out of
 *                 ratios and having
 * @param having the hit condition over measure names
 * @param samples how many contributing event ids a hit keeps
 * @param previousDayLocation the previous day's partition of the source, read for windows that start before the day;
 *                            null when the rule's windows never do or the rule says to leave them out
 * @param historyDays how many earlier days history measures read, 0 for none
 */
public record AggregateSpec(
        List<String> groupBy,
        long windowSeconds,
        long slideSeconds,
        List<MeasureSpec> measures,
        Expression having,
        int samples,
        String previousDayLocation,
        int historyDays)
{
    public AggregateSpec
    {
        groupBy = List.copyOf(groupBy);
        measures = List.copyOf(measures);
        requireNonNull(having, "having is null");
        if (windowSeconds <= 0 || slideSeconds <= 0 || windowSeconds % slideSeconds != 0) {
            throw new IllegalArgumentException("window " + windowSeconds + " s with slide " + slideSeconds + " s: expected a positive size that the slide divides");
        }
    }

    /** The source fields the rule reads besides the record time and event id: its group fields and the fields its measures take. */
    public List<String> fieldsRead()
    {
        java.util.LinkedHashSet<String> fields = new java.util.LinkedHashSet<>(groupBy);
        measures.stream().filter(measure -> measure.field() != null && !measure.function().startsWith("history_")).forEach(measure -> fields.add(measure.field()));
        return List.copyOf(fields);
    }

    /** The grouping a rule shares with others: rules with equal keys are computed by one shuffle. */
    public String groupingKey()
    {
        return String.join(",", groupBy) + "/" + windowSeconds + "/" + slideSeconds;
    }

    /**
     * One measure.
     *
     * @param function count, count_distinct, sum, min, max, avg, stddev, percentile, interval_cv, count_new, history_avg,
     *                 history_max, or expression (computed from other measures by {@code expression})
     * @param field raw field for functions over a field; for history_* the measure looked back on
     * @param parameter the percentile (0, 100] for percentile
     * @param filter records counted by this measure, null for all kept records
     * @param expression for function "expression": arithmetic over other measures
     * @param hidden lifted out of a ratio or having by the compiler; not shown in documents
     */
    public record MeasureSpec(String name, String function, String field, Double parameter, Predicate filter, Expression expression, boolean hidden)
    {
        public MeasureSpec
        {
            requireNonNull(name, "name is null");
            requireNonNull(function, "function is null");
        }
    }

    /**
     * Arithmetic and conditions over measures, as data (serializable, so Spark tasks evaluate it).
     *
     * @param op and, or, not, gt, gte, lt, lte, eq, ne, add, subtract, multiply, divide, measure, number; divide by 0 gives
     *           null and a comparison with null is false
     */
    public record Expression(String op, List<Expression> args, String measure, Double number)
            implements Serializable
    {
        public Expression
        {
            requireNonNull(op, "op is null");
            args = args == null ? List.of() : List.copyOf(args);
        }

        public static Expression measure(String name)
        {
            return new Expression("measure", List.of(), name, null);
        }

        public static Expression number(double value)
        {
            return new Expression("number", List.of(), null, value);
        }

        public static Expression of(String op, Expression... args)
        {
            return new Expression(op, List.of(args), null, null);
        }
    }
}
