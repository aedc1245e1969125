package io.dragnet.nids;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.VerdictColumns;
import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.SessionCodec;
import io.dragnet.nids.data.SessionSynthesizer;
import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.kafka.SessionReplayer;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.stream.StreamObserver;
import io.dragnet.nids.stream.StreamingEngines;
import io.dragnet.nids.stream.VerdictStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline on a real broker: runDay end to end; no loss and no duplicates across a stop and restart of the
 * streaming query; malformed records dead-lettered. One Spark session, model and broker for the class.
 */
@Tag("integration")
class TestNidsPipeline
{
    private static final int SESSIONS = 3_000;

    @RegisterExtension
    static final StreamingEngines ENGINES = new StreamingEngines(2);

    private static NidsModel model;

    @BeforeAll
    static void saveModel()
    {
        model = SmallModels.save(ENGINES.spark(), new DragnetHome(ENGINES.home()));
    }

    @Test
    void everySessionGetsExactlyOneVerdictAcrossAStopAndRestart()
            throws Exception
    {
        VerdictStream.Options options = options("restart", 400);
        List<SensorSession> sessions = SessionSynthesizer.derive(UnswLoader.load(UnswDatasets.trainingCsv()), SESSIONS, LocalDate.parse("2018-11-02"), 7)
                .stream().map(SessionSynthesizer.Derived::session).toList();
        SessionReplayer.replay(ENGINES.broker().bootstrapServers(), options.sessionsTopic(), sessions, 0);

        StreamObserver first = new StreamObserver();
        StreamingQuery query = VerdictStream.start(ENGINES.spark(), model, options, first);
        assertThat(first.awaitRecords(SESSIONS / 3, Duration.ofMinutes(2), query::isActive)).isTrue();
        NidsPipeline.stop(query);
        long beforeRestart = first.snapshot().verdicts();
        assertThat(beforeRestart).isLessThan(SESSIONS);

        StreamObserver second = new StreamObserver();
        StreamingQuery restarted = VerdictStream.start(ENGINES.spark(), model, options, second);
        restarted.processAllAvailable();
        NidsPipeline.stop(restarted);
        assertThat(beforeRestart + second.snapshot().verdicts()).isGreaterThanOrEqualTo(SESSIONS);

        Dataset<Row> parquet = ENGINES.spark().read().parquet(options.verdictsDirectory().toString());
        assertThat(parquet.count()).isEqualTo(SESSIONS);
        assertThat(parquet.select(VerdictColumns.SESSION_ID).distinct().count()).isEqualTo(SESSIONS);
        Set<String> expectedIds = new HashSet<>(sessions.stream().map(SensorSession::sessionId).toList());
        assertThat(new HashSet<>(parquet.select(VerdictColumns.SESSION_ID).as(org.apache.spark.sql.Encoders.STRING()).collectAsList())).isEqualTo(expectedIds);
        assertThat(parquet.filter(parquet.col(VerdictColumns.MODEL_VERSION).notEqual(model.version())).count()).isZero();

        // The Kafka topic is at least once: every session is there, duplicates only from a replayed batch.
        List<ConsumerRecord<String, String>> verdicts = consume(options.verdictsTopic(), SESSIONS);
        assertThat(new HashSet<>(verdicts.stream().map(ConsumerRecord::key).toList())).isEqualTo(expectedIds);
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicWithTheirReason()
            throws Exception
    {
        VerdictStream.Options options = options("dead", 10_000);
        List<SensorSession> good = SessionSynthesizer.derive(UnswLoader.load(UnswDatasets.trainingCsv()), 2, LocalDate.parse("2018-11-02"), 9)
                .stream().map(SessionSynthesizer.Derived::session).toList();
        String valid = SessionCodec.encode(good.get(0), System.currentTimeMillis());
        SessionReplayer.sendRaw(ENGINES.broker().bootstrapServers(), options.sessionsTopic(), List.of(
                "garbage",
                valid.replace(good.get(0).srcIp(), "999.1.1.1"),
                valid,
                valid.replaceFirst("," + good.get(0).dstPort() + ",", ",port,"),
                SessionCodec.encode(good.get(1), System.currentTimeMillis())));

        StreamObserver observer = new StreamObserver();
        StreamingQuery query = VerdictStream.start(ENGINES.spark(), model, options, observer);
        query.processAllAvailable();
        NidsPipeline.stop(query);

        assertThat(observer.snapshot().verdicts()).isEqualTo(2);
        assertThat(observer.snapshot().deadLetters()).isEqualTo(3);
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, String> record : consume(options.deadLetterTopic(), 3)) {
            JsonNode letter = Json.mapper().readTree(record.value());
            reasons.add(letter.get("reason").asText());
            assertThat(letter.has("raw")).isTrue();
        }
        assertThat(reasons).containsExactly(
                "expected " + SessionCodec.FIELDS + " comma-separated fields (session_id,…), found 1",
                "field src_ip: expected an IPv4 or IPv6 address, found '999.1.1.1'",
                "field dst_port: expected an integer, found 'port'");
        assertThat(ENGINES.spark().read().parquet(options.verdictsDirectory().toString()).count()).isEqualTo(2);
    }

    @Test
    void runDayScoresEverySessionOnceAndWritesTheDayPartition()
    {
        DragnetHome dragnetHome = new DragnetHome(ENGINES.home());
        LocalDate day = LocalDate.parse("2018-11-02");

        NidsDayResult result = NidsPipeline.runDay(ENGINES.spark(), dragnetHome, day, 2_000, 0, new PrintWriter(System.err, true));

        assertThat(result.sessions()).isEqualTo(2_000);
        assertThat(result.verdicts()).isEqualTo(2_000);
        assertThat(result.deadLetters()).isZero();
        assertThat(result.malicious()).isBetween(1L, 1_999L);
        assertThat(result.modelVersion()).isEqualTo(model.version());
        assertThat(result.endToEnd().count()).isEqualTo(2_000);
        assertThat(result.againstTruth().total()).isEqualTo(2_000);
        assertThat(result.againstTruth().truePositives() + result.againstTruth().falsePositives()).isEqualTo(result.malicious());
        assertThat(result.verdictsDirectory()).isEqualTo(dragnetHome.lake().resolve("nids_verdicts/dt=2018-11-02"));

        Dataset<Row> written = ENGINES.spark().read().parquet(dragnetHome.lake().resolve("nids_verdicts").toString());
        String[] expected = Stream.concat(VerdictColumns.SCHEMA.stream().map(field -> field.name()), Stream.of(VerdictColumns.DT)).toArray(String[]::new);
        assertThat(written.columns()).containsExactlyInAnyOrder(expected);
        assertThat(written.count()).isEqualTo(2_000);
        assertThat(written.select(VerdictColumns.SESSION_ID).distinct().count()).isEqualTo(2_000);
        assertThat(written.filter(written.col(VerdictColumns.DT).cast("string").notEqual("2018-11-02")).count()).isZero();
                
        // A second run of the same day replaces the partition instead of adding to it.
        NidsDayResult again = NidsPipeline.runDay(ENGINES.spark(), dragnetHome, day, 500, 0, new PrintWriter(System.err, true));
        assertThat(again.verdicts()).isEqualTo(500);
        assertThat(ENGINES.spark().read().parquet(dragnetHome.lake().resolve("nids_verdicts").toString()).count()).isEqualTo(500);
    }

    private static VerdictStream.Options options(String name, long maxOffsetsPerTrigger)
    {
        String sessions = "sessions-" + name;
        ENGINES.broker().topics().ensure(sessions, 1);
        return new VerdictStream.Options(ENGINES.broker().bootstrapServers(), sessions, "verdicts-" + name, "dead-letters-" + name,
                ENGINES.home().resolve("lake-" + name).resolve(NidsPipeline.VERDICTS_SOURCE), ENGINES.home().resolve("checkpoint-" + name),
                ENGINES.broker().topics().startingOffsets(sessions), maxOffsetsPerTrigger, Map.of());
    }

    private static List<ConsumerRecord<String, String>> consume(String topic, int atLeast)
    {
        List<ConsumerRecord<String, String>> records = ENGINES.consume(topic);
        assertThat(records.size()).isGreaterThanOrEqualTo(atLeast);
        return records;
    }
}
