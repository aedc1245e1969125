package io.dragnet.nids.stream.internal;

import io.dragnet.nids.stream.StreamObserver;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * The stage timestamps of a batch's verdicts, collected from rows laid out as
 * (…, predicted_malicious, sent_at_ms, broker_at_ms, features_at_ms, scored_at_ms) from {@code first} on.
 */
record BatchStamps(long[] sent, long[] broker, long[] features, long[] scored, long malicious, long deadLetters)
{
    BatchStamps
    {
        requireNonNull(sent, "sent is null");
        requireNonNull(broker, "broker is null");
        requireNonNull(features, "features is null");
        requireNonNull(scored, "scored is null");
    }

    static BatchStamps of(List<Row> rows, Predicate<Row> isVerdict, int first)
    {
        int verdicts = (int) rows.stream().filter(isVerdict).count();
        long[] sent = new long[verdicts];
        long[] broker = new long[verdicts];
        long[] features = new long[verdicts];
        long[] scored = new long[verdicts];
        long malicious = 0;
        int i = 0;
        for (Row row : rows) {
            if (isVerdict.test(row)) {
                malicious += row.getBoolean(first) ? 1 : 0;
                sent[i] = row.getLong(first + 1);
                broker[i] = row.getLong(first + 2);
                features[i] = row.getLong(first + 3);
                scored[i] = row.getLong(first + 4);
                i++;
            }
        }
        return new BatchStamps(sent, broker, features, scored, malicious, rows.size() - verdicts);
    }

    int verdicts()
    {
        return sent.length;
    }

    void report(StreamObserver observer, long committedAtMs)
    {
        observer.onBatch(committedAtMs, sent, broker, features, scored, malicious, deadLetters);
    }
}
