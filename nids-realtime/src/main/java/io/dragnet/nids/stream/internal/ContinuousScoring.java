package io.dragnet.nids.stream.internal;

import io.dragnet.nids.features.ConnectionWindow;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.features.WindowHistory;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.net.URI;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The scoring step of the low-latency stream as a Spark partition function: input rows (value bytes, broker_at_ms,
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
    private final DirectLake lake;
    private transient PartitionScorer scorer;
    private transient Map<Integer, PartitionLake> lakes;

    public ContinuousScoring(SerializableModel model, SerializableHistory history, String verdictsTopic, String deadLetterTopic)
    {
        this(model, history, verdictsTopic, deadLetterTopic, null);
    }

    /**
     * @param lake where the task writes the lake itself, each epoch's verdicts committed before the epoch ends; null
     * when a separate query writes the lake from the verdicts topic
     */
    public ContinuousScoring(SerializableModel model, SerializableHistory history, String verdictsTopic, String deadLetterTopic, DirectLake lake)
    {
        this.model = requireNonNull(model, "model is null");
        this.history = requireNonNull(history, "history is null");
        this.verdictsTopic = requireNonNull(verdictsTopic, "verdictsTopic is null");
        this.deadLetterTopic = requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        this.lake = lake;
    }

    /**
     * The lake a scoring task writes: its directory, the stream's journal directory, and the stream's id that names
     * the files (null: the id of the streaming query the task runs in).
     */
    public record DirectLake(String lakeDirectory, String journalRoot, String writer)
            implements java.io.Serializable
    {
        public DirectLake
        {
            requireNonNull(lakeDirectory, "lakeDirectory is null");
            requireNonNull(journalRoot, "journalRoot is null");
        }

        PartitionLake recover(int partition)
        {
            return PartitionLake.recover(hadoopConfiguration(), URI.create(lakeDirectory), URI.create(journalRoot), writer == null ? queryId() : writer, partition);
        }

        private static String queryId()
        {
            TaskContext task = TaskContext.get();
            String id = task == null ? null : task.getLocalProperty(ParquetBatchCommit.QUERY_ID_PROPERTY);
            if (id == null) {
                throw new IllegalStateException("not in a streaming query's task: no " + ParquetBatchCommit.QUERY_ID_PROPERTY + " to name the lake's files by");
            }
            return id;
        }

        /** Spark's Hadoop settings on an executor (spark.hadoop.*), as a Spark job's own writes get them. */
        private static Configuration hadoopConfiguration()
        {
            SparkEnv env = SparkEnv.get();
            return env == null ? ShellFreeLocalFileSystem.hadoopConfiguration() : SparkHadoopUtil.get().newConfiguration(env.conf());
        }
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
            scorer = new PartitionScorer(model.get(), history.get(), System::currentTimeMillis, lake != null);
            lakes = new HashMap<>();
        }
        return new Iterator<>()
        {
            @Override
            public boolean hasNext()
            {
                if (input.hasNext()) {
                    return true;
                }
                // the epoch ends here: its verdicts are in the lake before Spark can commit its offsets
                lakes.values().forEach(PartitionLake::commit);
                return false;
            }

            @Override
            public Row next()
            {
                Row record = input.next();
                int partition = record.getInt(2);
                long offset = record.getLong(3);
                PartitionScorer.Scored scored = scorer.score(partition, offset, record.isNullAt(0) ? null : (byte[]) record.get(0), record.getLong(1));
                if (lake != null) {
                    toLake(partition, offset, scored);
                }
                // Verdicts keep the partition of their session, so each verdict partition is in source offset order.
                return RowFactory.create(scored.verdict() ? verdictsTopic : deadLetterTopic, partition, scored.key(), scored.value());
            }
        };
    }

    private void toLake(int partition, long offset, PartitionScorer.Scored scored)
    {
        PartitionLake partitionLake = lakes.computeIfAbsent(partition, lake::recover);
        if (!partitionLake.isNew(offset)) {
            return;
        }
        if (scored.verdict()) {
            partitionLake.verdict(offset, scored.day(), scored.lakeRow());
        }
        else {
            partitionLake.deadLetter(offset);
        }
    }
}
