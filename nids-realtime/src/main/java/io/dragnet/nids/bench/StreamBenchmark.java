package io.dragnet.nids.bench;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.nids.NidsPipeline;
import io.dragnet.nids.data.PreparedSessions;
import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.SessionSynthesizer;
import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.nids.kafka.AppendedRecords;
import io.dragnet.nids.kafka.KafkaTopics;
import io.dragnet.nids.kafka.LocalKafkaBroker;
import io.dragnet.nids.kafka.SessionReplayer;
import io.dragnet.nids.kafka.VerdictTopicListener;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.stream.LatencySummary;
import io.dragnet.nids.stream.LowLatencyVerdictStream;
import io.dragnet.nids.stream.StreamMode;
import io.dragnet.nids.stream.StreamObserver;
import io.dragnet.nids.stream.VerdictStream;
import io.dragnet.storage.FileTrees;
import org.apache.kafka.common.TopicPartition;
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
         * ({@link io.dragnet.nids.stream.internal.PassthroughScoring}), no lake. What the platform costs before any NIDS work.
         */
        PASSTHROUGH
    }

    /**
     * When the bench's listener, the stand-in for a downstream consumer of the verdicts topic, reads a rate's verdicts.
     * Its figures are the same either way: a verdict's sink time is the broker's append time, not when it is read.
     */
    public enum Listening
    {
        /** After all of the rate's verdicts are appended: on a real deployment consumers run on hosts of their own. */
        AFTER,
        /** While the stream runs, sharing the cores with it. */
        LIVE
    }

    private final SparkSession spark;
    private final DragnetHome home;
    private final PrintWriter log;
    private final int warmUpSessions;
    private final Listening listening;

    public StreamBenchmark(SparkSession spark, DragnetHome home, PrintWriter log, int warmUpSessions)
    {
        this(spark, home, log, warmUpSessions, Listening.AFTER);
    }

    public StreamBenchmark(SparkSession spark, DragnetHome home, PrintWriter log, int warmUpSessions, Listening listening)
    {
        this.warmUpSessions = warmUpSessions;
        this.listening = requireNonNull(listening, "listening is null");
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
        List<UnswRow> rows = UnswLoader.load(UnswDatasets.trainingCsv());
        NidsModel model = NidsPipeline.modelFor(spark, home, rows, log);
        log.printf("bench: model %s%n", model.describe());
        LocalKafkaBroker broker = LocalKafkaBroker.start(home);
        Path directory = home.engine("nids").resolve("bench");
        try {
            FileTrees.deleteRecursively(directory);
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
                    runRates(broker, sessionsTopic, observer, ScoredWait.observed(query::isActive, observer), total -> System.currentTimeMillis(), cpu, rows, rates, seconds, maxSessions, results,
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
                Map<TopicPartition, Long> from = VerdictTopicListener.endsOf(topics, stream.verdictsTopic(), stream.deadLetterTopic());
                try (VerdictTopicListener listener = new VerdictTopicListener(broker.bootstrapServers(), stream.verdictsTopic(), stream.deadLetterTopic(), from, observer);
                        AppendedRecords appended = new AppendedRecords(broker.bootstrapServers(), from)) {
                    runRates(broker, stream.sessionsTopic(), observer, scoredWait(query::isActive, observer, listener, appended), null, cpu, rows, rates, seconds, maxSessions, results, batches -> "no lake");
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
            Map<TopicPartition, Long> from = VerdictTopicListener.endsOf(topics, stream.verdictsTopic(), stream.deadLetterTopic());
            try (VerdictTopicListener listener = new VerdictTopicListener(broker.bootstrapServers(), stream.verdictsTopic(), stream.deadLetterTopic(), from, observer);
                    AppendedRecords appended = new AppendedRecords(broker.bootstrapServers(), from)) {
                LongUnaryOperator landed = total -> {
                    NidsPipeline.awaitRecords(queries::isActive, lake, total, Duration.ofSeconds(120 + total / 10_000));
                    return lake.lastCommittedAtMs();
                };
                runRates(broker, stream.sessionsTopic(), observer, scoredWait(queries::isActive, observer, listener, appended), landed, cpu, rows, rates, seconds, maxSessions, results,
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
     * @param scored how each phase waits for the stream to score its sessions
     * @param awaitLanded waits until the lake holds this many verdicts in all, and gives when it committed the last of
     * them (epoch ms): each rate starts with the lake caught up (a backlog would run inside the next rate's figures)
     * and ends when the lake has its sessions; null when nothing writes a lake
     */
    private void runRates(LocalKafkaBroker broker, String sessionsTopic, StreamObserver observer, ScoredWait scored, LongUnaryOperator awaitLanded,
            CpuMeter cpu, List<UnswRow> rows, List<String> rates, int seconds, int maxSessions, List<RateResult> results, IntFunction<String> detail)
    {
        long seed = 1;
        log.printf("bench: warm-up, %,d sessions flat out%n", warmUpSessions);
        long total = warmUpSessions;
        scored.start();
        SessionReplayer.replay(broker.bootstrapServers(), sessionsTopic, PreparedSessions.of(derive(rows, warmUpSessions, seed++)), 0);
        scored.awaitScored(total, warmUpSessions);
        if (awaitLanded != null) {
            awaitLanded.applyAsLong(total);
        }
        scored.finish(warmUpSessions);
        for (String rate : rates) {
            double perSecond = rate.equals("max") ? 0 : Double.parseDouble(rate);
            int sessions = perSecond == 0 ? maxSessions : (int) Math.max(5, Math.min(maxSessions, perSecond * seconds));
            // encoded before the CPU is measured: a sensor has its records ready, only the send time is stamped as it sends
            PreparedSessions replay = PreparedSessions.of(derive(rows, sessions, seed++));
            observer.reset();
            log.printf("bench: rate %s, %,d sessions%n", rate, sessions);
            cpu.start();
            scored.start();
            SessionReplayer.ReplayResult sent = SessionReplayer.replay(broker.bootstrapServers(), sessionsTopic, replay, perSecond);
            total += sessions;
            scored.awaitScored(total, sessions);
            Double landedPerSecond = null;
            if (awaitLanded != null) {
                long landedAtMs = awaitLanded.applyAsLong(total);
                landedPerSecond = sessions / Math.max(0.001, (landedAtMs - sent.firstSentAtMs()) / 1000.0);
            }
            // the listener's reading counts in the CPU figures, wherever it falls
            scored.finish(sessions);
            CpuMeter.Usage usage = cpu.stop();
            StreamObserver.Snapshot snapshot = observer.snapshot();
            log.printf("bench: rate %s: %s%n", rate, detail.apply((int) snapshot.batches()));
            results.add(new RateResult(rate, snapshot.verdicts(), sent.sessionsPerSecond(), snapshot.sessionsPerSecond(), landedPerSecond, snapshot.batches(), snapshot.latencies(),
                    snapshot.batchPhaseMillis(), usage));
        }
    }

    private ScoredWait scoredWait(BooleanSupplier active, StreamObserver observer, VerdictTopicListener listener, AppendedRecords appended)
    {
        return listening == Listening.AFTER ? ScoredWait.appended(active, observer, listener, appended) : ScoredWait.observed(active, observer);
    }

    /** How a phase of the bench (the warm-up or a rate) waits for the stream to score its sessions. */
    private interface ScoredWait
    {
        /** Before the phase's first send. */
        void start();

        /** Until the stream has scored {@code total} records since the bench began, {@code phase} of them in this phase. */
        void awaitScored(long total, long phase);

        /** When the phase is over: the observer has seen all {@code phase} of its records. */
        void finish(long phase);

        /** Scored when the observer has seen them: a stream that reports its own batches, or a listener reading live. */
        static ScoredWait observed(BooleanSupplier active, StreamObserver observer)
        {
            return new ScoredWait()
            {
                @Override
                public void start() {}

                @Override
                public void awaitScored(long total, long phase)
                {
                    NidsPipeline.awaitRecords(active, observer, phase, timeoutFor(phase));
                }

                @Override
                public void finish(long phase) {}
            };
        }

        /** Scored when appended to the topics, the listener holding off until then and reading them all after. */
        static ScoredWait appended(BooleanSupplier active, StreamObserver observer, VerdictTopicListener listener, AppendedRecords appended)
        {
            return new ScoredWait()
            {
                @Override
                public void start()
                {
                    listener.hold();
                }

                @Override
                public void awaitScored(long total, long phase)
                {
                    appended.await(total, timeoutFor(phase), active);
                }

                @Override
                public void finish(long phase)
                {
                    listener.release();
                    NidsPipeline.awaitRecords(active, observer, phase, timeoutFor(phase));
                }
            };
        }

        private static Duration timeoutFor(long records)
        {
            return Duration.ofSeconds(120 + records / 1000);
        }
    }

    private static List<SensorSession> derive(List<UnswRow> rows, int sessions, long seed)
    {
        return SessionSynthesizer.derive(rows, sessions, LocalDate.parse("2018-11-02"), seed).stream()
                .map(SessionSynthesizer.Derived::session)
                .toList();
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
