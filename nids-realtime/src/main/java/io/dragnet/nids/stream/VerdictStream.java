package io.dragnet.nids.stream;

import io.dragnet.nids.features.ConnectionWindow;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.stream.internal.ParquetBatchCommit;
import io.dragnet.nids.stream.internal.VerdictBatchWriter;
import io.dragnet.nids.stream.internal.WindowScorer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

/**
 * The streaming job: Kafka topic "sessions" → parse → connection features over the last 100 connections (state kept
 * by Spark in the checkpoint) → in-process scoring with the compiled forest → per micro-batch, verdicts to Parquet under
 * {@code <verdictsDirectory>/dt=YYYY-MM-DD/} (committed idempotently by batch id, so a replayed batch replaces its own
 * files: exactly once), verdicts to the Kafka topic "verdicts" (at least once; key = session_id) and malformed records
 * with their reason to the dead-letter topic.
 * <p>
 * The window is one sequence over all sessions, as in UNSW-NB15, so the stateful step runs as a single group: one
 * core's worth of work, the rest of the batch (Kafka read, Parquet and Kafka writes) runs in parallel.
 */
public final class VerdictStream
{
    public static final String SESSIONS_TOPIC = "sessions";
    public static final String VERDICTS_TOPIC = "verdicts";
    public static final String DEAD_LETTER_TOPIC = "dead-letters";

    private VerdictStream() {}

    public record Options(
            String bootstrapServers,
            String sessionsTopic,
            String verdictsTopic,
            String deadLetterTopic,
            Path verdictsDirectory,
            Path checkpointDirectory,
            String startingOffsets,
            long maxOffsetsPerTrigger,
            Map<String, String> kafkaOptions)
    {
        public Options
        {
            requireNonNull(bootstrapServers, "bootstrapServers is null");
            requireNonNull(sessionsTopic, "sessionsTopic is null");
            requireNonNull(verdictsTopic, "verdictsTopic is null");
            requireNonNull(deadLetterTopic, "deadLetterTopic is null");
            requireNonNull(verdictsDirectory, "verdictsDirectory is null");
            requireNonNull(checkpointDirectory, "checkpointDirectory is null");
            requireNonNull(startingOffsets, "startingOffsets is null");
            kafkaOptions = Map.copyOf(kafkaOptions);
        }

        /** Kafka client settings for plain clients: bootstrap servers and {@code kafkaOptions}. */
        public Map<String, String> clientOptions()
        {
            Map<String, String> options = new java.util.HashMap<>(kafkaOptions);
            options.put("bootstrap.servers", bootstrapServers);
            return options;
        }

        /** Kafka client settings for source and sinks, "kafka."-prefixed as Spark wants them (e.g. MSK IAM auth). */
        public Map<String, String> sparkKafkaOptions()
        {
            Map<String, String> options = new java.util.HashMap<>();
            clientOptions().forEach((key, value) -> options.put("kafka." + key, value));
            return options;
        }

        public static Options defaults(String bootstrapServers, Path verdictsDirectory, Path checkpointDirectory, String startingOffsets)
        {
            return new Options(bootstrapServers, SESSIONS_TOPIC, VERDICTS_TOPIC, DEAD_LETTER_TOPIC, verdictsDirectory, checkpointDirectory, startingOffsets, 500_000, Map.of());
        }
    }

    /** Starts the query; the caller stops it. */
    public static StreamingQuery start(SparkSession spark, NidsModel model, Options options, StreamObserver observer)
    {
        // Own SQL settings without touching the caller's session: one state partition (the window is one sequence),
        // day partitions in UTC.
        SparkSession streaming = spark.newSession();
        streaming.conf().set("spark.sql.shuffle.partitions", "1");
        streaming.conf().set("spark.sql.session.timeZone", "UTC");
        streaming.conf().set("spark.sql.streaming.stateStore.maintenanceInterval", "30s");
        ParquetBatchCommit.configure(streaming);
        Broadcast<NidsModel> broadcastModel = JavaSparkContext.fromSparkContext(streaming.sparkContext()).broadcast(model);
        Dataset<Row> records = streaming.readStream()
                .format("kafka")
                .options(options.sparkKafkaOptions())
                .option("subscribe", options.sessionsTopic())
                .option("startingOffsets", options.startingOffsets())
                .option("failOnDataLoss", "false")
                .option("maxOffsetsPerTrigger", options.maxOffsetsPerTrigger())
                .load()
                .select(
                        col("value").cast("string").as("value"),
                        expr("unix_millis(timestamp)").as("broker_at_ms"),
                        col("partition"),
                        col("offset"));
        Dataset<Row> scored = records
                .groupByKey((MapFunction<Row, String>) row -> "sessions", Encoders.STRING())
                .flatMapGroupsWithState(new WindowScorer(broadcastModel), OutputMode.Append(), Encoders.kryo(ConnectionWindow.class),
                        Encoders.row(WindowScorer.OUTPUT), GroupStateTimeout.NoTimeout());
        try {
            return scored.writeStream()
                    .queryName("nids-verdicts")
                    .option("checkpointLocation", options.checkpointDirectory().toAbsolutePath().toString())
                    .trigger(Trigger.ProcessingTime(0))
                    .foreachBatch(new VerdictBatchWriter(options, observer))
                    .start();
        }
        catch (TimeoutException e) {
            throw io.dragnet.contracts.DragnetException.external("the streaming query did not start: " + e.getMessage(), e);
        }
    }
}
