package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.AggregateSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.dragnet.contracts.AggregateSpec.Expression.measure;
import static io.dragnet.contracts.AggregateSpec.Expression.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The streaming per-window aggregation over sorted rows, and the measures and expressions it evaluates, without Spark. */
public class TestWindowAggregator
{
    // input layout: source (key), window start, epoch, event id, rule flag, udp flag, destination, bytes
    private static Row row(String source, long window, double epoch, String id, boolean matched, boolean udp, String destination, long bytes)
    {
        return RowFactory.create(source, window, epoch, id, matched, udp, destination, bytes);
    }

    /** A row that also carries its group's figure over earlier days (column 8). */
    private static Row row(String source, long window, double epoch, String id, boolean matched, boolean udp, String destination, long bytes, Double history)
    {
        return RowFactory.create(source, window, epoch, id, matched, udp, destination, bytes, history);
    }

    private static final WindowAggregator.RulePlan SCAN = new WindowAggregator.RulePlan(4, List.of(
            new WindowAggregator.MeasurePlan("hosts", "count_distinct", 6, 4, null, null, false),
            new WindowAggregator.MeasurePlan("_udp", "count", -1, 5, null, null, true),
            new WindowAggregator.MeasurePlan("n", "count", -1, 4, null, null, false),
            new WindowAggregator.MeasurePlan("share", "expression", -1, -1, null, AggregateSpec.Expression.of("divide", measure("_udp"), measure("n")), false),
            new WindowAggregator.MeasurePlan("bytes", "sum", 7, 4, null, null, false)),
            AggregateSpec.Expression.of("gte", measure("hosts"), number(2)), 2, List.of());

    @Test
    public void emitsOneRowPerWindowWhoseHavingHoldsWithVisibleMeasuresAndSmallestSamples()
    {
        List<Row> input = List.of(
                row("10.0.0.1", 0, 1, "C9", true, true, "a", 10),
                row("10.0.0.1", 0, 2, "C3", true, false, "b", 20),
                row("10.0.0.1", 0, 3, "C5", true, false, "b", 30),
                row("10.0.0.1", 0, 4, "C1", false, false, "z", 1000),
                row("10.0.0.1", 3600, 3601, "C7", true, false, "a", 5),
                row("10.0.0.2", 3600, 3602, "C8", true, true, "a", 5),
                row("10.0.0.2", 3600, 3603, "C2", true, true, "c", 5));
        List<Row> output = run(new WindowAggregator(1, List.of(SCAN)), input);
        assertThat(output).hasSize(2);
        assertThat(output.get(0).getString(0)).isEqualTo("10.0.0.1");
        assertThat(output.get(0).getLong(1)).isEqualTo(0);
        assertThat(output.get(0).getInt(2)).isEqualTo(0);
        assertThat(output.get(0).getString(3)).isEqualTo("{\"hosts\":2.0,\"n\":3.0,\"share\":0.3333333333333333,\"bytes\":60.0}");
        assertThat(output.get(0).<String>getSeq(4)).isNotNull();
        assertThat(scala.collection.JavaConverters.seqAsJavaList(output.get(0).<String>getSeq(4))).containsExactly("C3", "C5");
        assertThat(output.get(1).getString(0)).isEqualTo("10.0.0.2");
        assertThat(output.get(1).getString(3)).isEqualTo("{\"hosts\":2.0,\"n\":2.0,\"share\":1.0,\"bytes\":10.0}");
    }

    @Test
    public void windowsWithoutAMatchedRecordAreNotHitsEvenWhenHavingWouldHold()
    {
        WindowAggregator.RulePlan always = new WindowAggregator.RulePlan(4, List.of(new WindowAggregator.MeasurePlan("n", "count", -1, 4, null, null, false)),
                AggregateSpec.Expression.of("gte", measure("n"), number(0)), 1, List.of());
        List<Row> output = run(new WindowAggregator(1, List.of(always)), List.of(row("10.0.0.1", 0, 1, "C1", false, false, "a", 1)));
        assertThat(output).isEmpty();
    }

    @Test
    public void rulesWhoseMeasuresAreRecordedEmitEveryWindowMarkedHitOrNot()
    {
        WindowAggregator.RulePlan recording = new WindowAggregator.RulePlan(4, List.of(
                new WindowAggregator.MeasurePlan("bytes", "sum", 7, 4, null, null, false),
                new WindowAggregator.MeasurePlan("usual", "history_avg", 8, 4, null, null, false)),
                AggregateSpec.Expression.of("gt", measure("bytes"), AggregateSpec.Expression.of("multiply", number(10), measure("usual"))), 1, List.of("bytes"));
        List<Row> output = run(new WindowAggregator(1, List.of(recording)), List.of(
                row("10.0.0.1", 0, 1, "C1", true, false, "a", 500, 40.0),
                row("10.0.0.1", 0, 2, "C2", true, false, "a", 500, 40.0),
                row("10.0.0.2", 0, 3, "C3", true, false, "a", 5, 40.0),
                row("10.0.0.3", 0, 4, "C4", true, false, "a", 7, null)));
        assertThat(output).extracting(out -> out.getString(0), out -> out.getBoolean(5), out -> out.getString(6)).containsExactly(
                org.assertj.core.groups.Tuple.tuple("10.0.0.1", true, "{\"bytes\":1000.0}"),
                org.assertj.core.groups.Tuple.tuple("10.0.0.2", false, "{\"bytes\":5.0}"),
                org.assertj.core.groups.Tuple.tuple("10.0.0.3", false, "{\"bytes\":7.0}"));
        assertThat(output.get(0).getString(3)).isEqualTo("{\"bytes\":1000.0,\"usual\":40.0}");
        assertThat(scala.collection.JavaConverters.seqAsJavaList(output.get(1).<String>getSeq(4))).isEmpty();
    }

    @Test
    public void entropyIsShannonsOverCharacters()
    {
        assertThat(CharacterEntropy.of("aaaa")).isEqualTo(0.0);
        assertThat(CharacterEntropy.of("abcd")).isEqualTo(2.0);
        assertThat(CharacterEntropy.of("")).isEqualTo(0.0);
        // "google": g 2, o 2, l 1, e 1 -> -(2 * 1/3 log2 1/3 + 2 * 1/6 log2 1/6)
        assertThat(CharacterEntropy.of("google")).isCloseTo(2 * (1.0 / 3) * (Math.log(3) / Math.log(2)) + 2 * (1.0 / 6) * (Math.log(6) / Math.log(2)), within(1e-12));
        assertThat(result("entropy", null, "aaaa", "abcd", null)).isEqualTo(1.0);
        assertThat(result("history_max", null, 7.5, 7.5)).isEqualTo(7.5);
        assertThat(result(MeasureAccumulator.NO_VALUE, null, 1.0)).isNull();
    }

    @Test
    public void measuresFollowSql()
    {
        assertThat(result("count", null)).isEqualTo(0.0);
        assertThat(result("count_distinct", null)).isEqualTo(0.0);
        assertThat(result("sum", null)).isNull();
        assertThat(result("avg", null)).isNull();
        assertThat(result("stddev", null, 4.0)).isNull();
        assertThat(result("stddev", null, 2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0)).isCloseTo(2.138089935299395, within(1e-12));
        assertThat(result("avg", null, 1L, 2L)).isEqualTo(1.5);
        assertThat(result("sum", null, Long.MAX_VALUE / 2, 1L)).isEqualTo((double) (Long.MAX_VALUE / 2 + 1));
        assertThat(result("min", null, 3.0, -1.0, null)).isEqualTo(-1.0);
        assertThat(result("max", null, java.sql.Timestamp.from(java.time.Instant.ofEpochSecond(100, 500_000_000)))).isEqualTo(100.5);
        assertThat(result("percentile", 95.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0))
                .isEqualTo(19.0);
        assertThat(result("percentile", 50.0, 5.0, 1.0, 3.0)).isEqualTo(3.0);
        assertThat(result("percentile", 100.0, 5.0, 1.0, 3.0)).isEqualTo(5.0);
    }

    @Test
    public void expressionsUseThreeValuedLogic()
    {
        Map<String, Double> values = new java.util.HashMap<>();
        values.put("zero", 0.0);
        values.put("none", null);
        values.put("ten", 10.0);
        assertThat(MeasureExpressions.evaluate(AggregateSpec.Expression.of("divide", measure("ten"), measure("zero")), values)).isNull();
        assertThat(MeasureExpressions.holds(AggregateSpec.Expression.of("gt", measure("none"), number(1)), values)).isFalse();
        assertThat(MeasureExpressions.holds(AggregateSpec.Expression.of("not", AggregateSpec.Expression.of("gt", measure("none"), number(1))), values)).isFalse();
        assertThat(MeasureExpressions.holds(AggregateSpec.Expression.of("or", AggregateSpec.Expression.of("gt", measure("none"), number(1)),
                AggregateSpec.Expression.of("gt", measure("ten"), number(1))), values)).isTrue();
        assertThat(MeasureExpressions.evaluate(AggregateSpec.Expression.of("and", AggregateSpec.Expression.of("gt", measure("none"), number(1)),
                AggregateSpec.Expression.of("lt", measure("ten"), number(1))), values)).isEqualTo(false);
    }

    private static Double result(String function, Double parameter, Object... values)
    {
        MeasureAccumulator accumulator = MeasureAccumulator.of(function, parameter);
        for (Object value : values) {
            accumulator.add(value, 0);
        }
        return accumulator.result();
    }

    private static List<Row> run(WindowAggregator aggregator, List<Row> input)
    {
        List<Row> output = new ArrayList<>();
        Iterator<Row> rows = aggregator.call(input.iterator());
        rows.forEachRemaining(output::add);
        return output;
    }
}
