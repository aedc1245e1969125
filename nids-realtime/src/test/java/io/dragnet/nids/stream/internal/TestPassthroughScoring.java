package io.dragnet.nids.stream.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.VerdictColumns;
import io.dragnet.nids.kafka.VerdictTopicListener;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestPassthroughScoring
{
    @Test
    void turnsEachSessionIntoTheStampsTheListenerReadsAndDeadLettersTheRest()
            throws Exception
    {
        List<String> lines = TestPartitionScorer.lines(2);
        PassthroughScoring passthrough = new PassthroughScoring("verdicts", "dead-letters", () -> 5_000L);
        List<Row> input = List.of(
                RowFactory.create(lines.get(0).getBytes(StandardCharsets.UTF_8), 3_000L, 1, 10L),
                RowFactory.create(lines.get(1).getBytes(StandardCharsets.UTF_8), 3_001L, 1, 11L),
                RowFactory.create("not a session".getBytes(StandardCharsets.UTF_8), 3_002L, 0, 12L),
                RowFactory.create(null, 3_003L, 0, 13L));

        List<Row> output = new ArrayList<>();
        passthrough.call(input.iterator()).forEachRemaining(output::add);

        assertThat(output).extracting(row -> row.getString(0)).containsExactly("verdicts", "verdicts", "dead-letters", "dead-letters");
        assertThat(output).extracting(row -> row.getInt(1)).containsExactly(1, 1, 0, 0);
        String verdict = new String((byte[]) output.get(1).get(3), StandardCharsets.UTF_8);
        // the replayer's lines carry send time 1: [sink (filled in by the listener), sent, broker, features, scored, malicious]
        assertThat(VerdictTopicListener.stamps(verdict)).containsExactly(0, 1, 3_001, 5_000, 5_000, 0);
        JsonNode json = Json.mapper().readTree(verdict);
        assertThat(json.get(VerdictColumns.BROKER_AT).asLong()).isEqualTo(3_001);
        assertThat(json.get(VerdictColumns.PREDICTED_MALICIOUS).asBoolean(true)).isFalse();
        assertThat(new String((byte[]) output.get(2).get(3), StandardCharsets.UTF_8)).isEqualTo("not a session");
        assertThat((byte[]) output.get(3).get(3)).isEmpty();
    }
}
