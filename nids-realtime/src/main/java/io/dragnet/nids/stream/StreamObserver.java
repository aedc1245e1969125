package io.dragnet.nids.stream;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the streaming job reports after each committed micro-batch (on the driver): counts and, per verdict, the stage
 * timestamps, kept to compute per-stage latency percentiles. Stages: produce → broker (sent_at → broker append time),
 * broker → features, features → score, score → sink (the batch's outputs committed), and end to end (sent → committed).
 */
public final class StreamObserver
{
    public static final String[] STAGES = {"produce_to_broker", "broker_to_features", "features_to_score", "score_to_sink", "end_to_end"};

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    private long verdicts;
    private long malicious;
    private long deadLetters;
    private long batches;
    private long firstSentAtMs = Long.MAX_VALUE;
    private long lastCommittedAtMs;
    private long[][] latencies = new long[STAGES.length][1024];
    private int samples;
    private final long[] phaseMillis = new long[3];

    public void onBatch(long committedAtMs, long[] sentAt, long[] brokerAt, long[] featuresAt, long[] scoredAt, long maliciousCount, long deadCount)
    {
        long[] committedAt = new long[sentAt.length];
        java.util.Arrays.fill(committedAt, committedAtMs);
        observe(committedAt, committedAtMs, sentAt, brokerAt, featuresAt, scoredAt, maliciousCount, deadCount);
    }

    /** Verdicts that reached their sink each at its own time (a record-at-a-time sink such as the verdicts topic). */
    public void onRecords(long[] committedAt, long[] sentAt, long[] brokerAt, long[] featuresAt, long[] scoredAt, long maliciousCount, long deadCount)
    {
        observe(committedAt, java.util.Arrays.stream(committedAt).max().orElse(0), sentAt, brokerAt, featuresAt, scoredAt, maliciousCount, deadCount);
    }

    private void observe(long[] committedAt, long latestCommittedAtMs, long[] sentAt, long[] brokerAt, long[] featuresAt, long[] scoredAt, long maliciousCount,
            long deadCount)
    {
        lock.lock();
        try {
            batches++;
            verdicts += sentAt.length;
            malicious += maliciousCount;
            deadLetters += deadCount;
            if (sentAt.length + deadCount > 0) {
                lastCommittedAtMs = Math.max(lastCommittedAtMs, latestCommittedAtMs);
            }
            ensureCapacity(samples + sentAt.length);
            for (int i = 0; i < sentAt.length; i++) {
                firstSentAtMs = Math.min(firstSentAtMs, sentAt[i]);
                latencies[0][samples] = brokerAt[i] - sentAt[i];
                latencies[1][samples] = featuresAt[i] - brokerAt[i];
                latencies[2][samples] = scoredAt[i] - featuresAt[i];
                latencies[3][samples] = committedAt[i] - scoredAt[i];
                latencies[4][samples] = committedAt[i] - sentAt[i];
                samples++;
            }
            progressed.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Records a sink committed without their stamps (the lake's journals keep counts only): they count, and add no
     * latency samples.
     */
    public void onCommitted(long committedAtMs, long verdictCount, long maliciousCount, long deadCount)
    {
        lock.lock();
        try {
            batches++;
            verdicts += verdictCount;
            malicious += maliciousCount;
            deadLetters += deadCount;
            if (verdictCount + deadCount > 0) {
                lastCommittedAtMs = Math.max(lastCommittedAtMs, committedAtMs);
            }
            progressed.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Time a batch spent computing (Kafka read, window, scoring, collected), committing Parquet, and writing to Kafka;
     * summed over batches, to see where micro-batch time goes.
     */
    public void onBatchPhases(long computeMillis, long parquetMillis, long kafkaMillis)
    {
        lock.lock();
        try {
            phaseMillis[0] += computeMillis;
            phaseMillis[1] += parquetMillis;
            phaseMillis[2] += kafkaMillis;
        }
        finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code records} verdicts and dead letters were committed; false on timeout. */
    public boolean awaitRecords(long records, Duration timeout, java.util.function.BooleanSupplier stillRunning)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (verdicts + deadLetters < records) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !stillRunning.getAsBoolean()) {
                    return false;
                }
                progressed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)), TimeUnit.NANOSECONDS);
            }
            return true;
        }
        finally {
            lock.unlock();
        }
    }

    /** When the newest committed records seen were committed (epoch ms), 0 before any. */
    public long lastCommittedAtMs()
    {
        lock.lock();
        try {
            return lastCommittedAtMs;
        }
        finally {
            lock.unlock();
        }
    }

    /** Forgets everything observed so far (between benchmark rates on one running query). */
    public void reset()
    {
        lock.lock();
        try {
            verdicts = 0;
            malicious = 0;
            deadLetters = 0;
            batches = 0;
            firstSentAtMs = Long.MAX_VALUE;
            lastCommittedAtMs = 0;
            samples = 0;
            java.util.Arrays.fill(phaseMillis, 0);
        }
        finally {
            lock.unlock();
        }
    }

    public record Snapshot(long verdicts, long malicious, long deadLetters, long batches, double sessionsPerSecond, Map<String, LatencySummary> latencies,
            Map<String, Long> batchPhaseMillis) {}

    public Snapshot snapshot()
    {
        lock.lock();
        try {
            Map<String, LatencySummary> summaries = new LinkedHashMap<>();
            for (int s = 0; s < STAGES.length; s++) {
                summaries.put(STAGES[s], LatencySummary.of(latencies[s], samples));
            }
            double seconds = Math.max(0.001, (lastCommittedAtMs - firstSentAtMs) / 1000.0);
            Map<String, Long> phases = new LinkedHashMap<>();
            phases.put("compute", phaseMillis[0]);
            phases.put("parquet", phaseMillis[1]);
            phases.put("kafka", phaseMillis[2]);
            return new Snapshot(verdicts, malicious, deadLetters, batches, verdicts == 0 || samples == 0 ? 0 : verdicts / seconds, summaries, phases);
        }
        finally {
            lock.unlock();
        }
    }

    private void ensureCapacity(int needed)
    {
        if (needed > latencies[0].length) {
            int capacity = Math.max(needed, latencies[0].length * 2);
            for (int s = 0; s < STAGES.length; s++) {
                latencies[s] = java.util.Arrays.copyOf(latencies[s], capacity);
            }
        }
    }
}
