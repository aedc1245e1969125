package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.AggregateSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.dragnet.contracts.AggregateSpec.Expression.measure;
import static io.dragnet.contracts.AggregateSpec.Expression.number;
import static io.dragnet.sparkjobs.internal.InternalRows.internal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The streaming per-window aggregation over sorted rows, and the measures and expressions it evaluates, without Spark. */
public class TestWindowAggregator
{
    private static final int TIME_BITS = WindowAggregator.timeBits(7200);

    /** The sort key of a record: the partition value's hash above the time's microseconds (the day starts at 0 here). */
    private static long sortKey(long hash, double epoch)
    {
        return hash << TIME_BITS | (long) (epoch * 1_000_000);
    }

    // input layout: sort key, epoch, event id, rule flag, udp flag, destination, bytes, source (the partition field), history figure
    private static final StructType INPUT = new StructType().add("key", DataTypes.LongType).add("epoch", DataTypes.DoubleType).add("id", DataTypes.StringType)
            .add("matched", DataTypes.BooleanType).add("udp", DataTypes.BooleanType).add("destination", DataTypes.StringType).add("bytes", DataTypes.LongType)
            .add("source", DataTypes.StringType).add("history", DataTypes.DoubleType);

    private static InternalRow row(String source, double epoch, String id, boolean matched, boolean udp, String destination, long bytes)
    {
        return internal(sortKey(source.hashCode() & 0xffff, epoch), epoch, id, matched, udp, destination, bytes, source);
    }

    /** A row that also carries its group's figure over earlier days (column 8). */
    private static InternalRow row(String source, double epoch, String id, boolean matched, boolean udp, String destination, long bytes, Double history)
    {
        return internal(sortKey(source.hashCode() & 0xffff, epoch), epoch, id, matched, udp, destination, bytes, source, history);
    }

    private static final WindowAggregator.RulePlan SCAN = new WindowAggregator.RulePlan(3, List.of(
            new WindowAggregator.MeasurePlan("hosts", "count_distinct", 5, 3, null, null, false),
            new WindowAggregator.MeasurePlan("_udp", "count", -1, 4, null, null, true),
            new WindowAggregator.MeasurePlan("n", "count", -1, 3, null, null, false),
            new WindowAggregator.MeasurePlan("share", "expression", -1, -1, null, AggregateSpec.Expression.of("divide", measure("_udp"), measure("n")), false),
            new WindowAggregator.MeasurePlan("bytes", "sum", 6, 3, null, null, false)),
            AggregateSpec.Expression.of("gte", measure("hosts"), number(2)), 2, List.of(), false);

    /** A rule counting its records (flag column 3) as n, a hit when n >= least. */
    private static WindowAggregator.RulePlan countAtLeast(double least, int samples, boolean readsPreviousDay)
    {
        return new WindowAggregator.RulePlan(3, List.of(new WindowAggregator.MeasurePlan("n", "count", -1, 3, null, null, false)),
                AggregateSpec.Expression.of("gte", measure("n"), number(least)), samples, List.of(), readsPreviousDay);
    }

    /** Per source, hourly windows. */
    private static WindowAggregator bySource(WindowAggregator.RulePlan... rules)
    {
        return new WindowAggregator(TIME_BITS, 1, 0, INPUT, List.of(new WindowAggregator.GroupingPlan(new int[] {7}, new int[] {0}, 3600, 3600, List.of(rules))));
    }

    // output layout: grouping, source, window start, rule, measures, samples, hit, recorded
    @Test
    public void emitsOneRowPerWindowWhoseHavingHoldsWithVisibleMeasuresAndSmallestSamples()
    {
        List<InternalRow> input = List.of(
                row("10.0.0.1", 1, "C9", true, true, "a", 10),
                row("10.0.0.1", 2, "C3", true, false, "b", 20),
                row("10.0.0.1", 3, "C5", true, false, "b", 30),
                row("10.0.0.1", 4, "C1", false, false, "z", 1000),
                row("10.0.0.1", 3601, "C7", true, false, "a", 5),
                row("10.0.0.2", 3602, "C8", true, true, "a", 5),
                row("10.0.0.2", 3603, "C2", true, true, "c", 5));
        List<Row> output = run(bySource(SCAN), input);
        assertThat(output).hasSize(2);
        assertThat(output.get(0).getInt(0)).isEqualTo(0);
        assertThat(output.get(0).getString(1)).isEqualTo("10.0.0.1");
        assertThat(output.get(0).getLong(2)).isEqualTo(0);
        assertThat(output.get(0).getInt(3)).isEqualTo(0);
        assertThat(output.get(0).getString(4)).isEqualTo("{\"hosts\":2.0,\"n\":3.0,\"share\":0.3333333333333333,\"bytes\":60.0}");
        assertThat(scala.collection.JavaConverters.seqAsJavaList(output.get(0).<String>getSeq(5))).containsExactly("C3", "C5");
        assertThat(output.get(1).getString(1)).isEqualTo("10.0.0.2");
        assertThat(output.get(1).getLong(2)).isEqualTo(3600);
        assertThat(output.get(1).getString(4)).isEqualTo("{\"hosts\":2.0,\"n\":2.0,\"share\":1.0,\"bytes\":10.0}");
    }

    @Test
    public void havingOverCountsHoldsAsComputedWhateverTheRecordsAWindowNeeds()
    {
        List<WindowAggregator.MeasurePlan> counts = List.of(
                new WindowAggregator.MeasurePlan("n", "count", -1, 3, null, null, false),
                new WindowAggregator.MeasurePlan("d", "count_distinct", 5, 3, null, null, false));
        // n >= 3 or 1 < d: two distinct destinations are enough
        WindowAggregator.RulePlan either = new WindowAggregator.RulePlan(3, counts, AggregateSpec.Expression.of("or",
                AggregateSpec.Expression.of("gte", measure("n"), number(3)), AggregateSpec.Expression.of("lt", number(1), measure("d"))), 0, List.of(), false);
        // n > 2.5 and d >= 1: three records are needed
        WindowAggregator.RulePlan both = new WindowAggregator.RulePlan(3, counts, AggregateSpec.Expression.of("and",
                AggregateSpec.Expression.of("gt", measure("n"), number(2.5)), AggregateSpec.Expression.of("gte", measure("d"), number(1))), 0, List.of(), false);
        List<Row> output = run(bySource(either, both), List.of(
                row("10.0.0.1", 1, "C1", true, false, "a", 1),
                row("10.0.0.1", 2, "C2", true, false, "b", 1),
                row("10.0.0.2", 3, "C3", true, false, "a", 1),
                row("10.0.0.2", 4, "C4", true, false, "a", 1),
                row("10.0.0.2", 5, "C5", true, false, "a", 1),
                row("10.0.0.3", 6, "C6", true, false, "a", 1),
                row("10.0.0.3", 7, "C7", false, false, "b", 1)));
        assertThat(output).extracting(out -> out.getString(1), out -> out.getInt(3), out -> out.getString(4)).containsExactly(
                org.assertj.core.groups.Tuple.tuple("10.0.0.1", 0, "{\"n\":2.0,\"d\":2.0}"),
                org.assertj.core.groups.Tuple.tuple("10.0.0.2", 0, "{\"n\":3.0,\"d\":1.0}"),
                org.assertj.core.groups.Tuple.tuple("10.0.0.2", 1, "{\"n\":3.0,\"d\":1.0}"));
    }

    @Test
    public void windowsWithoutAMatchedRecordAreNotHitsEvenWhenHavingWouldHold()
    {
        WindowAggregator.RulePlan always = countAtLeast(0, 1, false);
        List<Row> output = run(bySource(always), List.of(row("10.0.0.1", 1, "C1", false, false, "a", 1)));
        assertThat(output).isEmpty();
    }

    @Test
    public void conditionsCanBeBitsOfALongColumn()
    {
        // column 3 holds the flags as bits: bit 0 the rule's match, bit 2 its udp filter
        WindowAggregator.RulePlan packed = new WindowAggregator.RulePlan(WindowAggregator.bit(3, 0), List.of(
                new WindowAggregator.MeasurePlan("n", "count", -1, WindowAggregator.bit(3, 0), null, null, false),
                new WindowAggregator.MeasurePlan("udp", "count", -1, WindowAggregator.bit(3, 2), null, null, false)),
                AggregateSpec.Expression.of("gte", measure("n"), number(2)), 1, List.of(), false);
        List<Row> output = run(bySource(packed), List.of(
                internal(sortKey(1, 1), 1.0, "C1", 0b101L, false, "a", 1L, "10.0.0.1"),
                internal(sortKey(1, 2), 2.0, "C2", 0b001L, false, "a", 1L, "10.0.0.1"),
                internal(sortKey(1, 3), 3.0, "C3", 0b100L, false, "a", 1L, "10.0.0.1"),
                internal(sortKey(1, 4), 4.0, "C4", null, false, "a", 1L, "10.0.0.1")));
        assertThat(output).hasSize(1);
        assertThat(output.get(0).getString(4)).isEqualTo("{\"n\":2.0,\"udp\":1.0}");
    }

    @Test
    public void rulesWhoseMeasuresAreRecordedEmitEveryWindowMarkedHitOrNot()
    {
        WindowAggregator.RulePlan recording = new WindowAggregator.RulePlan(3, List.of(
                new WindowAggregator.MeasurePlan("bytes", "sum", 6, 3, null, null, false),
                new WindowAggregator.MeasurePlan("usual", "history_avg", 8, 3, null, null, false)),
                AggregateSpec.Expression.of("gt", measure("bytes"), AggregateSpec.Expression.of("multiply", number(10), measure("usual"))), 1, List.of("bytes"), false);
        List<Row> output = run(bySource(recording), List.of(
                row("10.0.0.1", 1, "C1", true, false, "a", 500, 40.0),
                row("10.0.0.1", 2, "C2", true, false, "a", 500, 40.0),
                row("10.0.0.2", 3, "C3", true, false, "a", 5, 40.0),
                row("10.0.0.3", 4, "C4", true, false, "a", 7, null)));
        assertThat(output).extracting(out -> out.getString(1), out -> out.getBoolean(6), out -> out.getString(7)).containsExactly(
                org.assertj.core.groups.Tuple.tuple("10.0.0.1", true, "{\"bytes\":1000.0}"),
                org.assertj.core.groups.Tuple.tuple("10.0.0.2", false, "{\"bytes\":5.0}"),
                org.assertj.core.groups.Tuple.tuple("10.0.0.3", false, "{\"bytes\":7.0}"));
        assertThat(output.get(0).getString(4)).isEqualTo("{\"bytes\":1000.0,\"usual\":40.0}");
        assertThat(scala.collection.JavaConverters.seqAsJavaList(output.get(1).<String>getSeq(5))).isEmpty();
    }

    @Test
    public void groupingsSharingThePartitionFieldAreComputedInOnePassAndWindowsCloseAsTimePasses()
    {
        WindowAggregator.RulePlan count = countAtLeast(1, 0, false);
        // per source and hour; per (source, destination) and 2 hours: destination goes to the second output slot
        WindowAggregator aggregator = new WindowAggregator(TIME_BITS, 2, 0, INPUT, List.of(
                new WindowAggregator.GroupingPlan(new int[] {7}, new int[] {0}, 3600, 3600, List.of(count)),
                new WindowAggregator.GroupingPlan(new int[] {7, 5}, new int[] {0, 1}, 7200, 7200, List.of(count))));
        Iterator<Row> rows = external(aggregator.call(List.of(
                row("10.0.0.1", 10, "C1", true, false, "a", 1),
                row("10.0.0.1", 20, "C2", true, false, "b", 1),
                row("10.0.0.1", 3700, "C3", true, false, "a", 1),
                row("10.0.0.1", 7300, "C4", true, false, "a", 1)).iterator()), 2);
        // the first hour's window is out once a record of the second hour is read, before the input ends
        assertThat(rows.hasNext()).isTrue();
        Row first = rows.next();
        assertThat(first.getInt(0)).isEqualTo(0);
        assertThat(first.getLong(3)).isEqualTo(0);
        assertThat(first.getString(5)).isEqualTo("{\"n\":2.0}");
        List<String> rest = new ArrayList<>();
        rows.forEachRemaining(row -> rest.add(row.getInt(0) + " " + row.get(1) + " " + row.get(2) + " " + row.getLong(3) + " " + row.getString(5)));
        assertThat(rest).containsExactlyInAnyOrder(
                "0 10.0.0.1 null 3600 {\"n\":1.0}",
                "0 10.0.0.1 null 7200 {\"n\":1.0}",
                "1 10.0.0.1 a 0 {\"n\":2.0}",
                "1 10.0.0.1 b 0 {\"n\":1.0}",
                "1 10.0.0.1 a 7200 {\"n\":1.0}");
    }

    @Test
    public void slidingWindowsCountRecordsBeforeTheDayOnlyForRulesThatReadThePreviousDay()
    {
        WindowAggregator.RulePlan reading = countAtLeast(1, 0, true);
        WindowAggregator.RulePlan ignoring = countAtLeast(1, 0, false);
        // the day starts at 86400; windows of 2 h sliding by 1 h; one record the evening before, one just after midnight
        WindowAggregator aggregator = new WindowAggregator(TIME_BITS, 1, 86_400, INPUT, List.of(
                new WindowAggregator.GroupingPlan(new int[] {7}, new int[] {0}, 7200, 3600, List.of(reading, ignoring))));
        List<String> output = new ArrayList<>();
        external(aggregator.call(List.of(row("10.0.0.1", 86_400 - 10, "C1", true, false, "a", 1), row("10.0.0.1", 86_400 + 10, "C2", true, false, "a", 1)).iterator()), 1)
                .forEachRemaining(row -> output.add(row.getInt(3) + " " + row.getLong(2) + " " + row.getString(4)));
        assertThat(output).containsExactlyInAnyOrder(
                "0 82800 {\"n\":2.0}",
                "0 86400 {\"n\":1.0}",
                "1 86400 {\"n\":1.0}");
    }

    @Test
    public void partitionValuesWhoseHashesCollideAreInterleavedInTimeAndStillCountedApart()
    {
        WindowAggregator.RulePlan count = countAtLeast(1, 0, false);
        List<InternalRow> input = List.of(
                internal(sortKey(5, 10), 10.0, "C1", true, false, "a", 1L, "10.0.0.1"),
                internal(sortKey(5, 20), 20.0, "C2", true, false, "a", 1L, "10.0.0.2"),
                internal(sortKey(5, 30), 30.0, "C3", true, false, "a", 1L, "10.0.0.1"),
                internal(sortKey(6, 40), 40.0, "C4", true, false, "a", 1L, "10.0.0.3"));
        List<String> output = new ArrayList<>();
        external(bySource(count).call(input.iterator()), 1).forEachRemaining(row -> output.add(row.getString(1) + " " + row.getString(4)));
        assertThat(output).containsExactlyInAnyOrder("10.0.0.1 {\"n\":2.0}", "10.0.0.2 {\"n\":1.0}", "10.0.0.3 {\"n\":1.0}");
    }

    @Test
    public void manyGroupsOfOnePartitionValueAndManyDistinctValuesAreCountedApart()
    {
        WindowAggregator.RulePlan count = countAtLeast(1, 0, false);
        WindowAggregator.RulePlan hosts = new WindowAggregator.RulePlan(3, List.of(new WindowAggregator.MeasurePlan("hosts", "count_distinct", 5, 3, null, null, false)),
                AggregateSpec.Expression.of("gte", measure("hosts"), number(1)), 0, List.of(), false);
        // per (source, destination) and per source, hourly: 20 destinations of one source, each seen 3 times, interleaved
        WindowAggregator aggregator = new WindowAggregator(TIME_BITS, 2, 0, INPUT, List.of(
                new WindowAggregator.GroupingPlan(new int[] {7, 5}, new int[] {0, 1}, 3600, 3600, List.of(count)),
                new WindowAggregator.GroupingPlan(new int[] {7}, new int[] {0}, 3600, 3600, List.of(hosts))));
        List<InternalRow> input = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            input.add(row("10.0.0.1", i, "C" + i, true, false, "192.168.0." + i % 20, 1));
        }
        List<String> output = new ArrayList<>();
        external(aggregator.call(input.iterator()), 2).forEachRemaining(row -> output.add(row.getInt(0) + " " + row.get(2) + " " + row.getString(5)));
        List<String> expected = new ArrayList<>();
        for (int d = 0; d < 20; d++) {
            expected.add("0 192.168.0." + d + " {\"n\":3.0}");
        }
        expected.add("1 null {\"hosts\":20.0}");
        assertThat(output).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    public void rulesCountingTheSameRecordsShareCountsSamplesAndMeasuresWithTheSameResults()
    {
        // the same flag (3): one with a count and its own samples, one with the same count, a sum and fewer samples, one
        // counting only udp records (flag 4), one reading the previous day; each alone must give what it gives among them
        List<WindowAggregator.RulePlan> rules = List.of(
                new WindowAggregator.RulePlan(3, List.of(new WindowAggregator.MeasurePlan("n", "count", -1, 3, null, null, false)),
                        AggregateSpec.Expression.of("gte", measure("n"), number(1)), 3, List.of(), false),
                new WindowAggregator.RulePlan(3, List.of(new WindowAggregator.MeasurePlan("n", "count", -1, 3, null, null, false),
                        new WindowAggregator.MeasurePlan("bytes", "sum", 6, 3, null, null, false),
                        new WindowAggregator.MeasurePlan("udp_bytes", "sum", 6, 4, null, null, false)),
                        AggregateSpec.Expression.of("gte", measure("n"), number(1)), 1, List.of(), false),
                new WindowAggregator.RulePlan(4, List.of(new WindowAggregator.MeasurePlan("hosts", "count_distinct", 5, 4, null, null, false)),
                        AggregateSpec.Expression.of("gte", measure("hosts"), number(1)), 2, List.of(), false),
                new WindowAggregator.RulePlan(3, List.of(new WindowAggregator.MeasurePlan("n", "count", -1, 3, null, null, false)),
                        AggregateSpec.Expression.of("gte", measure("n"), number(1)), 3, List.of(), true));
        List<InternalRow> input = List.of(
                row("10.0.0.1", 86_400 - 60, "C9", true, true, "a", 10),
                row("10.0.0.1", 86_400 + 1, "C4", true, false, "b", 20),
                row("10.0.0.1", 86_400 + 2, "C7", true, true, "c", 30),
                row("10.0.0.1", 86_400 + 3, "C1", false, true, "d", 40),
                row("10.0.0.2", 86_400 + 4, "C2", true, true, "a", 50));
        List<String> together = new ArrayList<>();
        slidingBySource(rules).call(input.iterator()).forEachRemaining(row -> together.add(described(row)));
        List<String> apart = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            int rule = r;
            slidingBySource(List.of(rules.get(r))).call(input.iterator()).forEachRemaining(row -> apart.add(described(row).replaceFirst("^0 ", rule + " ")));
        }
        assertThat(together).hasSize(10).containsExactlyInAnyOrderElementsOf(apart);
    }

    /** Per source, 2-hour windows sliding by an hour, on a day starting at 86400. */
    private static WindowAggregator slidingBySource(List<WindowAggregator.RulePlan> rules)
    {
        return new WindowAggregator(TIME_BITS, 1, 86_400, INPUT, List.of(new WindowAggregator.GroupingPlan(new int[] {7}, new int[] {0}, 7200, 3600, rules)));
    }

    /** An output row as "rule source start measures samples". */
    private static String described(InternalRow output)
    {
        Row row = InternalRows.external(output, OUTPUT_ONE_GROUP_FIELD);
        return row.getInt(3) + " " + row.getString(1) + " " + row.getLong(2) + " " + row.getString(4) + " " + row.getList(5);
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
    public void countDistinctCountsEachValueOnceBeyondTheListedOnesAndAfterAClear()
    {
        MeasureAccumulator distinct = MeasureAccumulator.factory("count_distinct", null).get();
        for (int round = 0; round < 2; round++) {
            java.util.Set<Object> expected = new java.util.HashSet<>();
            for (int i = 0; i < 40; i++) {
                long whole = (i * 7L) % 23 - 11;
                String text = "host-" + (i * 5) % 17;
                distinct.addWhole(whole, i);
                distinct.add(whole, i);
                distinct.addText(org.apache.spark.unsafe.types.UTF8String.fromString(text), i);
                expected.add(whole);
                expected.add(text);
                assertThat(distinct.result()).as("after value " + i).isEqualTo((double) expected.size());
            }
            distinct.clear();
            assertThat(distinct.result()).isEqualTo(0.0);
        }
    }

    @Test
    public void primitiveAndTextValuesGiveWhatTheirBoxedValuesGive()
    {
        long[] wholes = {7, -3, 7, 1L << 40, 0};
        double[] fractions = {2.5, -0.125, 2.5, 1e9, Double.MIN_VALUE};
        String[] texts = {"a.example", "b.example", "a.example", "ü.example"};
        for (String function : List.of("count_distinct", "sum", "min", "max", "avg", "stddev", "entropy", "history_max")) {
            Double parameter = null;
            MeasureAccumulator boxed = MeasureAccumulator.factory(function, parameter).get();
            MeasureAccumulator primitive = MeasureAccumulator.factory(function, parameter).get();
            for (long whole : wholes) {
                boxed.add(whole, 0);
                primitive.addWhole(whole, 0);
            }
            assertThat(primitive.result()).as(function + " of longs").isEqualTo(boxed.result());
            boxed = MeasureAccumulator.factory(function, parameter).get();
            primitive = MeasureAccumulator.factory(function, parameter).get();
            for (double fraction : fractions) {
                boxed.add(fraction, 0);
                primitive.addFraction(fraction, 0);
            }
            assertThat(primitive.result()).as(function + " of doubles").isEqualTo(boxed.result());
            boxed = MeasureAccumulator.factory(function, parameter).get();
            primitive = MeasureAccumulator.factory(function, parameter).get();
            byte[] buffer = new byte[64];
            for (String text : texts) {
                boxed.add(text, 0);
                // the same reused buffer for every text, as Spark's sorted rows are
                byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                System.arraycopy(bytes, 0, buffer, 0, bytes.length);
                primitive.addText(org.apache.spark.unsafe.types.UTF8String.fromBytes(buffer, 0, bytes.length), 0);
            }
            assertThat(primitive.result()).as(function + " of texts").isEqualTo(boxed.result());
        }
        MeasureAccumulator boxed = MeasureAccumulator.factory("percentile", 50.0).get();
        MeasureAccumulator primitive = MeasureAccumulator.factory("percentile", 50.0).get();
        for (long whole : wholes) {
            boxed.add(whole, 0);
            primitive.addWhole(whole, 0);
        }
        assertThat(primitive.result()).isEqualTo(boxed.result());
    }

    @Test
    public void aClearedAccumulatorGivesWhatANewOneGives()
    {
        for (String function : List.of("count", "count_distinct", "sum", "min", "max", "avg", "stddev", "percentile", "interval_cv", "entropy", "count_new",
                "history_avg", "history_max", MeasureAccumulator.NO_VALUE)) {
            Double parameter = function.equals("percentile") ? 90.0 : null;
            MeasureAccumulator reused = MeasureAccumulator.factory(function, parameter).get();
            // more distinct values than the count_distinct array holds, so the clear also forgets a hash set
            for (int i = 0; i < 20; i++) {
                reused.addWhole(i * 7L, 1000.0 + i * i);
                reused.add("text-" + i, 1000.0 + i * i);
            }
            reused.clear();
            MeasureAccumulator fresh = MeasureAccumulator.factory(function, parameter).get();
            assertThat(reused.result()).as(function + " cleared, nothing added").isEqualTo(fresh.result());
            double[] values = {4.0, 1.5, 4.0, 9.25};
            for (int i = 0; i < values.length; i++) {
                reused.addFraction(values[i], 2000.0 + 60 * i + i);
                fresh.addFraction(values[i], 2000.0 + 60 * i + i);
            }
            assertThat(reused.result()).as(function + " cleared, then added to").isEqualTo(fresh.result());
        }
    }

    @Test
    public void expressionsUseThreeValuedLogic()
    {
        Map<String, Double> values = new java.util.HashMap<>();
        values.put("zero", 0.0);
        values.put("none", null);
        values.put("ten", 10.0);
        assertThat(evaluate(AggregateSpec.Expression.of("divide", measure("ten"), measure("zero")), values)).isNull();
        assertThat(holds(AggregateSpec.Expression.of("gt", measure("none"), number(1)), values)).isFalse();
        assertThat(holds(AggregateSpec.Expression.of("not", AggregateSpec.Expression.of("gt", measure("none"), number(1))), values)).isFalse();
        assertThat(holds(AggregateSpec.Expression.of("or", AggregateSpec.Expression.of("gt", measure("none"), number(1)),
                AggregateSpec.Expression.of("gt", measure("ten"), number(1))), values)).isTrue();
        assertThat(evaluate(AggregateSpec.Expression.of("and", AggregateSpec.Expression.of("gt", measure("none"), number(1)),
                AggregateSpec.Expression.of("lt", measure("ten"), number(1))), values)).isEqualTo(false);
    }

    /** The expression compiled against the measures' names, evaluated over their values. */
    private static Object evaluate(AggregateSpec.Expression expression, Map<String, Double> measures)
    {
        List<String> names = List.copyOf(measures.keySet());
        return MeasureExpressions.compile(expression, names).evaluate(m -> measures.get(names.get(m)));
    }

    private static boolean holds(AggregateSpec.Expression expression, Map<String, Double> measures)
    {
        return MeasureExpressions.isTrue(evaluate(expression, measures));
    }

    private static Double result(String function, Double parameter, Object... values)
    {
        MeasureAccumulator accumulator = MeasureAccumulator.factory(function, parameter).get();
        for (Object value : values) {
            accumulator.add(value, 0);
        }
        return accumulator.result();
    }

    /** Runs a one-group-field aggregator over the rows. */
    private static List<Row> run(WindowAggregator aggregator, List<InternalRow> input)
    {
        List<Row> output = new ArrayList<>();
        external(aggregator.call(input.iterator()), 1).forEachRemaining(output::add);
        return output;
    }

    private static final StructType OUTPUT_ONE_GROUP_FIELD = output(1);

    /** The output columns of an aggregator with text group fields. */
    private static StructType output(int groupFields)
    {
        StructType schema = new StructType().add("grouping", DataTypes.IntegerType);
        for (int k = 0; k < groupFields; k++) {
            schema = schema.add("group" + k, DataTypes.StringType);
        }
        return schema.add("start", DataTypes.LongType).add("rule", DataTypes.IntegerType).add("measures", DataTypes.StringType)
                .add("samples", DataTypes.createArrayType(DataTypes.StringType)).add("hit", DataTypes.BooleanType).add("recorded", DataTypes.StringType);
    }

    /** The aggregator's output rows as {@link Row}s, as they come. */
    private static Iterator<Row> external(Iterator<InternalRow> output, int groupFields)
    {
        StructType outputSchema = output(groupFields);
        return new Iterator<>()
        {
            @Override
            public boolean hasNext()
            {
                return output.hasNext();
            }

            @Override
            public Row next()
            {
                return InternalRows.external(output.next(), outputSchema);
            }
        };
    }
}
