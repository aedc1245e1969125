package io.dragnet.nids.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.VerdictColumns;
import io.dragnet.nids.NidsPipeline;
import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.SessionCodec;
import io.dragnet.nids.data.SessionSynthesizer;
import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.features.WindowHistory;
import io.dragnet.nids.kafka.AppendedRecords;
import io.dragnet.nids.kafka.KafkaTopics;
import io.dragnet.nids.kafka.SessionReplayer;
import io.dragnet.nids.kafka.VerdictTopicListener;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.model.StumpModel;
import io.dragnet.nids.stream.internal.PartitionScorer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The low-latency stream on a real broker with two session partitions, with either writer of the lake: every session
 * reaches the lake exactly once across a stop and restart of the scoring query, with the verdict an unbroken run would
 * give; malformed records are dead-lettered.
 */
@Tag("integration")
class TestLowLatencyPipeline
{
    private static final int SESSIONS = 3_000;
    private static final int PARTITIONS = 2;

    @RegisterExtension
    static final StreamingEngines ENGINES = new StreamingEngines(PARTITIONS + 2);

    private static NidsModel model;

    @BeforeAll
    static void buildModel()
    {
        model = StumpModel.onSourceConnections("v-stump");
    }

    @ParameterizedTest
    @EnumSource(LowLatencyVerdictStream.LakeMode.class)
    void everySessionReachesTheLakeOnceAcrossARestartOfScoringWithTheVerdictOfAnUnbrokenRun(LowLatencyVerdictStream.LakeMode lakeMode)
            throws Exception
    {
        LowLatencyVerdictStream.Options options = options("restart-" + lakeMode.name().toLowerCase(java.util.Locale.ROOT), lakeMode);
        VerdictStream.Options stream = options.stream();
        List<SensorSession> sessions = sessions(SESSIONS, 7);
        StreamObserver lake = new StreamObserver();
        LowLatencyVerdictStream.Queries queries = LowLatencyVerdictStream.start(ENGINES.spark(), model, options, lake);
        try {
            SessionReplayer.replay(ENGINES.broker().bootstrapServers(), stream.sessionsTopic(), sessions.subList(0, SESSIONS / 2), 0);
            assertThat(lake.awaitRecords(SESSIONS / 4, Duration.ofMinutes(2), queries::isActive)).isTrue();
            NidsPipeline.stop(queries.scoring());

            SessionReplayer.replay(ENGINES.broker().bootstrapServers(), stream.sessionsTopic(), sessions.subList(SESSIONS / 2, SESSIONS), 0);
            LowLatencyVerdictStream.Queries restarted = new LowLatencyVerdictStream.Queries(LowLatencyVerdictStream.startScoring(ENGINES.spark(), model, options), queries.lake());
            assertThat(lake.awaitRecords(SESSIONS, Duration.ofMinutes(2), restarted::isActive)).isTrue();
            queries = restarted;
        }
        finally {
            queries.stop();
        }

        Dataset<Row> parquet = ENGINES.spark().read().parquet(stream.verdictsDirectory().toString());
        assertThat(parquet.count()).isEqualTo(SESSIONS);
        Set<String> expectedIds = new HashSet<>(sessions.stream().map(SensorSession::sessionId).toList());
        assertThat(new HashSet<>(parquet.select(VerdictColumns.SESSION_ID).as(org.apache.spark.sql.Encoders.STRING()).collectAsList())).isEqualTo(expectedIds);
        assertThat(parquet.select(VerdictColumns.DT).distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactly("2018-11-02");
        Map<String, SensorSession> byId = sessions.stream().collect(java.util.stream.Collectors.toMap(SensorSession::sessionId, session -> session));
        for (Row row : parquet.select(VerdictColumns.SESSION_ID, VerdictColumns.START_TIME, VerdictColumns.END_TIME, VerdictColumns.SRC_IP, VerdictColumns.DST_PORT)
                .collectAsList()) {
            SensorSession session = byId.get(row.getString(0));
            assertThat(row.getTimestamp(1).getTime()).as("start of %s", session.sessionId()).isEqualTo(session.startMs());
            assertThat(row.getTimestamp(2).getTime()).as("end of %s", session.sessionId()).isEqualTo(session.endMs());
            assertThat(row.getString(3)).isEqualTo(session.srcIp());
            assertThat(row.getLong(4)).isEqualTo(session.dstPort());
        }

        // Each session's verdict is what one scorer per partition, never restarted, gives over the topic in offset order.
        Map<String, Double> unbroken = unbrokenScores(stream.sessionsTopic());
        assertThat(unbroken).hasSize(SESSIONS);
        long malicious = 0;
        for (Row row : parquet.select(VerdictColumns.SESSION_ID, VerdictColumns.SCORE, VerdictColumns.PREDICTED_MALICIOUS).collectAsList()) {
            assertThat(row.getDouble(1)).as("score of %s", row.getString(0)).isEqualTo(unbroken.get(row.getString(0)));
            malicious += row.getBoolean(2) ? 1 : 0;
        }
        assertThat(malicious).isBetween(1L, SESSIONS - 1L);
        assertThat(lake.snapshot().verdicts()).isEqualTo(SESSIONS);
    }

    @ParameterizedTest
    @EnumSource(LowLatencyVerdictStream.LakeMode.class)
    void malformedRecordsGoToTheDeadLetterTopicWithTheirReasonAndNeverStopTheStream(LowLatencyVerdictStream.LakeMode lakeMode)
            throws Exception
    {
        LowLatencyVerdictStream.Options options = options("dead-" + lakeMode.name().toLowerCase(java.util.Locale.ROOT), lakeMode);
        VerdictStream.Options stream = options.stream();
        List<SensorSession> good = sessions(2, 9);
        String valid = SessionCodec.encode(good.get(0), System.currentTimeMillis());
        StreamObserver lake = new StreamObserver();
        LowLatencyVerdictStream.Queries queries = LowLatencyVerdictStream.start(ENGINES.spark(), model, options, lake);
        try {
            SessionReplayer.sendRaw(ENGINES.broker().bootstrapServers(), stream.sessionsTopic(), List.of(
                    "garbage",
                    valid.replace(good.get(0).srcIp(), "999.1.1.1"),
                    valid,
                    SessionCodec.encode(good.get(1), System.currentTimeMillis())));
            assertThat(lake.awaitRecords(4, Duration.ofMinutes(2), queries::isActive)).isTrue();
        }
        finally {
            queries.stop();
        }

        assertThat(lake.snapshot().verdicts()).isEqualTo(2);
        assertThat(lake.snapshot().deadLetters()).isEqualTo(2);
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, String> record : ENGINES.consume(stream.deadLetterTopic())) {
            JsonNode letter = Json.mapper().readTree(record.value());
            reasons.add(letter.get("reason").asText());
            assertThat(letter.get("raw").asText()).isNotEmpty();
        }
        assertThat(reasons).containsExactlyInAnyOrder(
                "expected " + SessionCodec.FIELDS + " comma-separated fields (session_id,…), found 1",
                "field src_ip: expected an IPv4 or IPv6 address, found '999.1.1.1'");
        assertThat(ENGINES.spark().read().parquet(stream.verdictsDirectory().toString()).count()).isEqualTo(2);
    }

    @Test
    void verdictsTheScorerReSendsReachTheLakeOnce()
            throws Exception
    {
        LowLatencyVerdictStream.Options options = options("resent", LowLatencyVerdictStream.LakeMode.TOPIC);
        VerdictStream.Options stream = options.stream();
        List<SensorSession> sessions = sessions(15, 11);
        PartitionScorer scorer = new PartitionScorer(model, WindowHistory.NONE, System::currentTimeMillis);
        List<String> verdicts = new ArrayList<>();
        for (int offset = 0; offset < sessions.size(); offset++) {
            verdicts.add(scorer.score(0, offset, SessionCodec.encode(sessions.get(offset), System.currentTimeMillis()), System.currentTimeMillis()).json());
        }
        StreamObserver lake = new StreamObserver();
        org.apache.spark.sql.streaming.StreamingQuery query = LowLatencyVerdictStream.startLakeQuery(ENGINES.spark(), options, lake);
        try {
            SessionReplayer.sendRaw(ENGINES.broker().bootstrapServers(), stream.verdictsTopic(), verdicts.subList(0, 10));
            assertThat(lake.awaitRecords(10, Duration.ofMinutes(1), query::isActive)).isTrue();
            // a restarted scorer re-sends from its last epoch: offsets 5…9 again, then the new 10…14, and 12 twice
            List<String> resent = new ArrayList<>(verdicts.subList(5, 15));
            resent.add(verdicts.get(12));
            SessionReplayer.sendRaw(ENGINES.broker().bootstrapServers(), stream.verdictsTopic(), resent);
            assertThat(lake.awaitRecords(15, Duration.ofMinutes(1), query::isActive)).isTrue();
            query.processAllAvailable();
        }
        finally {
            NidsPipeline.stop(query);
        }

        Dataset<Row> parquet = ENGINES.spark().read().parquet(stream.verdictsDirectory().toString());
        assertThat(parquet.count()).isEqualTo(15);
        assertThat(parquet.select(VerdictColumns.SESSION_ID).distinct().count()).isEqualTo(15);
        assertThat(lake.snapshot().verdicts()).isEqualTo(15);
    }

    @Test
    void topicsAreCreatedOrGrownToThePartitionsTheStreamNeeds()
    {
        KafkaTopics topics = ENGINES.broker().topics();
        topics.ensure("grown", 1);
        assertThat(topics.endOffsets("grown")).containsOnlyKeys(0);

        topics.ensure("grown", 3);
        topics.ensure("grown", 2);

        assertThat(topics.endOffsets("grown")).containsOnlyKeys(0, 1, 2);
        assertThat(topics.startingOffsets("grown")).isEqualTo("{\"grown\":{\"0\":0,\"1\":0,\"2\":0}}");
    }

    @Test
    void benchTopicsAreDeletedByPrefixAndNothingElse()
    {
        KafkaTopics topics = ENGINES.broker().topics();
        for (String topic : List.of("bench-run1-sessions", "bench-run1-verdicts", "bench-run2-sessions")) {
            topics.ensure(topic, 1);
        }

        assertThat(topics.deleteWithPrefix("bench-run1-")).containsExactly("bench-run1-sessions", "bench-run1-verdicts");
        assertThat(topics.endOffsets("bench-run2-sessions")).containsOnlyKeys(0);
        assertThatThrownBy(() -> topics.deleteWithPrefix("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePassthroughBaselineSendsEverySessionsStampsToTheVerdictsTopicAndWritesNoLakeAndAHeldListenerReadsThemLater()
            throws InterruptedException
    {
        VerdictStream.Options stream = options("passthrough", LowLatencyVerdictStream.LakeMode.SCORER).stream();
        StreamObserver observer = new StreamObserver();
        List<SensorSession> sessions = sessions(SESSIONS, 11);
        org.apache.spark.sql.streaming.StreamingQuery query = LowLatencyVerdictStream.startPassthrough(ENGINES.spark(), stream, Duration.ofMillis(500));
        Map<TopicPartition, Long> from = VerdictTopicListener.endsOf(ENGINES.broker().topics(), stream.verdictsTopic(), stream.deadLetterTopic());
        try (VerdictTopicListener listener = new VerdictTopicListener(ENGINES.broker().bootstrapServers(), stream.verdictsTopic(), stream.deadLetterTopic(), from, observer);
                AppendedRecords appended = new AppendedRecords(ENGINES.broker().bootstrapServers(), from)) {
            SessionReplayer.replay(ENGINES.broker().bootstrapServers(), stream.sessionsTopic(), sessions.subList(0, SESSIONS / 2), 0);
            assertThat(observer.awaitRecords(SESSIONS / 2, Duration.ofMinutes(2), query::isActive)).isTrue();

            listener.hold();
            SessionReplayer.replay(ENGINES.broker().bootstrapServers(), stream.sessionsTopic(), sessions.subList(SESSIONS / 2, SESSIONS), 0);
            appended.await(SESSIONS, Duration.ofMinutes(2), query::isActive);
            assertThat(appended.count()).isEqualTo(SESSIONS);
            assertThat(observer.snapshot().verdicts()).as("read while held").isEqualTo(SESSIONS / 2);

            listener.release();
            assertThat(observer.awaitRecords(SESSIONS, Duration.ofMinutes(2), query::isActive)).isTrue();
        }
        finally {
            NidsPipeline.stop(query);
        }
        assertThat(observer.snapshot().verdicts()).isEqualTo(SESSIONS);
        assertThat(observer.snapshot().latencies().get("end_to_end").count()).isEqualTo(SESSIONS);
        assertThat(stream.verdictsDirectory()).doesNotExist();
    }

    private static List<SensorSession> sessions(int count, long seed)
    {
        return SessionSynthesizer.derive(UnswLoader.load(UnswDatasets.trainingCsv()), count, LocalDate.parse("2018-11-02"), seed).stream()
                .map(SessionSynthesizer.Derived::session)
                .toList();
    }

    private static Map<String, Double> unbrokenScores(String topic)
            throws Exception
    {
        Map<Integer, List<ConsumerRecord<String, String>>> byPartition = new HashMap<>();
        for (ConsumerRecord<String, String> record : ENGINES.consume(topic)) {
            byPartition.computeIfAbsent(record.partition(), ignored -> new ArrayList<>()).add(record);
        }
        Map<String, Double> scores = new HashMap<>();
        for (List<ConsumerRecord<String, String>> records : byPartition.values()) {
            PartitionScorer scorer = new PartitionScorer(model, WindowHistory.NONE, System::currentTimeMillis);
            for (ConsumerRecord<String, String> record : records) {
                PartitionScorer.Scored scored = scorer.score(record.partition(), record.offset(), record.value(), record.timestamp());
                scores.put(scored.key(), Json.mapper().readTree(scored.json()).get(VerdictColumns.SCORE).asDouble());
            }
        }
        return scores;
    }

    private static LowLatencyVerdictStream.Options options(String name, LowLatencyVerdictStream.LakeMode lakeMode)
    {
        VerdictStream.Options stream = new VerdictStream.Options(ENGINES.broker().bootstrapServers(), "sessions-" + name, "verdicts-" + name, "dead-letters-" + name,
                ENGINES.home().resolve("lake-" + name).resolve(NidsPipeline.VERDICTS_SOURCE), ENGINES.home().resolve("checkpoint-" + name), "earliest", 100_000, Map.of());
        for (String topic : List.of(stream.sessionsTopic(), stream.verdictsTopic(), stream.deadLetterTopic())) {
            ENGINES.broker().topics().ensure(topic, PARTITIONS);
        }
        return new LowLatencyVerdictStream.Options(stream, lakeMode, "earliest", Duration.ofMillis(500), Duration.ofMillis(500));
    }
}
