package io.dragnet.nids.stream.internal;

import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.model.StumpModel;
import io.dragnet.nids.features.WindowHistory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TestContinuousScoring
{
    private static final NidsModel MODEL = StumpModel.onSourceConnections("v-stump");

    @Test
    void laterEpochsOfATaskKeepTheWindowInsteadOfRebuildingIt()
    {
        List<String> partition = TestPartitionScorer.lines(300);
        AtomicInteger historyReads = new AtomicInteger();
        WindowHistory topic = (p, from, to) -> {
            historyReads.incrementAndGet();
            return partition.subList((int) from, (int) to);
        };
        ContinuousScoring task = new ContinuousScoring(() -> MODEL, () -> topic, "verdicts", "dead-letters");

        // a task that starts at offset 100 (a restart) rebuilds once, then runs two more epochs on the same window
        List<String> scored = new ArrayList<>();
        scored.addAll(epoch(task, partition, 100, 150));
        int readsToRebuild = historyReads.get();
        scored.addAll(epoch(task, partition, 150, 220));
        scored.addAll(epoch(task, partition, 220, 300));

        assertThat(readsToRebuild).isPositive();
        assertThat(historyReads).hasValue(readsToRebuild);
        PartitionScorer unbroken = new PartitionScorer(MODEL, WindowHistory.NONE, () -> 0L);
        for (int offset = 0; offset < partition.size(); offset++) {
            String expected = unbroken.score(4, offset, partition.get(offset), 9L).json();
            if (offset >= 100) {
                assertThat(withoutClock(scored.get(offset - 100))).isEqualTo(withoutClock(expected));
            }
        }
    }

    private static List<String> epoch(ContinuousScoring task, List<String> partition, int from, int to)
    {
        List<Row> records = new ArrayList<>();
        for (int offset = from; offset < to; offset++) {
            records.add(RowFactory.create(partition.get(offset).getBytes(StandardCharsets.UTF_8), 9L, 4, (long) offset));
        }
        List<String> values = new ArrayList<>();
        Iterator<Row> output = task.call(records.iterator());
        while (output.hasNext()) {
            Row row = output.next();
            assertThat(row.getString(0)).isEqualTo("verdicts");
            assertThat(row.getInt(1)).isEqualTo(4);
            values.add(new String((byte[]) row.get(3), StandardCharsets.UTF_8));
        }
        return values;
    }

    // the task stamps features_at/scored_at from the wall clock; everything else must be the same
    private static String withoutClock(String json)
    {
        return json.replaceAll("\"(features_at_ms|scored_at_ms)\":\\d+", "");
    }
}
