package io.dragnet.nids;

import io.dragnet.contracts.DragnetHome;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

import static java.util.Objects.requireNonNull;

/**
 * The end-to-end benchmark behind {@code dragnet nids bench}: one running streaming query on the local broker, a
 * warm-up, then for each target rate a replay of {@code rate × seconds} sessions (capped) and the per-stage latency
 * percentiles and throughput of exactly those sessions. Outputs go under {@code <home>/engines/nids/bench/}, not the lake.
 */
public final class StreamBenchmark
{
    /** Sessions sent flat out before measuring: on 2 cores the JIT needs about that many to finish with the hot path. */
    public static final int DEFAULT_WARM_UP_SESSIONS = 1_000_000;

    private final SparkSession spark;
    private final DragnetHome home;
    private final PrintWriter log;
    private final int warmUpSessions;

    public StreamBenchmark(SparkSession spark, DragnetHome home, PrintWriter log, int warmUpSessions)
    {
        this.warmUpSessions = warmUpSessions;
        this.spark = requireNonNull(spark, "spark is null");
        this.home = requireNonNull(home, "home is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** A target rate: sessions per second, or 0 for flat out ("max"). */
    public record RateResult(String rate, long sessions, double producedPerSecond, double endToEndPerSecond, long batches, Map<String, LatencySummary> latencies,
            Map<String, Long> batchPhaseMillis)
    {
        public Map<String, Object> toMap()
        {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("rate", rate);
            map.put("sessions", sessions);
            map.put("produced_per_second", producedPerSecond);
            map.put("end_to_end_per_second", endToEndPerSecond);
            map.put("batches", batches);
            Map<String, Object> stages = new LinkedHashMap<>();
            latencies.forEach((stage, summary) -> stages.put(stage, summary.toMap()));
            map.put("latency", stages);
            map.put("batch_phase_millis_total", batchPhaseMillis);
            return map;
        }
    }

    /**
     * @param partitions partitions of the sessions topic (sensors); each is one scoring task in low-latency mode
     */
    public List<RateResult> run(StreamMode mode, int partitions, List<String> rates, int seconds, int maxSessions)
    {
        List<UnswRow> rows = UnswLoader.load(RepositoryPaths.trainingCsv());
        NidsModel model = NidsPipeline.modelFor(spark, home, rows, log);
        LocalKafkaBroker broker = LocalKafkaBroker.start(home);
        Path directory = home.engine("nids").resolve("bench");
        try {
            NidsModelStore.deleteRecursively(directory);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StreamObserver observer = new StreamObserver();
        List<RateResult> results = new ArrayList<>();
        if (mode == StreamMode.MICRO_BATCH) {
            NidsPipeline.createTopics(broker);
            StreamingQuery query = VerdictStream.start(spark, model, VerdictStream.Options.defaults(broker.bootstrapServers(),
                    directory.resolve("verdicts"), directory.resolve("checkpoint"), NidsPipeline.startingOffsets(broker, VerdictStream.SESSIONS_TOPIC)), observer);
            try {
                runRates(broker, VerdictStream.SESSIONS_TOPIC, query::isActive, observer, rows, rates, seconds, maxSessions, results,
                        batches -> meanDurations(query, batches).toString());
            }
            finally {
                NidsPipeline.stop(query);
            }
            return results;
        }
        String prefix = "bench-p" + partitions + "-";
        String sessionsTopic = prefix + VerdictStream.SESSIONS_TOPIC;
        String verdictsTopic = prefix + VerdictStream.VERDICTS_TOPIC;
        String deadLetterTopic = prefix + VerdictStream.DEAD_LETTER_TOPIC;
        for (String topic : List.of(sessionsTopic, verdictsTopic, deadLetterTopic)) {
            broker.createTopic(topic, partitions);
        }
        VerdictStream.Options stream = new VerdictStream.Options(broker.bootstrapServers(), sessionsTopic, verdictsTopic, deadLetterTopic,
                directory.resolve("verdicts"), directory.resolve("checkpoint"), NidsPipeline.startingOffsets(broker, sessionsTopic), 500_000, Map.of());
        String lakeOffsets = NidsPipeline.startingOffsets(broker, stream.verdictsTopic(), stream.deadLetterTopic());
        StreamObserver lake = new StreamObserver();
        LowLatencyVerdictStream.Queries queries = LowLatencyVerdictStream.start(spark, model, LowLatencyVerdictStream.Options.defaults(stream, lakeOffsets), lake);
        try (VerdictTopicListener listener = new VerdictTopicListener(broker.bootstrapServers(), stream.verdictsTopic(), stream.deadLetterTopic(),
                VerdictTopicListener.endsOf(broker, stream.verdictsTopic(), stream.deadLetterTopic()), observer)) {
            runRates(broker, stream.sessionsTopic(), queries::isActive, observer, rows, rates, seconds, maxSessions, results,
                    batches -> "lake " + lake.snapshot().verdicts() + " verdicts in " + lake.snapshot().batches() + " batches");
        }
        catch (RuntimeException e) {
            queries.rethrowFailure();
            throw e;
        }
        finally {
            queries.stop();
        }
        return results;
    }

    private void runRates(LocalKafkaBroker broker, String sessionsTopic, BooleanSupplier active, StreamObserver observer, List<UnswRow> rows,
            List<String> rates, int seconds, int maxSessions, List<RateResult> results, IntFunction<String> detail)
    {
        long seed = 1;
        log.printf("bench: warm-up, %,d sessions flat out%n", warmUpSessions);
        send(broker, sessionsTopic, active, observer, rows, warmUpSessions, 0, seed++);
        for (String rate : rates) {
            double perSecond = rate.equals("max") ? 0 : Double.parseDouble(rate);
            int sessions = perSecond == 0 ? maxSessions : (int) Math.max(5, Math.min(maxSessions, perSecond * seconds));
            observer.reset();
            log.printf("bench: rate %s, %,d sessions%n", rate, sessions);
            SessionReplayer.ReplayResult sent = send(broker, sessionsTopic, active, observer, rows, sessions, perSecond, seed++);
            StreamObserver.Snapshot snapshot = observer.snapshot();
            log.printf("bench: rate %s: %s%n", rate, detail.apply((int) snapshot.batches()));
            results.add(new RateResult(rate, snapshot.verdicts(), sent.sessionsPerSecond(), snapshot.sessionsPerSecond(), snapshot.batches(), snapshot.latencies(), snapshot.batchPhaseMillis()));
        }
    }

    private static SessionReplayer.ReplayResult send(LocalKafkaBroker broker, String topic, BooleanSupplier active, StreamObserver observer,
            List<UnswRow> rows, int sessions, double rate, long seed)
    {
        List<SensorSession> replay = SessionSynthesizer.derive(rows, sessions, LocalDate.parse("2018-11-02"), seed).stream()
                .map(SessionSynthesizer.Derived::session)
                .toList();
        SessionReplayer.ReplayResult result = SessionReplayer.replay(broker.bootstrapServers(), topic, replay, rate);
        NidsPipeline.awaitRecords(active, observer, sessions, Duration.ofSeconds(120 + sessions / 1000));
        return result;
    }

    private static Map<String, Long> meanDurations(StreamingQuery query, int batches)
    {
        org.apache.spark.sql.streaming.StreamingQueryProgress[] progress = query.recentProgress();
        Map<String, Long> sums = new TreeMap<>();
        int from = Math.max(0, progress.length - Math.max(1, batches));
        for (int i = from; i < progress.length; i++) {
            progress[i].durationMs().forEach((phase, millis) -> sums.merge(phase, millis, Long::sum));
        }
        int count = Math.max(1, progress.length - from);
        sums.replaceAll((phase, sum) -> sum / count);
        return sums;
    }

    public static String table(List<RateResult> results)
    {
        StringBuilder text = new StringBuilder();
        text.append(String.format("%-7s %9s %12s %12s  %-22s %-22s %-22s %-22s %-22s %s%n", "rate", "sessions", "produced/s", "end-to-end/s",
                "produce→broker p50/95/99", "broker→features", "features→score", "score→sink", "end to end (ms)", "batches: n, ms compute/parquet/kafka"));
        for (RateResult result : results) {
            text.append(String.format("%-7s %,9d %,12.0f %,12.0f ", result.rate(), result.sessions(), result.producedPerSecond(), result.endToEndPerSecond()));
            for (String stage : StreamObserver.STAGES) {
                LatencySummary summary = result.latencies().get(stage);
                text.append(String.format(" %-22s", String.format("%.0f/%.0f/%.0f", summary.p50(), summary.p95(), summary.p99())));
            }
            text.append(String.format(" %d, %d/%d/%d", result.batches(), result.batchPhaseMillis().get("compute"), result.batchPhaseMillis().get("parquet"),
                    result.batchPhaseMillis().get("kafka")));
            text.append('\n');
        }
        return text.toString();
    }
}
