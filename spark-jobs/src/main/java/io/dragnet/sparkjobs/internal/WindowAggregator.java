package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.AggregateSpec;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * Computes every measure of every rule of one grouping in a single streaming pass over a partition sorted by
 * (group values, window start, time): the rows of one (group, window) are consecutive, so only that window's
 * accumulators are held, whatever the number of groups. Emits one row per (rule, group, window) whose rule matched a
 * record there and whose {@code having} holds: the group values, the window start, the rule's index, its measures
 * as JSON and its sample event ids.
 *
 * <p>Input row layout: group values at {@code 0 .. keys-1}, the window start (long) at {@code keys}, the record time
 * in epoch seconds (double) at {@code keys + 1}, the event id (string) at {@code keys + 2}, then the columns the
 * {@link RulePlan}s and {@link MeasurePlan}s point at.
 */
public final class WindowAggregator
        implements MapPartitionsFunction<Row, Row>
{
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final int keys;
    private final List<RulePlan> rules;

    /**
     * One measure of a rule.
     *
     * @param function a job spec measure function, or "expression" (computed from the measures before it)
     * @param valueColumn the input column of its field, -1 for none
     * @param conditionColumn the boolean input column of the records it counts
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
     * One rule of the grouping: its flag column, measures in spec order, having and sample count.
     *
     * @param recorded the measures history measures look back on: every window of the rule is emitted with their
     *                 values (hit or not), so later days can look back on them; empty when the rule has none
     */
    public record RulePlan(int flagColumn, List<MeasurePlan> measures, AggregateSpec.Expression having, int samples, List<String> recorded)
            implements Serializable
    {
        public RulePlan
        {
            measures = List.copyOf(measures);
            requireNonNull(having, "having is null");
            recorded = List.copyOf(recorded);
        }
    }

    public WindowAggregator(int keys, List<RulePlan> rules)
    {
        this.keys = keys;
        this.rules = List.copyOf(rules);
    }

    /**
     * Output columns after the group values and window start: the rule's index in the plan, measures JSON, sample ids,
     * whether having held, the recorded measures as JSON (null when the rule records none).
     */
    public static final int OUTPUT_EXTRA = 5;

    @Override
    public Iterator<Row> call(Iterator<Row> input)
    {
        return new Iterator<>()
        {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private Window window;

            @Override
            public boolean hasNext()
            {
                while (ready.isEmpty() && (input.hasNext() || window != null)) {
                    if (!input.hasNext()) {
                        window.emit(ready);
                        window = null;
                        break;
                    }
                    Row row = input.next();
                    if (window == null || !window.holds(row)) {
                        if (window != null) {
                            window.emit(ready);
                        }
                        window = new Window(row);
                    }
                    window.add(row);
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

    /** The accumulators of one (group, window). */
    private final class Window
    {
        private final Object[] key;
        private final long[] matched = new long[rules.size()];
        private final SampleIds[] samples = new SampleIds[rules.size()];
        private final MeasureAccumulator[][] measures = new MeasureAccumulator[rules.size()][];

        Window(Row first)
        {
            key = new Object[keys + 1];
            for (int i = 0; i <= keys; i++) {
                key[i] = first.get(i);
            }
            for (int r = 0; r < rules.size(); r++) {
                RulePlan rule = rules.get(r);
                samples[r] = new SampleIds(rule.samples());
                measures[r] = new MeasureAccumulator[rule.measures().size()];
                for (int m = 0; m < measures[r].length; m++) {
                    MeasurePlan measure = rule.measures().get(m);
                    if (!measure.function().equals("expression")) {
                        measures[r][m] = MeasureAccumulator.of(measure.function(), measure.parameter());
                    }
                }
            }
        }

        boolean holds(Row row)
        {
            for (int i = 0; i <= keys; i++) {
                if (!Objects.equals(key[i], row.get(i))) {
                    return false;
                }
            }
            return true;
        }

        void add(Row row)
        {
            double epoch = row.getDouble(keys + 1);
            for (int r = 0; r < rules.size(); r++) {
                RulePlan rule = rules.get(r);
                if (!flag(row, rule.flagColumn())) {
                    continue;
                }
                matched[r]++;
                samples[r].add(row.isNullAt(keys + 2) ? null : row.getString(keys + 2));
                for (int m = 0; m < measures[r].length; m++) {
                    MeasurePlan measure = rule.measures().get(m);
                    if (measures[r][m] != null && flag(row, measure.conditionColumn())) {
                        measures[r][m].add(measure.valueColumn() < 0 ? null : row.get(measure.valueColumn()), epoch);
                    }
                }
            }
        }

        void emit(ArrayDeque<Row> into)
        {
            for (int r = 0; r < rules.size(); r++) {
                if (matched[r] == 0) {
                    continue;
                }
                RulePlan rule = rules.get(r);
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
                Object[] out = new Object[keys + 1 + OUTPUT_EXTRA];
                System.arraycopy(key, 0, out, 0, keys + 1);
                out[keys + 1] = r;
                out[keys + 2] = json(shown);
                out[keys + 3] = scala.collection.JavaConverters.asScalaBuffer(hit ? samples[r].ids() : List.<String>of()).toSeq();
                out[keys + 4] = hit;
                out[keys + 5] = recorded.isEmpty() ? null : json(recorded);
                into.add(RowFactory.create(out));
            }
        }
    }

    private static boolean flag(Row row, int column)
    {
        return !row.isNullAt(column) && row.getBoolean(column);
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
