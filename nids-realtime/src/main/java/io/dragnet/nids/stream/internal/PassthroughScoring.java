package io.dragnet.nids.stream.internal;

import io.dragnet.contracts.VerdictColumns;
import io.dragnet.nids.data.SessionCodec;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The bench's baseline in place of {@link ContinuousScoring}: the same input rows and output rows, but each session
 * becomes only the stamps a verdict carries (no decoding, window, forest or lake). A bench of it measures what the
 * platform alone costs per session: the replayer, the broker, Spark's continuous Kafka source and sink, and the
 * verdict listener. A record without a readable send time goes to the dead-letter topic as it came.
 */
public final class PassthroughScoring
        implements MapPartitionsFunction<Row, Row>
{
    private final String verdictsTopic;
    private final String deadLetterTopic;
    private final LongSupplier clock;

    public PassthroughScoring(String verdictsTopic, String deadLetterTopic)
    {
        this(verdictsTopic, deadLetterTopic, (LongSupplier & java.io.Serializable) System::currentTimeMillis);
    }

    PassthroughScoring(String verdictsTopic, String deadLetterTopic, LongSupplier clock)
    {
        this.verdictsTopic = requireNonNull(verdictsTopic, "verdictsTopic is null");
        this.deadLetterTopic = requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input)
    {
        return new Iterator<>()
        {
            @Override
            public boolean hasNext()
            {
                return input.hasNext();
            }

            @Override
            public Row next()
            {
                Row record = input.next();
                byte[] line = record.isNullAt(0) ? null : (byte[]) record.get(0);
                int partition = record.getInt(2);
                long sentAt = SessionCodec.sentAtMs(line);
                if (sentAt < 0) {
                    return RowFactory.create(deadLetterTopic, partition, null, line == null ? new byte[0] : line);
                }
                return RowFactory.create(verdictsTopic, partition, null, stamps(sentAt, record.getLong(1), clock.getAsLong()));
            }
        };
    }

    /** The stamps of a verdict in the order the scorer writes them, features and score both at {@code now}. */
    static byte[] stamps(long sentAt, long brokerAt, long now)
    {
        String json = "{\"" + VerdictColumns.PREDICTED_MALICIOUS + "\":false"
                + ",\"" + VerdictColumns.SENT_AT + "\":" + sentAt
                + ",\"" + VerdictColumns.BROKER_AT + "\":" + brokerAt
                + ",\"" + VerdictColumns.FEATURES_AT + "\":" + now
                + ",\"" + VerdictColumns.SCORED_AT + "\":" + now + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
