package io.dragnet.nids.stream.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.Json;
import io.dragnet.nids.features.ConnectionWindow;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.SessionCodec;
import io.dragnet.nids.data.SessionSynthesizer;
import io.dragnet.nids.model.StumpModel;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.features.WindowHistory;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TestPartitionScorer
{
    private static final NidsModel MODEL = StumpModel.onSourceConnections("v-stump");

    @Test
    void aScorerStartedMidPartitionRebuildsTheWindowAndScoresAsAnUnbrokenOne()
            throws Exception
    {
        List<String> partition = lines(600);
        partition.set(250, "garbage");
        PartitionScorer unbroken = new PartitionScorer(MODEL, WindowHistory.NONE, () -> 5L);
        List<String> expected = new ArrayList<>();
        for (int offset = 0; offset < partition.size(); offset++) {
            expected.add(unbroken.score(3, offset, partition.get(offset), 7L).json());
        }
        WindowHistory topic = (p, from, to) -> {
            assertThat(p).isEqualTo(3);
            return partition.subList((int) from, (int) to);
        };
        PartitionScorer restarted = new PartitionScorer(MODEL, topic, () -> 5L);
        for (int offset = 420; offset < partition.size(); offset++) {
            assertThat(restarted.score(3, offset, partition.get(offset), 7L).json()).isEqualTo(expected.get(offset));
        }
        // the stump scores by ct_src_ltm: a window that started empty would differ from the unbroken one here
        PartitionScorer amnesic = new PartitionScorer(MODEL, WindowHistory.NONE, () -> 5L);
        assertThat(amnesic.score(3, 420, partition.get(420), 7L).json()).isNotEqualTo(expected.get(420));
    }

    @Test
    void aRewoundPartitionIsScoredAsTheFirstTimeAndAnUnbrokenRunReadsNoHistory()
            throws Exception
    {
        List<String> partition = lines(400);
        AtomicInteger historyReads = new AtomicInteger();
        WindowHistory topic = (p, from, to) -> {
            historyReads.incrementAndGet();
            return partition.subList((int) from, (int) to);
        };
        PartitionScorer scorer = new PartitionScorer(MODEL, topic, () -> 5L);
        List<String> first = new ArrayList<>();
        for (int offset = 0; offset < partition.size(); offset++) {
            first.add(scorer.score(2, offset, partition.get(offset), 7L).json());
        }
        assertThat(historyReads).hasValue(0);

        for (int offset = 250; offset < partition.size(); offset++) {
            assertThat(scorer.score(2, offset, partition.get(offset), 7L).json()).isEqualTo(first.get(offset));
        }
        assertThat(historyReads.get()).isPositive();
    }

    @Test
    void eachVerdictHasTheModelsOwnScoreOfItsSessionAndWindow()
            throws Exception
    {
        // the scorer reuses its buffers from record to record; the model's allocating path is the oracle
        List<String> partition = lines(300);
        PartitionScorer scorer = new PartitionScorer(MODEL, WindowHistory.NONE, () -> 5L);
        ConnectionWindow window = new ConnectionWindow();
        long malicious = 0;
        for (int offset = 0; offset < partition.size(); offset++) {
            SensorSession session = SessionCodec.decode(partition.get(offset)).session();
            NidsModel.Verdict expected = MODEL.score(session, window.observe(session));
            String text = scorer.score(0, offset, partition.get(offset), 7L).json();
            assertThat(text).as("one whole object, nothing of the verdict before it").startsWith("{\"").endsWith("}");
            JsonNode json = Json.mapper().readTree(text);
            assertThat(json.get("score").asDouble()).as("score at offset %d", offset).isEqualTo(expected.score());
            assertThat(json.get("predicted_malicious").asBoolean()).isEqualTo(expected.malicious());
            malicious += expected.malicious() ? 1 : 0;
        }
        assertThat(malicious).as("both verdicts occur").isBetween(1L, partition.size() - 1L);
    }

    @Test
    void verdictsCarryTheLakeFieldsAndTheirSourcePosition()
            throws Exception
    {
        PartitionScorer scorer = new PartitionScorer(MODEL, WindowHistory.NONE, () -> 1_541_116_800_123L);
        PartitionScorer.Scored verdict = scorer.score(1, 42, lines(1).get(0), 99L);

        assertThat(verdict.verdict()).isTrue();
        JsonNode json = Json.mapper().readTree(verdict.json());
        assertThat(json.get("session_id").asText()).isEqualTo(verdict.key());
        assertThat(json.get("dt").asText()).isEqualTo("2018-11-02");
        assertThat(json.get("start_time").asText()).startsWith("2018-11-02T").endsWith("Z");
        assertThat(json.get("broker_at_ms").asLong()).isEqualTo(99L);
        assertThat(json.get("scored_at_ms").asLong()).isEqualTo(1_541_116_800_123L);
        assertThat(json.get(PartitionScorer.SOURCE_PARTITION).asInt()).isEqualTo(1);
        assertThat(json.get(PartitionScorer.SOURCE_OFFSET).asLong()).isEqualTo(42L);
        assertThat(json.get("model_version").asText()).isEqualTo(MODEL.version());
        // the bench's listener reads the stamps by name
        long[] stamps = io.dragnet.nids.kafka.VerdictTopicListener.stamps(verdict.json());
        assertThat(stamps[1]).isEqualTo(1L);
        assertThat(stamps[2]).isEqualTo(99L);
        assertThat(stamps[4]).isEqualTo(1_541_116_800_123L);
        assertThat(stamps[5]).isEqualTo(json.get("predicted_malicious").asBoolean() ? 1 : 0);
    }

    @Test
    void malformedRecordsBecomeDeadLettersWithTheReason()
            throws Exception
    {
        PartitionScorer scorer = new PartitionScorer(MODEL, WindowHistory.NONE, () -> 0L);
        PartitionScorer.Scored dead = scorer.score(0, 7, "a,b", 3L);

        assertThat(dead.verdict()).isFalse();
        JsonNode json = Json.mapper().readTree(dead.json());
        assertThat(json.get("reason").asText()).isEqualTo("expected " + SessionCodec.FIELDS + " comma-separated fields (session_id,…), found 2");
        assertThat(json.get("raw").asText()).isEqualTo("a,b");
        assertThat(json.get(PartitionScorer.SOURCE_OFFSET).asLong()).isEqualTo(7L);
    }

    /** Derived sessions in their wire form, one partition's worth (shared with {@link TestContinuousScoring}). */
    static List<String> lines(int count)
    {
        return new ArrayList<>(SessionSynthesizer.derive(UnswLoader.load(UnswDatasets.trainingCsv()), count, LocalDate.parse("2018-11-02"), 3).stream()
                .map(derived -> SessionCodec.encode(derived.session(), 1L))
                .toList());
    }
}
