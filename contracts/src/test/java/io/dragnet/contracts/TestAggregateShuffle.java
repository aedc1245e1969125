package io.dragnet.contracts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which groupings share a shuffle, by what they are partitioned, and the time bucket no window of a shuffle crosses. */
public class TestAggregateShuffle
{
    private static AggregateSpec grouping(long window, long slide, String... fields)
    {
        return new AggregateSpec(List.of(fields), window, slide, List.of(new AggregateSpec.MeasureSpec("n", "count", null, null, null, null, false)),
                AggregateSpec.Expression.of("gt", AggregateSpec.Expression.measure("n"), AggregateSpec.Expression.number(1)), 0, null, 0);
    }

    @Test
    public void groupingsThatShareTheMostCommonFieldShareOneShuffle()
    {
        AggregateSpec horizontal = grouping(3600, 3600, "source.ip", "destination.port");
        AggregateSpec vertical = grouping(3600, 3600, "source.ip", "destination.ip");
        AggregateSpec perSource = grouping(3600, 3600, "source.ip");
        AggregateSpec perSourceLong = grouping(21_600, 21_600, "source.ip");
        AggregateSpec perPort = grouping(600, 600, "destination.port");
        List<AggregateShuffle> shuffles = AggregateShuffle.plan(List.of(horizontal, vertical, horizontal, perSource, perSourceLong, perPort));
        assertThat(shuffles).containsExactly(
                new AggregateShuffle(List.of("source.ip"), 21_600,
                        List.of(horizontal.groupingKey(), vertical.groupingKey(), perSource.groupingKey(), perSourceLong.groupingKey())),
                new AggregateShuffle(List.of("destination.port"), 600, List.of(perPort.groupingKey())));
    }

    @Test
    public void partitionsByEveryFieldTheGroupingsShare()
    {
        AggregateSpec a = grouping(3600, 3600, "source.ip", "destination.port", "network.transport");
        AggregateSpec b = grouping(600, 600, "destination.port", "source.ip");
        assertThat(AggregateShuffle.plan(List.of(a, b))).containsExactly(new AggregateShuffle(List.of("source.ip", "destination.port"), 3600,
                List.of(a.groupingKey(), b.groupingKey())));
    }

    @Test
    public void slidingWindowsAndBucketsLongerThanADayHaveNoTimeBucket()
    {
        assertThat(AggregateShuffle.plan(List.of(grouping(3600, 600, "source.ip"))).get(0).bucketSeconds()).isZero();
        // 7 h and 5 h windows: their common multiple, 35 h, is longer than a day
        assertThat(AggregateShuffle.plan(List.of(grouping(25_200, 25_200, "source.ip"), grouping(18_000, 18_000, "source.ip"))).get(0).bucketSeconds()).isZero();
    }
}
