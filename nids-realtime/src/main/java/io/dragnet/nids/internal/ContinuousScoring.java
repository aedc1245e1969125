package io.dragnet.nids.internal;

import io.dragnet.nids.ConnectionWindow;
import io.dragnet.nids.NidsModel;
import io.dragnet.nids.WindowHistory;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Iterator;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The scoring step of the low-latency stream as a Spark partition function: input rows (value, broker_at_ms,
 * partition, offset) of the Kafka source, output rows (topic, partition, key, value) for the Kafka sink. It is lazy,
 * record in record out, because under a continuous trigger the input iterator never ends.
 * <p>
 * A continuous task calls this once per epoch on the same instance, each time with the records of that epoch. The
 * scorer, and so each partition's connection window, lives as long as the task: a new scorer per epoch would rebuild
 * every window from the topic each epoch (a Kafka consumer and up to {@value ConnectionWindow#DEFAULT_SIZE} records
 * read per partition per second).
 */
public final class ContinuousScoring
        implements MapPartitionsFunction<Row, Row>
{
    public static final StructType OUTPUT = new StructType()
            .add("topic", DataTypes.StringType, false)
            .add("partition", DataTypes.IntegerType, false)
            .add("key", DataTypes.StringType)
            .add("value", DataTypes.BinaryType, false);

    private final SerializableModel model;
    private final SerializableHistory history;
    private final String verdictsTopic;
    private final String deadLetterTopic;
    private transient PartitionScorer scorer;

    public ContinuousScoring(SerializableModel model, SerializableHistory history, String verdictsTopic, String deadLetterTopic)
    {
        this.model = requireNonNull(model, "model is null");
        this.history = requireNonNull(history, "history is null");
        this.verdictsTopic = requireNonNull(verdictsTopic, "verdictsTopic is null");
        this.deadLetterTopic = requireNonNull(deadLetterTopic, "deadLetterTopic is null");
    }

    /** The model on the executor: a broadcast's value, or the model itself in tests. */
    public interface SerializableModel
            extends Supplier<NidsModel>, java.io.Serializable {}

    /** Makes the window history on the executor (Kafka consumers do not travel). */
    public interface SerializableHistory
            extends Supplier<WindowHistory>, java.io.Serializable {}

    @Override
    public Iterator<Row> call(Iterator<Row> input)
    {
        if (scorer == null) {
            scorer = new PartitionScorer(model.get(), history.get(), System::currentTimeMillis);
        }
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
                int partition = record.getInt(2);
                PartitionScorer.Scored scored = scorer.score(partition, record.getLong(3), record.isNullAt(0) ? null : record.getString(0), record.getLong(1));
                // Verdicts keep the partition of their session, so each verdict partition is in source offset order.
                return RowFactory.create(scored.verdict() ? verdictsTopic : deadLetterTopic, partition, scored.key(), scored.value());
            }
        };
    }
}
