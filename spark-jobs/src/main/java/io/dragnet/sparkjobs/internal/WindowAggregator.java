package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.AggregateSpec;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * Computes every measure of every rule of the groupings that share one shuffle, in a single streaming pass over a
 * partition sorted by one long key: its high bits a hash of the partition values, its low {@code timeBits} the record
 * time. The rows of one hash are thus consecutive and in time order (rows of partition values whose hashes collide
 * are interleaved, which is harmless: windows are kept by their full group values). Each row counts in the windows of
 * every grouping whose rules it matched; a window is emitted as soon as the time passes its end or the hash changes,
 * so only the windows open at the current record are held, whatever the number of groups. Emits one row per (rule, group,
 * window) whose rule matched a record there and whose {@code having} holds (or whose measures are recorded): the
 * grouping's index, the group values, the window start, the rule's index in its grouping, its measures as JSON and
 * its sample event ids.
 *
 * <p>Input row layout: the sort key (long) at 0, the record time in epoch seconds (double) at 1, the event id
 * (string) at 2, then the columns the
 * {@link GroupingPlan}s, {@link RulePlan}s and {@link MeasurePlan}s point at.
 *
 * <p>Output row layout: grouping index, the {@code groupFields} group values (null where the row's grouping does not
 * group by that field), window start, then the {@link #OUTPUT_EXTRA} columns.
 */
public final class WindowAggregator
        implements MapPartitionsFunction<Row, Row>
{
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final int timeBits;
    private final int groupFields;
    private final long dayStart;
    private final List<GroupingPlan> groupings;

    /**
     * One measure of a rule.
     *
     * @param function a job spec measure function, or "expression" (computed from the measures before it)
     * @param valueColumn the input column of its field, -1 for none
     * @param conditionColumn the records it counts: a boolean input column, or a bit of a long one ({@link #bit})
     */
    public record MeasurePlan(String name, String function, int valueColumn, int conditionColumn, Double parameter, AggregateSpec.Expression expression,
            boolean hidden)
            implements Serializable
    {
        public MeasurePlan
        {
            requireNonNull(name, "name is null");
            requireNonNull(function, "function is null");
        }
    }

    /**
     * One rule of a grouping: its flag column, measures in spec order, having and sample count.
     *
     * @param recorded the measures history measures look back on: every window of the rule is emitted with their
     *                 values (hit or not), so later days can look back on them; empty when the rule has none
     * @param readsPreviousDay whether the rule's records count in windows that start before the day
     * @param flagColumn the records the rule matched: a boolean input column, or a bit of a long one ({@link #bit})
     */
    public record RulePlan(int flagColumn, List<MeasurePlan> measures, AggregateSpec.Expression having, int samples, List<String> recorded,
            boolean readsPreviousDay)
            implements Serializable
    {
        public RulePlan
        {
            measures = List.copyOf(measures);
            requireNonNull(having, "having is null");
            recorded = List.copyOf(recorded);
        }
    }

    /**
     * Rules that group alike.
     *
     * @param keyColumns the input columns of the group fields, in group_by order
     * @param outputSlots where each group field goes among the output's group values
     */
    public record GroupingPlan(int[] keyColumns, int[] outputSlots, long windowSeconds, long slideSeconds, List<RulePlan> rules)
            implements Serializable
    {
        public GroupingPlan
        {
            keyColumns = keyColumns.clone();
            outputSlots = outputSlots.clone();
            if (keyColumns.length != outputSlots.length) {
                throw new IllegalArgumentException("one output slot per key column");
            }
            rules = List.copyOf(rules);
        }
    }

    /**
     * @param timeBits the low bits of the sort key that hold the time ({@link #timeBits(long)})
     * @param dayStart the run's day start in epoch seconds: windows that end within the day are computed
     */
    public WindowAggregator(int timeBits, int groupFields, long dayStart, List<GroupingPlan> groupings)
    {
        this.timeBits = timeBits;
        this.groupFields = groupFields;
        this.dayStart = dayStart;
        this.groupings = List.copyOf(groupings);
    }

    /**
     * Output columns after the grouping index, group values and window start: the rule's index in its grouping,
     * measures JSON, sample ids, whether having held, the recorded measures as JSON (null when the rule records none).
     */
    public static final int OUTPUT_EXTRA = 5;

    private static final int SORT_KEY = 0;
    private static final int EPOCH = 1;
    private static final int EVENT_ID = 2;

    /**
     * The bits a sort key gives to the time: microseconds since the day's start minus the longest window, up to the
     * day's end. The other 63 - timeBits (at least 20 for windows up to a year) hold the hash of the partition values.
     */
    public static int timeBits(long longestWindowSeconds)
    {
        return 64 - Long.numberOfLeadingZeros((longestWindowSeconds + 86_400) * 1_000_000L);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input)
    {
        return new Iterator<>()
        {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private final Pass pass = new Pass();

            @Override
            public boolean hasNext()
            {
                while (ready.isEmpty() && input.hasNext()) {
                    pass.add(input.next(), ready);
                }
                if (ready.isEmpty()) {
                    pass.finish(ready);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /** A new streaming pass, fed rows in sort-key order ({@link Pass#add}), then {@link Pass#finish}ed. */
    public Pass pass()
    {
        return new Pass();
    }

    /** One streaming pass over rows in sort-key order: the windows a row closes are added to {@code ready}. */
    public final class Pass
    {
        private final OpenWindows[] open = IntStream.range(0, groupings.size()).mapToObj(OpenWindows::new).toArray(OpenWindows[]::new);
        private long hash = -1;

        private Pass() {}

        public void add(Row row, ArrayDeque<Row> ready)
        {
            long rowHash = row.getLong(SORT_KEY) >>> timeBits;
            if (rowHash != hash) {
                finish(ready);
                hash = rowHash;
            }
            double epoch = row.getDouble(EPOCH);
            for (OpenWindows windows : open) {
                windows.add(row, epoch, ready);
            }
        }

        /** Emits every window still open. */
        public void finish(ArrayDeque<Row> ready)
        {
            for (OpenWindows windows : open) {
                windows.closeBefore(Double.POSITIVE_INFINITY, ready);
            }
        }
    }

    /** A window of a grouping: its group values and start. */
    private record WindowKey(List<Object> values, long start) {}

    /** The open windows of one grouping for the current partition values. */
    private final class OpenWindows
    {
        private final int index;
        private final GroupingPlan plan;
        private final Map<WindowKey, Window> windows = new HashMap<>();
        private long earliestEnd = Long.MAX_VALUE;

        OpenWindows(int index)
        {
            this.index = index;
            this.plan = groupings.get(index);
        }

        void add(Row row, double epoch, ArrayDeque<Row> ready)
        {
            if (epoch >= earliestEnd) {
                closeBefore(epoch, ready);
            }
            if (!anyRuleMatched(row)) {
                return;
            }
            Object[] values = new Object[plan.keyColumns().length];
            for (int k = 0; k < values.length; k++) {
                values[k] = row.get(plan.keyColumns()[k]);
            }
            List<Object> group = Arrays.asList(values);
            long slot = (long) Math.floor(epoch / plan.slideSeconds());
            for (long k = 0; k < plan.windowSeconds() / plan.slideSeconds(); k++) {
                long start = (slot - k) * plan.slideSeconds();
                long end = start + plan.windowSeconds();
                if (end <= dayStart || end > dayStart + 86_400) {
                    continue;
                }
                windows.computeIfAbsent(new WindowKey(group, start), key -> new Window(plan, key)).add(row, epoch, start >= dayStart);
                earliestEnd = Math.min(earliestEnd, end);
            }
        }

        private boolean anyRuleMatched(Row row)
        {
            for (RulePlan rule : plan.rules()) {
                if (flag(row, rule.flagColumn())) {
                    return true;
                }
            }
            return false;
        }

        /** Emits and forgets the windows that end at or before {@code time}: no later record of the partition falls in them. */
        void closeBefore(double time, ArrayDeque<Row> ready)
        {
            long nextEnd = Long.MAX_VALUE;
            for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
                Window window = it.next();
                long end = window.key.start() + plan.windowSeconds();
                if (end <= time) {
                    window.emit(index, ready);
                    it.remove();
                }
                else {
                    nextEnd = Math.min(nextEnd, end);
                }
            }
            earliestEnd = nextEnd;
        }
    }

    /** The accumulators of one (group, window) of a grouping. */
    private final class Window
    {
        private final GroupingPlan plan;
        private final WindowKey key;
        private final long[] matched;
        private final SampleIds[] samples;
        private final MeasureAccumulator[][] measures;

        Window(GroupingPlan plan, WindowKey key)
        {
            this.plan = plan;
            this.key = key;
            int rules = plan.rules().size();
            matched = new long[rules];
            samples = new SampleIds[rules];
            measures = new MeasureAccumulator[rules][];
        }

        void add(Row row, double epoch, boolean startsInDay)
        {
            for (int r = 0; r < matched.length; r++) {
                RulePlan rule = plan.rules().get(r);
                if (!flag(row, rule.flagColumn()) || !(startsInDay || rule.readsPreviousDay())) {
                    continue;
                }
                if (matched[r]++ == 0) {
                    start(r, rule);
                }
                samples[r].add(row.isNullAt(EVENT_ID) ? null : row.getString(EVENT_ID));
                for (int m = 0; m < measures[r].length; m++) {
                    MeasurePlan measure = rule.measures().get(m);
                    if (measures[r][m] != null && flag(row, measure.conditionColumn())) {
                        measures[r][m].add(measure.valueColumn() < 0 ? null : row.get(measure.valueColumn()), epoch);
                    }
                }
            }
        }

        /** A rule's accumulators, made at its first record in the window: most windows hold records of few of the grouping's rules. */
        private void start(int r, RulePlan rule)
        {
            samples[r] = new SampleIds(rule.samples());
            measures[r] = new MeasureAccumulator[rule.measures().size()];
            for (int m = 0; m < measures[r].length; m++) {
                MeasurePlan measure = rule.measures().get(m);
                if (!measure.function().equals("expression")) {
                    measures[r][m] = MeasureAccumulator.of(measure.function(), measure.parameter());
                }
            }
        }

        void emit(int grouping, ArrayDeque<Row> into)
        {
            for (int r = 0; r < matched.length; r++) {
                if (matched[r] == 0) {
                    continue;
                }
                RulePlan rule = plan.rules().get(r);
                Map<String, Double> values = new LinkedHashMap<>();
                for (int m = 0; m < measures[r].length; m++) {
                    MeasurePlan measure = rule.measures().get(m);
                    values.put(measure.name(), measures[r][m] != null ? measures[r][m].result()
                            : MeasureExpressions.number(MeasureExpressions.evaluate(measure.expression(), values)));
                }
                boolean hit = MeasureExpressions.holds(rule.having(), values);
                if (!hit && rule.recorded().isEmpty()) {
                    continue;
                }
                Map<String, Double> shown = new LinkedHashMap<>();
                rule.measures().stream().filter(measure -> !measure.hidden()).forEach(measure -> shown.put(measure.name(), values.get(measure.name())));
                Map<String, Double> recorded = new LinkedHashMap<>();
                rule.recorded().forEach(name -> recorded.put(name, values.get(name)));
                Object[] out = new Object[2 + groupFields + OUTPUT_EXTRA];
                out[0] = grouping;
                for (int k = 0; k < plan.outputSlots().length; k++) {
                    out[1 + plan.outputSlots()[k]] = key.values().get(k);
                }
                int at = 1 + groupFields;
                out[at] = key.start();
                out[at + 1] = r;
                out[at + 2] = json(shown);
                out[at + 3] = scala.collection.JavaConverters.asScalaBuffer(hit ? samples[r].ids() : List.<String>of()).toSeq();
                out[at + 4] = hit;
                out[at + 5] = recorded.isEmpty() ? null : json(recorded);
                into.add(RowFactory.create(out));
            }
        }
    }

    /** Condition references at or above this are bits of long columns ({@link #bit}); below it, boolean columns. */
    private static final int BITS = 1 << 24;

    /** A condition that is bit {@code bit} (0-63) of the long input column {@code column}: flags packed in one column make narrower rows. */
    public static int bit(int column, int bit)
    {
        if (bit < 0 || bit > 63 || column < 0 || column >= (BITS >>> 6)) {
            throw new IllegalArgumentException("bit " + bit + " of column " + column);
        }
        return BITS + (column << 6) + bit;
    }

    private static boolean flag(Row row, int condition)
    {
        if (condition >= BITS) {
            int column = (condition - BITS) >>> 6;
            return !row.isNullAt(column) && (row.getLong(column) >>> ((condition - BITS) & 63) & 1) != 0;
        }
        return !row.isNullAt(condition) && row.getBoolean(condition);
    }

    private static String json(Map<String, Double> measures)
    {
        try {
            return JSON.writeValueAsString(measures);
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("measures cannot be written as JSON", e);
        }
    }
}
