package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.AggregateSpec;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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
 * <p>Rows are Spark's internal rows, read where they lie (the exchange's sorted buffers) and written without a
 * conversion to {@link org.apache.spark.sql.Row}; measures read numbers as primitives and texts as bytes.
 *
 * <p>Input row layout: the sort key (long) at 0, the record time in epoch seconds (double) at 1, the event id
 * (string) at 2, then the columns the
 * {@link GroupingPlan}s, {@link RulePlan}s and {@link MeasurePlan}s point at.
 *
 * <p>Output row layout (Spark's internal values): grouping index, the {@code groupFields} group values (null where the row's grouping does not
 * group by that field), window start, then the {@link #OUTPUT_EXTRA} columns.
 */
public final class WindowAggregator
        implements Serializable
{
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final int timeBits;
    private final int groupFields;
    private final long dayStart;
    private final DataType[] inputTypes;
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
     * @param input the input rows' columns: how the group and measure values are read from them
     */
    public WindowAggregator(int timeBits, int groupFields, long dayStart, StructType input, List<GroupingPlan> groupings)
    {
        this.timeBits = timeBits;
        this.groupFields = groupFields;
        this.dayStart = dayStart;
        this.inputTypes = Arrays.stream(input.fields()).map(StructField::dataType).toArray(DataType[]::new);
        this.groupings = List.copyOf(groupings);
    }

    /**
     * Output columns after the grouping index, group values and window start: the rule's index in its grouping,
     * measures JSON, sample ids, whether having held, the recorded measures as JSON (null when the rule records none).
     */
    public static final int OUTPUT_EXTRA = 5;

    private static final Object[] NO_SAMPLES = new Object[0];

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

    /** The windows of one partition's rows, in sort-key order. */
    public Iterator<InternalRow> call(Iterator<InternalRow> input)
    {
        return new Iterator<>()
        {
            private final ArrayDeque<GenericInternalRow> ready = new ArrayDeque<>();
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
            public InternalRow next()
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

    /**
     * One streaming pass over rows in sort-key order: the windows a row closes are added to {@code ready}. The rows
     * may be Spark's reused buffers: nothing of a row is kept but copies.
     */
    public final class Pass
    {
        private final OpenWindows[] open = IntStream.range(0, groupings.size()).mapToObj(OpenWindows::new).toArray(OpenWindows[]::new);
        private final Record record = new Record();
        private long hash = -1;

        private Pass() {}

        public void add(InternalRow row, ArrayDeque<GenericInternalRow> ready)
        {
            long rowHash = row.getLong(SORT_KEY) >>> timeBits;
            if (rowHash != hash) {
                finish(ready);
                hash = rowHash;
            }
            record.at(row);
            for (OpenWindows windows : open) {
                windows.add(record, ready);
            }
        }

        /** Emits every window still open. */
        public void finish(ArrayDeque<GenericInternalRow> ready)
        {
            for (OpenWindows windows : open) {
                windows.closeBefore(Double.POSITIVE_INFINITY, ready);
            }
        }
    }

    /**
     * The row being added, its time, its event id copied once when a sample needs it, its texts as the row holds them
     * (each read once however many groupings and measures compare or count it), and copies of its texts that outlive
     * the row: one per text column, kept while the next rows hold the same value (the rows of one partition value
     * repeat it), so a value that groups and counts in several windows is copied once.
     */
    private final class Record
    {
        private InternalRow row;
        /** Counts the rows added, so that a text read from an earlier row is never taken for this one's. */
        private long rowNumber;
        private final UTF8String[] views = new UTF8String[inputTypes.length];
        private final long[] viewRowNumbers = new long[inputTypes.length];
        private double epoch;
        private UTF8String eventId;
        private boolean eventIdRead;
        /** The event id as the row holds it (null for none), read once when a sample set needs it. */
        private UTF8String eventIdView;
        private boolean eventIdViewRead;
        private final UTF8String[] texts = new UTF8String[inputTypes.length];
        @SuppressWarnings("unchecked")
        private final Supplier<UTF8String>[] keptTexts = IntStream.range(0, inputTypes.length).mapToObj(column -> (Supplier<UTF8String>) () -> text(column))
                .toArray(Supplier[]::new);

        void at(InternalRow row)
        {
            this.row = row;
            this.rowNumber++;
            this.epoch = row.getDouble(EPOCH);
            this.eventIdRead = false;
            this.eventIdViewRead = false;
        }

        UTF8String eventIdView()
        {
            if (!eventIdViewRead) {
                eventIdView = row.isNullAt(EVENT_ID) ? null : row.getUTF8String(EVENT_ID);
                eventIdViewRead = true;
            }
            return eventIdView;
        }

        UTF8String eventId()
        {
            if (!eventIdRead) {
                UTF8String view = eventIdView();
                eventId = view == null ? null : SampleIds.copyOf(view);
                eventIdRead = true;
            }
            return eventId;
        }

        /** The text in {@code column} (not null) as the row holds it, valid until the next row. */
        UTF8String view(int column)
        {
            if (viewRowNumbers[column] != rowNumber) {
                views[column] = row.getUTF8String(column);
                viewRowNumbers[column] = rowNumber;
            }
            return views[column];
        }

        /** A copy of the text in {@code column} (not null) that outlives the row. */
        UTF8String text(int column)
        {
            UTF8String view = view(column);
            UTF8String copy = texts[column];
            if (copy == null || !copy.equals(view)) {
                copy = view.copy();
                texts[column] = copy;
            }
            return copy;
        }
    }

    /** The open groups a grouping searches one by one, before it indexes them by their values. */
    private static final int LISTED_GROUPS = 8;

    /** The open windows of one grouping for the current partition values, per group (few: the groups of one partition hash). */
    private final class OpenWindows
    {
        private final int grouping;
        private final GroupingPlan plan;
        private final RulePlan[] rules;
        private final int[] keyColumns;
        private final DataType[] keyTypes;
        private final Layout layout;
        private final long windowsPerRecord;
        private final List<Group> groups = new ArrayList<>();
        /** The group of the last row added: the next row of the same hash is most likely of it too. */
        private Group last;
        /** The open groups by their values, once there are more than {@link #LISTED_GROUPS}; null before. */
        private Map<List<Object>, Group> index;
        /** Per rule, its measures in a window as they are computed, reused from window to window. */
        private final MeasureValues[] measureValues;
        /**
         * Closed windows and groups, reused for the next ones: windows of fine groupings (such as source and
         * destination) mostly hold one record, so making a group, a window and its accumulators anew would cost more
         * than the record's counting.
         */
        private final ArrayDeque<Window> spareWindows = new ArrayDeque<>();
        private final ArrayDeque<Group> spareGroups = new ArrayDeque<>();
        private long earliestEnd = Long.MAX_VALUE;

        OpenWindows(int grouping)
        {
            this.grouping = grouping;
            this.plan = groupings.get(grouping);
            this.rules = plan.rules().toArray(RulePlan[]::new);
            this.keyColumns = plan.keyColumns();
            this.keyTypes = Arrays.stream(keyColumns).mapToObj(column -> inputTypes[column]).toArray(DataType[]::new);
            this.layout = new Layout(rules, inputTypes);
            this.measureValues = Arrays.stream(rules).map(MeasureValues::new).toArray(MeasureValues[]::new);
            this.windowsPerRecord = plan.windowSeconds() / plan.slideSeconds();
        }

        void add(Record record, ArrayDeque<GenericInternalRow> ready)
        {
            double epoch = record.epoch;
            if (epoch >= earliestEnd) {
                closeBefore(epoch, ready);
            }
            if (!anyRuleMatched(record.row)) {
                return;
            }
            Group group = group(record);
            long slot = (long) Math.floor(epoch / plan.slideSeconds());
            for (long k = 0; k < windowsPerRecord; k++) {
                long start = (slot - k) * plan.slideSeconds();
                long end = start + plan.windowSeconds();
                if (end <= dayStart || end > dayStart + 86_400) {
                    continue;
                }
                group.window(start).add(record, start >= dayStart);
                earliestEnd = Math.min(earliestEnd, end);
            }
        }

        private boolean anyRuleMatched(InternalRow row)
        {
            for (int flag : layout.gateFlags) {
                if (flag(row, flag)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The open group of the row's group values, made when none is open. A few open groups are searched in turn
         * (the next row is most often of the last one's); past {@link #LISTED_GROUPS}, such as the many destinations of
         * one scanning source, they are found by a hash of their values.
         */
        private Group group(Record record)
        {
            if (last != null && last.holds(record)) {
                return last;
            }
            Group found = null;
            if (index != null) {
                found = index.get(Arrays.asList(keyValues(record, false, new Object[keyColumns.length])));
            }
            else {
                for (Group group : groups) {
                    if (group != last && group.holds(record)) {
                        found = group;
                        break;
                    }
                }
            }
            if (found == null) {
                found = spareGroups.isEmpty() ? new Group() : spareGroups.pop();
                found.hold(record);
                groups.add(found);
                if (index != null) {
                    index.put(Arrays.asList(found.values), found);
                }
                else if (groups.size() > LISTED_GROUPS) {
                    index = new HashMap<>();
                    groups.forEach(group -> index.put(Arrays.asList(group.values), group));
                }
            }
            last = found;
            return found;
        }

        /** The row's group values as Spark holds them, into {@code values}: views of the row, or copies that outlive it. */
        private Object[] keyValues(Record record, boolean copied, Object[] values)
        {
            InternalRow row = record.row;
            for (int k = 0; k < values.length; k++) {
                int column = keyColumns[k];
                if (row.isNullAt(column)) {
                    values[k] = null;
                }
                else if (keyTypes[k] instanceof StringType) {
                    values[k] = copied ? record.text(column) : record.view(column);
                }
                else {
                    Object value = row.get(column, keyTypes[k]);
                    values[k] = copied ? InternalRow.copyValue(value) : value;
                }
            }
            return values;
        }

        /** Emits and forgets the windows that end at or before {@code time}: no later record of the partition falls in them. */
        void closeBefore(double time, ArrayDeque<GenericInternalRow> ready)
        {
            long nextEnd = Long.MAX_VALUE;
            int keptGroups = 0;
            for (int g = 0; g < groups.size(); g++) {
                Group group = groups.get(g);
                List<Window> windows = group.windows;
                int kept = 0;
                for (int w = 0; w < windows.size(); w++) {
                    Window window = windows.get(w);
                    long end = window.start + plan.windowSeconds();
                    if (end <= time) {
                        window.emit(grouping, measureValues, ready);
                        spareWindows.push(window);
                    }
                    else {
                        windows.set(kept++, window);
                        nextEnd = Math.min(nextEnd, end);
                    }
                }
                truncate(windows, kept);
                if (kept > 0) {
                    groups.set(keptGroups++, group);
                    continue;
                }
                if (group == last) {
                    last = null;
                }
                if (index != null) {
                    index.remove(Arrays.asList(group.values));
                }
                spareGroups.push(group);
            }
            truncate(groups, keptGroups);
            if (groups.isEmpty()) {
                index = null;
            }
            earliestEnd = nextEnd;
        }

        /** The open windows of one group's values (Spark's internal values, copied out of the rows). */
        private final class Group
        {
            private final Object[] values = new Object[keyColumns.length];
            private final List<Window> windows = new ArrayList<>(2);

            /** Makes this (new or spare) group the one of the record's group values. */
            void hold(Record record)
            {
                keyValues(record, true, values);
            }

            boolean holds(Record record)
            {
                InternalRow row = record.row;
                for (int k = 0; k < values.length; k++) {
                    int column = keyColumns[k];
                    Object value = values[k];
                    if (value == null || row.isNullAt(column)) {
                        if (value != null || !row.isNullAt(column)) {
                            return false;
                        }
                    }
                    else if (value instanceof UTF8String text) {
                        if (!text.equals(record.view(column))) {
                            return false;
                        }
                    }
                    else if (value instanceof Long number) {
                        if (number != row.getLong(column)) {
                            return false;
                        }
                    }
                    else if (!value.equals(row.get(column, keyTypes[k]))) {
                        return false;
                    }
                }
                return true;
            }

            Window window(long start)
            {
                for (int w = 0; w < windows.size(); w++) {
                    if (windows.get(w).start == start) {
                        return windows.get(w);
                    }
                }
                Window window = spareWindows.isEmpty() ? new Window(plan, rules, layout) : spareWindows.pop();
                window.open(values, start);
                windows.add(window);
                return window;
            }
        }
    }

    /** How a measure reads its value from a row, by the column's type: primitives without boxing, texts without copying. */
    private enum ValueKind
    {
        NONE, WHOLE, INT, SHORT, BYTE, DOUBLE, TEXT, OTHER;

        static ValueKind of(int column, DataType[] types)
        {
            if (column < 0) {
                return NONE;
            }
            DataType type = types[column];
            if (type instanceof LongType) {
                return WHOLE;
            }
            if (type instanceof IntegerType) {
                return INT;
            }
            if (type instanceof ShortType) {
                return SHORT;
            }
            if (type instanceof ByteType) {
                return BYTE;
            }
            if (type instanceof DoubleType) {
                return DOUBLE;
            }
            if (type instanceof StringType) {
                return TEXT;
            }
            return OTHER;
        }
    }

    /**
     * Where a grouping's rules keep what they count in a window. Rules that count the same records (the same flag
     * column and the same reach into the previous day) share a gate: one count of matched records, one sample set per
     * sample limit, and one accumulator per distinct measure (function, value, condition, parameter), so a record
     * feeds each once however many of the rules matched it.
     */
    private static final class Layout
    {
        private final int[] gateFlags;
        private final boolean[] gateReadsPreviousDay;
        /** Per gate, its sample sets and its accumulators. */
        private final int[][] gateSampleSets;
        private final int[][] gateSlots;
        private final int[] sampleSetLimits;
        private final MeasurePlan[] slotMeasures;
        private final ValueKind[] slotKinds;
        private final Supplier<MeasureAccumulator>[] slotFactories;
        /** Per rule: its gate, its sample set (-1 for none), and per measure its accumulator (-1 for an expression). */
        private final int[] ruleGates;
        private final int[] ruleSampleSets;
        private final int[][] ruleSlots;

        Layout(RulePlan[] rules, DataType[] inputTypes)
        {
            List<List<Object>> gates = new ArrayList<>();
            List<List<Object>> sampleSets = new ArrayList<>();
            List<List<Object>> slots = new ArrayList<>();
            List<MeasurePlan> slotMeasureList = new ArrayList<>();
            ruleGates = new int[rules.length];
            ruleSampleSets = new int[rules.length];
            ruleSlots = new int[rules.length][];
            for (int r = 0; r < rules.length; r++) {
                RulePlan rule = rules[r];
                ruleGates[r] = indexOf(gates, Arrays.asList(rule.flagColumn(), rule.readsPreviousDay()));
                ruleSampleSets[r] = rule.samples() == 0 ? -1 : indexOf(sampleSets, Arrays.asList(ruleGates[r], rule.samples()));
                ruleSlots[r] = new int[rule.measures().size()];
                for (int m = 0; m < ruleSlots[r].length; m++) {
                    MeasurePlan measure = rule.measures().get(m);
                    if (measure.function().equals("expression")) {
                        ruleSlots[r][m] = -1;
                        continue;
                    }
                    int before = slots.size();
                    ruleSlots[r][m] = indexOf(slots, Arrays.asList(ruleGates[r], measure.function(), measure.valueColumn(), measure.conditionColumn(), measure.parameter()));
                    if (slots.size() > before) {
                        slotMeasureList.add(measure);
                    }
                }
            }
            gateFlags = gates.stream().mapToInt(gate -> (Integer) gate.get(0)).toArray();
            gateReadsPreviousDay = new boolean[gates.size()];
            for (int g = 0; g < gates.size(); g++) {
                gateReadsPreviousDay[g] = (Boolean) gates.get(g).get(1);
            }
            sampleSetLimits = sampleSets.stream().mapToInt(set -> (Integer) set.get(1)).toArray();
            slotMeasures = slotMeasureList.toArray(MeasurePlan[]::new);
            slotKinds = slotMeasureList.stream().map(measure -> ValueKind.of(measure.valueColumn(), inputTypes)).toArray(ValueKind[]::new);
            @SuppressWarnings("unchecked")
            Supplier<MeasureAccumulator>[] factories = slotMeasureList.stream().map(measure -> MeasureAccumulator.factory(measure.function(), measure.parameter()))
                    .toArray(Supplier[]::new);
            slotFactories = factories;
            gateSampleSets = new int[gates.size()][];
            gateSlots = new int[gates.size()][];
            for (int g = 0; g < gates.size(); g++) {
                int gate = g;
                gateSampleSets[g] = IntStream.range(0, sampleSets.size()).filter(set -> (Integer) sampleSets.get(set).get(0) == gate).toArray();
                gateSlots[g] = IntStream.range(0, slots.size()).filter(slot -> (Integer) slots.get(slot).get(0) == gate).toArray();
            }
        }

        private static int indexOf(List<List<Object>> keys, List<Object> key)
        {
            int index = keys.indexOf(key);
            if (index >= 0) {
                return index;
            }
            keys.add(key);
            return keys.size() - 1;
        }
    }

    /** The accumulators of one (group, window) of a grouping, laid out by its {@link Layout}. */
    private final class Window
    {
        private final GroupingPlan plan;
        private final RulePlan[] rules;
        private final Layout layout;
        private Object[] groupValues;
        private long start;
        /** Per gate, the records it counted; a gate's sample sets and accumulators hold what it counted only once it counted one. */
        private final long[] matched;
        private final SampleIds[] samples;
        private final MeasureAccumulator[] accumulators;

        Window(GroupingPlan plan, RulePlan[] rules, Layout layout)
        {
            this.plan = plan;
            this.rules = rules;
            this.layout = layout;
            matched = new long[layout.gateFlags.length];
            samples = new SampleIds[layout.sampleSetLimits.length];
            accumulators = new MeasureAccumulator[layout.slotMeasures.length];
        }

        /** Makes this (new or spare) window the one of a group's values from {@code start}, with nothing counted. */
        void open(Object[] groupValues, long start)
        {
            this.groupValues = groupValues;
            this.start = start;
            Arrays.fill(matched, 0);
        }

        void add(Record record, boolean startsInDay)
        {
            InternalRow row = record.row;
            for (int g = 0; g < matched.length; g++) {
                if (!flag(row, layout.gateFlags[g]) || !(startsInDay || layout.gateReadsPreviousDay[g])) {
                    continue;
                }
                if (matched[g]++ == 0) {
                    start(g);
                }
                UTF8String eventId = record.eventIdView();
                for (int set : layout.gateSampleSets[g]) {
                    if (eventId != null && samples[set].mayKeep(eventId)) {
                        samples[set].add(record.eventId());
                    }
                }
                for (int slot : layout.gateSlots[g]) {
                    MeasurePlan measure = layout.slotMeasures[slot];
                    if (flag(row, measure.conditionColumn())) {
                        add(accumulators[slot], layout.slotKinds[slot], measure.valueColumn(), record);
                    }
                }
            }
        }

        private void add(MeasureAccumulator accumulator, ValueKind kind, int column, Record record)
        {
            InternalRow row = record.row;
            double epoch = record.epoch;
            if (kind == ValueKind.NONE || row.isNullAt(column)) {
                accumulator.add(null, epoch);
                return;
            }
            switch (kind) {
                case WHOLE -> accumulator.addWhole(row.getLong(column), epoch);
                case INT -> accumulator.addWhole(row.getInt(column), epoch);
                case SHORT -> accumulator.addWhole(row.getShort(column), epoch);
                case BYTE -> accumulator.addWhole(row.getByte(column), epoch);
                case DOUBLE -> accumulator.addFraction(row.getDouble(column), epoch);
                case TEXT -> accumulator.addText(record.view(column), record.keptTexts[column], epoch);
                default -> accumulator.add(external(row, column), epoch);
            }
        }

        /**
         * A gate's sample sets and accumulators, made (or those of a spare window cleared) at its first record in the
         * window: most windows hold records of few of the grouping's rules.
         */
        private void start(int gate)
        {
            for (int set : layout.gateSampleSets[gate]) {
                if (samples[set] == null) {
                    samples[set] = new SampleIds(layout.sampleSetLimits[set]);
                }
                else {
                    samples[set].clear();
                }
            }
            for (int slot : layout.gateSlots[gate]) {
                if (accumulators[slot] == null) {
                    accumulators[slot] = layout.slotFactories[slot].get();
                }
                else {
                    accumulators[slot].clear();
                }
            }
        }

        /** @param measureValues per rule, where its measures are computed */
        void emit(int grouping, MeasureValues[] measureValues, ArrayDeque<GenericInternalRow> into)
        {
            for (int r = 0; r < rules.length; r++) {
                long records = matched[layout.ruleGates[r]];
                if (records == 0) {
                    continue;
                }
                RulePlan rule = rules[r];
                if (records < measureValues[r].fewestRecordsOfAHit && rule.recorded().isEmpty()) {
                    continue;
                }
                MeasureValues values = measureValues[r].of(accumulators, layout.ruleSlots[r]);
                boolean hit = values.having();
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
                    out[1 + plan.outputSlots()[k]] = groupValues[k];
                }
                int at = 1 + groupFields;
                int sampleSet = layout.ruleSampleSets[r];
                Object[] sampleIds = hit && sampleSet >= 0 ? samples[sampleSet].ids() : NO_SAMPLES;
                out[at] = start;
                out[at + 1] = r;
                out[at + 2] = UTF8String.fromString(json(shown));
                out[at + 3] = new GenericArrayData(sampleIds);
                out[at + 4] = hit;
                out[at + 5] = recorded.isEmpty() ? null : UTF8String.fromString(json(recorded));
                into.add(new GenericInternalRow(out));
            }
        }
    }

    /**
     * A rule's measures in one window, by index or by name, reused from window to window. A measure is computed when
     * it is first read (a {@code having} that fails on its first measure reads no other), as computing them in spec
     * order would give it: an expression measure reads the measures before it (compiled against their names) and a
     * later one as absent (null).
     */
    private static final class MeasureValues
            extends AbstractMap<String, Double>
            implements IntFunction<Double>
    {
        private final String[] names;
        private final MeasureExpressions.Compiled[] expressions;
        private final MeasureExpressions.Compiled having;
        /** Fewer records of the rule's gate in a window than this cannot make having hold, so most windows of a fine grouping are turned away uncomputed. */
        private final long fewestRecordsOfAHit;
        private final Double[] values;
        private final boolean[] computed;
        private MeasureAccumulator[] accumulators;
        private int[] slots;

        MeasureValues(RulePlan rule)
        {
            List<String> measureNames = rule.measures().stream().map(MeasurePlan::name).toList();
            this.names = measureNames.toArray(String[]::new);
            this.expressions = IntStream.range(0, names.length)
                    .mapToObj(m -> rule.measures().get(m).expression() == null ? null
                            : MeasureExpressions.compile(rule.measures().get(m).expression(), measureNames.subList(0, m)))
                    .toArray(MeasureExpressions.Compiled[]::new);
            this.having = MeasureExpressions.compile(rule.having(), measureNames);
            // a count or count_distinct is fed only records its gate counted, so it is at most their number
            this.fewestRecordsOfAHit = MeasureExpressions.fewestRecordsToHold(rule.having(), rule.measures().stream()
                    .filter(measure -> measure.function().equals("count") || measure.function().equals("count_distinct")).map(MeasurePlan::name)
                    .collect(Collectors.toSet()));
            this.values = new Double[names.length];
            this.computed = new boolean[names.length];
        }

        /** The measures of a window: per measure, its accumulator among {@code accumulators} ({@code slots}, -1 for an expression). */
        MeasureValues of(MeasureAccumulator[] accumulators, int[] slots)
        {
            this.accumulators = accumulators;
            this.slots = slots;
            Arrays.fill(computed, false);
            return this;
        }

        boolean having()
        {
            return MeasureExpressions.isTrue(having.evaluate(this));
        }

        @Override
        public Double apply(int m)
        {
            if (!computed[m]) {
                values[m] = slots[m] >= 0 ? accumulators[slots[m]].result() : MeasureExpressions.number(expressions[m].evaluate(this));
                computed[m] = true;
            }
            return values[m];
        }

        @Override
        public Double get(Object name)
        {
            for (int m = 0; m < names.length; m++) {
                if (names[m].equals(name)) {
                    return apply(m);
                }
            }
            return null;
        }

        @Override
        public Set<Entry<String, Double>> entrySet()
        {
            Set<Entry<String, Double>> entries = new LinkedHashSet<>();
            for (int m = 0; m < names.length; m++) {
                entries.add(new SimpleImmutableEntry<>(names[m], apply(m)));
            }
            return entries;
        }
    }

    /** Drops a list's elements from {@code size} on, from the end (no view of the list is made: this runs per partition value). */
    private static void truncate(List<?> list, int size)
    {
        for (int last = list.size() - 1; last >= size; last--) {
            list.remove(last);
        }
    }

    /** A value of a type read without a fast path, as a {@link org.apache.spark.sql.Row} would hold it. */
    private Object external(InternalRow row, int column)
    {
        return CatalystTypeConverters.convertToScala(row.get(column, inputTypes[column]), inputTypes[column]);
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

    private static boolean flag(InternalRow row, int condition)
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
