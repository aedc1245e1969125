package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.AggregateSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static io.dragnet.contracts.AggregateSpec.Expression.measure;
import static io.dragnet.contracts.AggregateSpec.Expression.number;
import static io.dragnet.sparkjobs.internal.InternalRows.external;
import static io.dragnet.sparkjobs.internal.InternalRows.internal;
import static org.assertj.core.api.Assertions.assertThat;

/** The reduce side of the scan's exchange, without Spark: written rows pass through, a shuffle's rows become its windows in the same layout. */
public class TestScanExchangeReducer
{
    private static final int TAG_SHIFT = 62;
    private static final int TIME_BITS = WindowAggregator.timeBits(3600);

    // input layout: sort key, epoch, event id, rule flag, source (the group field), the written scan row (source, kind, note)
    private static final StructType INPUT = new StructType().add("key", DataTypes.LongType).add("epoch", DataTypes.DoubleType).add("id", DataTypes.StringType)
            .add("matched", DataTypes.BooleanType).add("source", DataTypes.StringType)
            .add("written", new StructType().add("source", DataTypes.StringType).add("kind", DataTypes.StringType).add("note", DataTypes.StringType));
    // output layout: source, kind, note, then shuffle, grouping, window start, rule, measures, samples, hit, recorded
    private static final StructType OUTPUT = new StructType().add("source", DataTypes.StringType).add("kind", DataTypes.StringType).add("note", DataTypes.StringType)
            .add("shuffle", DataTypes.IntegerType).add("grouping", DataTypes.IntegerType).add("start", DataTypes.LongType).add("rule", DataTypes.IntegerType)
            .add("measures", DataTypes.StringType).add("samples", DataTypes.createArrayType(DataTypes.StringType)).add("hit", DataTypes.BooleanType)
            .add("recorded", DataTypes.StringType);

    private static InternalRow written(String source, String note)
    {
        return internal(0L, 0.0, null, null, null, internal(source, ScanColumns.RECORD, note));
    }

    private static InternalRow aggregated(long hash, String source, double epoch, String id)
    {
        return internal(1L << TAG_SHIFT | hash << TIME_BITS | (long) (epoch * 1_000_000), epoch, id, true, source, null);
    }

    @Test
    public void passesWrittenRowsThroughAndEmitsEachShufflesWindowsInTheScanLayout()
    {
        WindowAggregator.RulePlan twoOrMore = new WindowAggregator.RulePlan(3, List.of(new WindowAggregator.MeasurePlan("n", "count", -1, 3, null, null, false)),
                AggregateSpec.Expression.of("gte", measure("n"), number(2)), 1, List.of(), false);
        WindowAggregator perSource = new WindowAggregator(TIME_BITS, 1, 0, INPUT,
                List.of(new WindowAggregator.GroupingPlan(new int[] {4}, new int[] {0}, 3600, 3600, List.of(twoOrMore))));
        ScanExchangeReducer reducer = new ScanExchangeReducer(TAG_SHIFT, 5, 3, 1, List.of(perSource), List.of(new int[] {0}));

        List<Row> output = new ArrayList<>();
        Iterator<InternalRow> rows = reducer.call(List.of(
                written("10.0.0.9", "a record rule's hit"),
                aggregated(1, "10.0.0.1", 10, "C2"),
                aggregated(1, "10.0.0.1", 20, "C1"),
                aggregated(2, "10.0.0.2", 30, "C3")).iterator());
        rows.forEachRemaining(row -> output.add(external(row, OUTPUT)));

        assertThat(output).hasSize(2);
        assertThat(Arrays.asList(values(output.get(0)))).containsExactly("10.0.0.9", ScanColumns.RECORD, "a record rule's hit", null, null, null, null, null, null, null, null);
        Row window = output.get(1);
        assertThat(window.getString(0)).isEqualTo("10.0.0.1");
        assertThat(window.getString(1)).isEqualTo(AggregateStage.WINDOW);
        assertThat(window.isNullAt(2)).isTrue();
        assertThat(window.getInt(3)).isEqualTo(0);
        assertThat(window.getInt(4)).isEqualTo(0);
        assertThat(window.getLong(5)).isEqualTo(0);
        assertThat(window.getInt(6)).isEqualTo(0);
        assertThat(window.getString(7)).isEqualTo("{\"n\":2.0}");
        assertThat(scala.collection.JavaConverters.seqAsJavaList(window.<String>getSeq(8))).containsExactly("C1");
        assertThat(window.getBoolean(9)).isTrue();
        assertThat(window.isNullAt(10)).isTrue();
    }

    private static Object[] values(Row row)
    {
        Object[] values = new Object[row.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return values;
    }
}
