package io.dragnet.nids.stream.internal;

import io.dragnet.contracts.VerdictColumns;
import org.apache.spark.util.AccumulatorV2;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What one lake batch kept, gathered on the executors while the batch is written, so the batch is read once: the
 * highest source offset per output kind and source partition (the next {@link SourceMarks}) and each verdict's stage
 * stamps. Added to with the rows of {@link LakeRows}; Spark merges a result task's copy once, even when it retries the task.
 */
public final class LakeBatchStats
        extends AccumulatorV2<LakeRows.Parsed, LakeBatchStats>
{
    private static final int MALICIOUS = LakeRows.index(VerdictColumns.PREDICTED_MALICIOUS);
    private static final int SENT = LakeRows.index(VerdictColumns.SENT_AT);
    private static final int BROKER = LakeRows.index(VerdictColumns.BROKER_AT);
    private static final int FEATURES = LakeRows.index(VerdictColumns.FEATURES_AT);
    private static final int SCORED = LakeRows.index(VerdictColumns.SCORED_AT);

    private Map<String, Map<Integer, Long>> maxima = new HashMap<>();
    private long[][] stamps = new long[4][0];
    private int verdicts;
    private long malicious;
    private long deadLetters;

    @Override
    public boolean isZero()
    {
        return maxima.isEmpty() && verdicts == 0 && deadLetters == 0;
    }

    @Override
    public LakeBatchStats copy()
    {
        LakeBatchStats copy = new LakeBatchStats();
        copy.merge(this);
        return copy;
    }

    @Override
    public void reset()
    {
        maxima = new HashMap<>();
        stamps = new long[4][0];
        verdicts = 0;
        malicious = 0;
        deadLetters = 0;
    }

    /** One kept record of either topic. */
    @Override
    public void add(LakeRows.Parsed record)
    {
        raise(record.verdict() ? VerdictLakeWriter.VERDICT : VerdictLakeWriter.DEAD, record.partition(), record.offset());
        if (!record.verdict()) {
            deadLetters++;
            return;
        }
        Object[] row = record.values();
        ensureCapacity(verdicts + 1);
        stamps[0][verdicts] = stamp(row[SENT]);
        stamps[1][verdicts] = stamp(row[BROKER]);
        stamps[2][verdicts] = stamp(row[FEATURES]);
        stamps[3][verdicts] = stamp(row[SCORED]);
        verdicts++;
        malicious += Boolean.TRUE.equals(row[MALICIOUS]) ? 1 : 0;
    }

    @Override
    public void merge(AccumulatorV2<LakeRows.Parsed, LakeBatchStats> other)
    {
        LakeBatchStats stats = other.value();
        stats.maxima.forEach((kind, byPartition) -> byPartition.forEach((partition, offset) -> raise(kind, partition, offset)));
        ensureCapacity(verdicts + stats.verdicts);
        for (int s = 0; s < stamps.length; s++) {
            System.arraycopy(stats.stamps[s], 0, stamps[s], verdicts, stats.verdicts);
        }
        verdicts += stats.verdicts;
        malicious += stats.malicious;
        deadLetters += stats.deadLetters;
    }

    @Override
    public LakeBatchStats value()
    {
        return this;
    }

    @Override
    public String toString()
    {
        return "LakeBatchStats(" + verdicts + " verdicts, " + deadLetters + " dead letters, maxima " + maxima + ")";
    }

    /** Highest source offsets of the batch, per kind and source partition. */
    public Map<String, Map<Integer, Long>> maxima()
    {
        return maxima;
    }

    public int verdicts()
    {
        return verdicts;
    }

    BatchStamps stamps()
    {
        return new BatchStamps(Arrays.copyOf(stamps[0], verdicts), Arrays.copyOf(stamps[1], verdicts), Arrays.copyOf(stamps[2], verdicts),
                Arrays.copyOf(stamps[3], verdicts), malicious, deadLetters);
    }

    private void raise(String kind, int partition, long offset)
    {
        maxima.computeIfAbsent(kind, ignored -> new HashMap<>()).merge(partition, offset, Math::max);
    }

    private static long stamp(Object value)
    {
        return value == null ? 0 : (Long) value;
    }

    private void ensureCapacity(int needed)
    {
        if (needed > stamps[0].length) {
            int capacity = Math.max(needed, Math.max(1024, stamps[0].length * 2));
            for (int s = 0; s < stamps.length; s++) {
                stamps[s] = Arrays.copyOf(stamps[s], capacity);
            }
        }
    }
}
