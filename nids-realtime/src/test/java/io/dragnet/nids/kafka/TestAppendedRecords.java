package io.dragnet.nids.kafka;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestAppendedRecords
{
    private static final TopicPartition VERDICTS_0 = new TopicPartition("verdicts", 0);
    private static final TopicPartition VERDICTS_1 = new TopicPartition("verdicts", 1);
    private static final TopicPartition DEAD_0 = new TopicPartition("dead-letters", 0);

    @Test
    void countsWhatEachPartitionGainedSinceItsStart()
    {
        Map<TopicPartition, Long> from = Map.of(VERDICTS_0, 100L, VERDICTS_1, 0L, DEAD_0, 7L);
        assertThat(AppendedRecords.appendedSince(from, Map.of(VERDICTS_0, 150L, VERDICTS_1, 20L, DEAD_0, 9L))).isEqualTo(72);
        assertThat(AppendedRecords.appendedSince(from, from)).isZero();
    }

    @Test
    void aPartitionWithoutAnEndOrBehindItsStartCountsNone()
    {
        Map<TopicPartition, Long> from = Map.of(VERDICTS_0, 100L, VERDICTS_1, 50L);
        assertThat(AppendedRecords.appendedSince(from, Map.of(VERDICTS_0, 90L))).isZero();
        assertThat(AppendedRecords.appendedSince(from, Map.of(VERDICTS_1, 51L, DEAD_0, 1_000L))).isEqualTo(1);
    }
}
