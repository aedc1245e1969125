package io.dragnet.nids;

import io.dragnet.contracts.DragnetException;
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
import java.util.function.LongUnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * The end-to-end benchmark behind {@code dragnet nids bench}: one running streaming query on the local broker, a
 * warm-up, then for each target rate a replay of {@code rate × seconds} sessions (capped) and the per-stage latency
 * percentiles and throughput of exactly those sessions. Outputs go under {@code <home>/engines/nids/bench/}, not the lake.
 */
public final class StreamBenchmark
{
    /** Sessions sent flat out before measuring: on 2 cores the JIT is still compiling the hot path after 1 M. */
    public static final int DEFAULT_WARM_UP_SESSIONS = 3_000_000;
    /** Every bench topic starts with this; a run deletes them all before it starts. */
    public static final String TOPIC_PREFIX = "bench-";

    /** What runs between the topics. */
    public enum Pipeline
    {
        /** The streaming job: decode, window, forest, verdict JSON and the lake. */
        NIDS,
        /**
         * The baseline: the same source, trigger, sink and listener, each session turned only into a verdict's stamps
         * ({@link io.dragnet.nids.internal.PassthroughScoring}), no lake. What the platform costs before any NIDS work.
         */
        PASSTHROUGH
    }

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

    /**
     * What one target rate ("max" = flat out) measured. {@code landedPerSecond}: the rate's sessions over the time from
     * the first send until the last verdict is committed to Parquet. In low-latency mode the lake query trails the
     * verdicts topic by its trigger, and falls behind when the scorer outruns it: this is the sustained figure for
     * the whole pipeline; null for the passthrough, which writes no lake. CPU is measured over the same span.
     */
    public record RateResult(String rate, long sessions, double producedPerSecond, double endToEndPerSecond, Double landedPerSecond, long batches,
            Map<String, LatencySummary> latencies, Map<String, Long> batchPhaseMillis, CpuMeter.Usage cpu)
    {
        public Map<String, Object> toMap()
        {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("rate", rate);
            map.put("sessions", sessions);
            map.put("produced_per_second", producedPerSecond);
            map.put("end_to_end_per_second", endToEndPerSecond);
            map.put("landed_in_parquet_per_second", landedPerSecond);
            map.put("batches", batches);
            Map<String, Object> stages = new LinkedHashMap<>();
            latencies.forEach((stage, summary) -> stages.put(stage, summary.toMap()));
            map.put("latency", stages);
            map.put("batch_phase_millis_total", batchPhaseMillis);
            map.put("cpu", cpu.perSession(sessions));
            return map;
        }
    }

    /** The passthrough replaces the low-latency scoring query: it has no micro-batch form. */
    public static void requireMode(Pipeline pipeline, StreamMode mode)
    {
        if (pipeline == Pipeline.PASSTHROUGH && mode != StreamMode.LOW_LATENCY) {
            throw DragnetException.user("the passthrough baseline runs in LOW_LATENCY mode only, got --mode " + mode);
        }
    }

    /**
     * @param partitions partitions of the sessions topic (sensors); each is one scoring task in low-latency mode
     */
    public List<RateResult> run(StreamMode mode, LowLatencyVerdictStream.LakeMode lakeMode, Pipeline pipeline, int partitions, List<String> rates, int seconds, int maxSessions)
    {
        requireMode(pipeline, mode);
        List<UnswRow> rows = UnswLoader.load(RepositoryPaths.trainingCsv());
        NidsModel model = NidsPipeline.modelFor(spark, home, rows, log);
        log.printf("bench: model %s%n", model.describe());
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
        KafkaTopics topics = broker.topics();
        // Each run on topics of its own, deleted after (and any a killed run left): runs do not see each other's data,
        // and the broker's disk does not grow from run to run.
        topics.deleteWithPrefix(TOPIC_PREFIX);
        String kind = pipeline == Pipeline.PASSTHROUGH ? "passthrough" : lakeMode.name().toLowerCase(java.util.Locale.ROOT);
        String prefix = TOPIC_PREFIX + (mode == StreamMode.MICRO_BATCH ? "mb" : "ll-" + kind + "-p" + partitions) + "-"
                + System.currentTimeMillis() + "-";
        String sessionsTopic = prefix + VerdictStream.SESSIONS_TOPIC;
        String verdictsTopic = prefix + VerdictStream.VERDICTS_TOPIC;
        String deadLetterTopic = prefix + VerdictStream.DEAD_LETTER_TOPIC;
        // the micro-batch job keeps one connection window over one sequence: one partition
        int topicPartitions = mode == StreamMode.MICRO_BATCH ? 1 : partitions;
        topics.ensureAll(List.of(sessionsTopic, verdictsTopic, deadLetterTopic), topicPartitions);
        VerdictStream.Options stream = new VerdictStream.Options(broker.bootstrapServers(), sessionsTopic, verdictsTopic, deadLetterTopic,
                directory.resolve("verdicts"), directory.resolve("checkpoint"), topics.startingOffsets(sessionsTopic), 500_000, Map.of());
        CpuMeter cpu = new CpuMeter(broker.state().pid());
        try {
            if (mode == StreamMode.MICRO_BATCH) {
                StreamingQuery query = VerdictStream.start(spark, model, stream, observer);
                try {
                    // a micro-batch commits Parquet before its verdicts reach the topic: landed when seen
                    runRates(broker, sessionsTopic, query::isActive, observer, total -> System.currentTimeMillis(), cpu, rows, rates, seconds, maxSessions, results,
                            batches -> meanDurations(query, batches).toString());
                }
                finally {
                    NidsPipeline.stop(query);
                }
                return results;
            }
            if (pipeline == Pipeline.PASSTHROUGH) {
                // the epoch of the job it is the floor of (the default, the scorer writing the lake): it has no lake, so --lake is moot
                StreamingQuery query = LowLatencyVerdictStream.startPassthrough(spark, stream, LowLatencyVerdictStream.Options.epochFor(LowLatencyVerdictStream.LakeMode.SCORER));
                try (VerdictTopicListener listener = new VerdictTopicListener(broker.bootstrapServers(), stream.verdictsTopic(), stream.deadLetterTopic(),
                        VerdictTopicListener.endsOf(topics, stream.verdictsTopic(), stream.deadLetterTopic()), observer)) {
                    runRates(broker, stream.sessionsTopic(), query::isActive, observer, null, cpu, rows, rates, seconds, maxSessions, results, batches -> "no lake");
                }
                catch (RuntimeException e) {
                    NidsPipeline.rethrowFailure(query);
                    throw e;
                }
                finally {
                    NidsPipeline.stop(query);
                }
                return results;
            }
            String lakeOffsets = topics.startingOffsets(stream.verdictsTopic(), stream.deadLetterTopic());
            StreamObserver lake = new StreamObserver();
            LowLatencyVerdictStream.Queries queries = LowLatencyVerdictStream.start(spark, model, LowLatencyVerdictStream.Options.defaults(stream, lakeMode, lakeOffsets), lake);
            try (VerdictTopicListener listener = new VerdictTopicListener(broker.bootstrapServers(), stream.verdictsTopic(), stream.deadLetterTopic(),
                    VerdictTopicListener.endsOf(topics, stream.verdictsTopic(), stream.deadLetterTopic()), observer)) {
                LongUnaryOperator landed = total -> {
                    NidsPipeline.awaitRecords(queries::isActive, lake, total, Duration.ofSeconds(120 + total / 10_000));
                    return lake.lastCommittedAtMs();
                };
                runRates(broker, stream.sessionsTopic(), queries::isActive, observer, landed, cpu, rows, rates, seconds, maxSessions, results,
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
        finally {
            topics.deleteWithPrefix(prefix);
        }
    }

    /**
     * @param awaitLanded waits until the lake holds this many verdicts in all, and gives when it committed the last of
     * them (epoch ms): each rate starts with the lake caught up (a backlog would run inside the next rate's figures)
     * and ends when the lake has its sessions; null when nothing writes a lake
     */
    private void runRates(LocalKafkaBroker broker, String sessionsTopic, BooleanSupplier active, StreamObserver observer, LongUnaryOperator awaitLanded, CpuMeter cpu,
            List<UnswRow> rows, List<String> rates, int seconds, int maxSessions, List<RateResult> results, IntFunction<String> detail)
    {
        long seed = 1;
        log.printf("bench: warm-up, %,d sessions flat out%n", warmUpSessions);
        send(broker, sessionsTopic, active, observer, PreparedSessions.of(derive(rows, warmUpSessions, seed++)), 0);
        long total = warmUpSessions;
        if (awaitLanded != null) {
            awaitLanded.applyAsLong(total);
        }
        for (String rate : rates) {
            double perSecond = rate.equals("max") ? 0 : Double.parseDouble(rate);
            int sessions = perSecond == 0 ? maxSessions : (int) Math.max(5, Math.min(maxSessions, perSecond * seconds));
            // encoded before the CPU is measured: a sensor has its records ready, only the send time is stamped as it sends
            PreparedSessions replay = PreparedSessions.of(derive(rows, sessions, seed++));
            observer.reset();
            log.printf("bench: rate %s, %,d sessions%n", rate, sessions);
            cpu.start();
            SessionReplayer.ReplayResult sent = send(broker, sessionsTopic, active, observer, replay, perSecond);
            total += sessions;
            Double landedPerSecond = null;
            if (awaitLanded != null) {
                long landedAtMs = awaitLanded.applyAsLong(total);
                landedPerSecond = sessions / Math.max(0.001, (landedAtMs - sent.firstSentAtMs()) / 1000.0);
            }
            CpuMeter.Usage usage = cpu.stop();
            StreamObserver.Snapshot snapshot = observer.snapshot();
            log.printf("bench: rate %s: %s%n", rate, detail.apply((int) snapshot.batches()));
            results.add(new RateResult(rate, snapshot.verdicts(), sent.sessionsPerSecond(), snapshot.sessionsPerSecond(), landedPerSecond, snapshot.batches(), snapshot.latencies(),
                    snapshot.batchPhaseMillis(), usage));
        }
    }

    private static List<SensorSession> derive(List<UnswRow> rows, int sessions, long seed)
    {
        return SessionSynthesizer.derive(rows, sessions, LocalDate.parse("2018-11-02"), seed).stream()
                .map(SessionSynthesizer.Derived::session)
                .toList();
    }

    private static SessionReplayer.ReplayResult send(LocalKafkaBroker broker, String topic, BooleanSupplier active, StreamObserver observer,
            PreparedSessions replay, double rate)
    {
        SessionReplayer.ReplayResult result = SessionReplayer.replay(broker.bootstrapServers(), topic, replay, rate);
        NidsPipeline.awaitRecords(active, observer, replay.size(), Duration.ofSeconds(120 + replay.size() / 1000));
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
        text.append(String.format("%-7s %9s %12s %12s %12s  %-22s %-22s %-22s %-22s %-22s %-33s %s%n", "rate", "sessions", "produced/s", "end-to-end/s", "in Parquet/s",
                "produce→broker p50/95/99", "broker→features", "features→score", "score→sink", "end to end (ms)", "CPU µs/session jvm+broker, cores", "batches: n, ms compute/parquet/kafka"));
        for (RateResult result : results) {
            text.append(String.format("%-7s %,9d %,12.0f %,12.0f %12s ", result.rate(), result.sessions(), result.producedPerSecond(), result.endToEndPerSecond(),
                    result.landedPerSecond() == null ? "—" : String.format("%,.0f", result.landedPerSecond())));
            for (String stage : StreamObserver.STAGES) {
                LatencySummary summary = result.latencies().get(stage);
                text.append(String.format(" %-22s", String.format("%.0f/%.0f/%.0f", summary.p50(), summary.p95(), summary.p99())));
            }
            CpuMeter.Usage cpu = result.cpu();
            Double broker = cpu.otherMicrosPerSession(result.sessions());
            text.append(String.format(" %-33s", String.format("%.1f+%s, %.2f", cpu.ownMicrosPerSession(result.sessions()),
                    broker == null ? "?" : String.format("%.1f", broker), cpu.cores())));
            text.append(String.format(" %d, %d/%d/%d", result.batches(), result.batchPhaseMillis().get("compute"), result.batchPhaseMillis().get("parquet"),
                    result.batchPhaseMillis().get("kafka")));
            text.append('\n');
        }
        return text.toString();
    }
}
