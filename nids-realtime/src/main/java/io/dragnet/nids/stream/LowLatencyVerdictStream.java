package io.dragnet.nids.stream;

import io.dragnet.contracts.DragnetException;
import io.dragnet.nids.NidsPipeline;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.stream.internal.ContinuousScoring;
import io.dragnet.nids.kafka.KafkaWindowHistory;
import io.dragnet.nids.stream.internal.LakeJournalWatcher;
import io.dragnet.nids.stream.internal.PartitionLake;
import io.dragnet.nids.stream.internal.PassthroughScoring;
import io.dragnet.nids.stream.internal.ParquetBatchCommit;
import io.dragnet.nids.stream.internal.VerdictLakeWriter;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

/**
 * The low-latency form of the streaming job:
 * <ol>
 * <li><b>scoring</b> under Spark's continuous trigger: each Kafka partition of "sessions" (one sensor's sequence) is a
 * long-running task that decodes, windows and scores record by record and sends the verdict to the same partition of
 * "verdicts" (malformed records to "dead-letters") within milliseconds. Continuous processing is at least once; the
 * window is rebuilt from the topic after a restart, so a re-sent verdict is identical to the first.</li>
 * <li><b>lake</b>, the day's Parquet exactly once, written one of two ways ({@link LakeMode}): by the scoring tasks
 * themselves at the end of each epoch ({@link PartitionLake}, the default), or by a micro-batch query over "verdicts"
 * and "dead-letters" on a slower trigger that drops re-sent verdicts ({@link VerdictLakeWriter}).</li>
 * </ol>
 * A task slot per sessions partition stays busy for the life of the scoring query: the Spark master needs at least
 * partitions + 1 slots (local[N]).
 */
public final class LowLatencyVerdictStream
{
    private LowLatencyVerdictStream() {}

    /** Who writes the lake. */
    public enum LakeMode
    {
        /**
         * Each scoring task, at the end of every epoch, from the values it scored: no second read of the verdicts.
         * The epoch is then how often the lake commits.
         */
        SCORER,
        /** A micro-batch query that reads the verdicts back from their topic and parses them. */
        TOPIC
    }

    /**
     * @param lakeStartingOffsets where the lake query starts in the verdicts topics ({@link LakeMode#TOPIC} only)
     * @param lakeTrigger how often the lake query runs ({@link LakeMode#TOPIC} only)
     */
    public record Options(VerdictStream.Options stream, LakeMode lakeMode, String lakeStartingOffsets, Duration lakeTrigger, Duration epoch)
    {
        public Options
        {
            requireNonNull(stream, "stream is null");
            requireNonNull(lakeMode, "lakeMode is null");
            requireNonNull(lakeStartingOffsets, "lakeStartingOffsets is null");
            requireNonNull(lakeTrigger, "lakeTrigger is null");
            requireNonNull(epoch, "epoch is null");
        }

        /**
         * Either way the lake commits about every 2 s: one file per sessions partition and day, at most 172,800 per
         * partition a day at a trickle.
         */
        public static Options defaults(VerdictStream.Options stream, LakeMode lakeMode, String lakeStartingOffsets)
        {
            return new Options(stream, lakeMode, lakeStartingOffsets, Duration.ofSeconds(2), epochFor(lakeMode));
        }

        /** The scoring query's default epoch: the scorer's lake commits at each epoch's end, hence its longer one. */
        public static Duration epochFor(LakeMode lakeMode)
        {
            return lakeMode == LakeMode.SCORER ? Duration.ofSeconds(2) : Duration.ofSeconds(1);
        }

        /** Where the scoring tasks journal their lake commits ({@link LakeMode#SCORER}). */
        public Path lakeJournals()
        {
            return stream.checkpointDirectory().resolve("scoring-lake");
        }
    }

    /** What writes the lake while the stream runs: the lake query, or the watcher of the scoring tasks' commits. */
    public interface Lake
    {
        boolean isActive();

        /** Throws what stopped it, if it failed. */
        void rethrowFailure();

        void stop();
    }

    /** The running stream; {@link #stop} stops scoring first so the lake sees everything it scored. */
    public record Queries(StreamingQuery scoring, Lake lake)
    {
        public boolean isActive()
        {
            return scoring.isActive() && lake.isActive();
        }

        /** Throws what stopped scoring or the lake, if one failed. */
        public void rethrowFailure()
        {
            NidsPipeline.rethrowFailure(scoring);
            lake.rethrowFailure();
        }

        public void stop()
        {
            NidsPipeline.stop(scoring);
            lake.stop();
        }
    }

    public static Queries start(SparkSession spark, NidsModel model, Options options, StreamObserver lakeObserver)
    {
        StreamingQuery scoring = startScoring(spark, model, options);
        try {
            return new Queries(scoring, startLake(spark, options, lakeObserver));
        }
        catch (RuntimeException e) {
            NidsPipeline.stop(scoring);
            throw e;
        }
    }

    public static StreamingQuery startScoring(SparkSession spark, NidsModel model, Options options)
    {
        VerdictStream.Options stream = options.stream();
        Broadcast<NidsModel> broadcastModel = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        Map<String, String> clientOptions = stream.clientOptions();
        String sessionsTopic = stream.sessionsTopic();
        Dataset<Row> scored = sessionRecords(spark, stream).mapPartitions(
                new ContinuousScoring(broadcastModel::value, () -> new KafkaWindowHistory(sessionsTopic, clientOptions), stream.verdictsTopic(), stream.deadLetterTopic(),
                        options.lakeMode() == LakeMode.SCORER ? directLake(options) : null),
                Encoders.row(ContinuousScoring.OUTPUT));
        return startSink(scored, stream, "scoring", options.epoch());
    }

    /**
     * The bench's baseline: the scoring query's source, trigger and sink with {@link PassthroughScoring} in place of
     * the scoring, and no lake.
     */
    public static StreamingQuery startPassthrough(SparkSession spark, VerdictStream.Options stream, Duration epoch)
    {
        Dataset<Row> stamps = sessionRecords(spark, stream)
                .mapPartitions(new PassthroughScoring(stream.verdictsTopic(), stream.deadLetterTopic()), Encoders.row(ContinuousScoring.OUTPUT));
        return startSink(stamps, stream, "passthrough", epoch);
    }

    /** The sessions topic as rows (value, broker_at_ms, partition, offset); the value as the bytes it came in, which the codec parses as they are. */
    private static Dataset<Row> sessionRecords(SparkSession spark, VerdictStream.Options stream)
    {
        return spark.readStream()
                .format("kafka")
                .options(stream.sparkKafkaOptions())
                .option("subscribe", stream.sessionsTopic())
                .option("kafka.fetch.max.wait.ms", "5")
                .option("startingOffsets", stream.startingOffsets())
                .option("failOnDataLoss", "false")
                .load()
                .select(col("value"), expr("unix_millis(timestamp)").as("broker_at_ms"), col("partition"), col("offset"));
    }

    /** Rows (topic, partition, key, value) to Kafka under the continuous trigger, as query "nids-{@code kind}". */
    private static StreamingQuery startSink(Dataset<Row> outputs, VerdictStream.Options stream, String kind, Duration epoch)
    {
        try {
            return outputs.writeStream()
                    .queryName("nids-" + kind)
                    .format("kafka")
                    .options(stream.sparkKafkaOptions())
                    // idempotent producer: a retried send never reorders a partition, which the lake's dedupe relies on
                    .option("kafka.enable.idempotence", "true")
                    .option("kafka.acks", "all")
                    // Batches of up to 256 KB held up to 5 ms to fill: with the producer's defaults (16 KB, no wait) the
                    // bench flat out spent ≈ 1.5× the CPU per session (stream JVM and broker both) in many small
                    // requests, and the sink's own latency was ≈ 10× longer. 5 ms is what it adds at a trickle.
                    .option("kafka.batch.size", "262144")
                    .option("kafka.linger.ms", "5")
                    .option("checkpointLocation", stream.checkpointDirectory().resolve(kind).toAbsolutePath().toString())
                    .trigger(Trigger.Continuous(epoch.toMillis()))
                    .start();
        }
        catch (TimeoutException e) {
            throw DragnetException.external("the NIDS " + kind + " query did not start: " + e.getMessage(), e);
        }
    }

    private static ContinuousScoring.DirectLake directLake(Options options)
    {
        return new ContinuousScoring.DirectLake(options.stream().verdictsDirectory().toAbsolutePath().toUri().toString(),
                options.lakeJournals().toAbsolutePath().toUri().toString(), null);
    }

    /** What writes or watches the lake beside the scoring query, reporting what it commits to {@code observer}. */
    public static Lake startLake(SparkSession spark, Options options, StreamObserver observer)
    {
        if (options.lakeMode() == LakeMode.SCORER) {
            return new LakeJournalWatcher(spark.sparkContext().hadoopConfiguration(), options.lakeJournals().toAbsolutePath().toUri(), observer);
        }
        return new LakeQuery(startLakeQuery(spark, options, observer));
    }

    private record LakeQuery(StreamingQuery query)
            implements Lake
    {
        @Override
        public boolean isActive()
        {
            return query.isActive();
        }

        @Override
        public void rethrowFailure()
        {
            NidsPipeline.rethrowFailure(query);
        }

        @Override
        public void stop()
        {
            NidsPipeline.stop(query);
        }
    }

    /** The lake query of {@link LakeMode#TOPIC}. */
    public static StreamingQuery startLakeQuery(SparkSession spark, Options options, StreamObserver observer)
    {
        VerdictStream.Options stream = options.stream();
        SparkSession lakeSession = spark.newSession();
        lakeSession.conf().set("spark.sql.session.timeZone", "UTC");
        lakeSession.conf().set("spark.sql.shuffle.partitions", "1");
        ParquetBatchCommit.configure(lakeSession);
        Dataset<Row> outputs = lakeSession.readStream()
                .format("kafka")
                .options(stream.sparkKafkaOptions())
                .option("subscribe", stream.verdictsTopic() + "," + stream.deadLetterTopic())
                .option("startingOffsets", options.lakeStartingOffsets())
                .option("failOnDataLoss", "false")
                .option("maxOffsetsPerTrigger", stream.maxOffsetsPerTrigger())
                .load()
                // bytes, not text: the lake parses UTF-8 JSON as it comes, without a String of each record in between
                .select(col("topic"), col("value"));
        try {
            return outputs.writeStream()
                    .queryName("nids-lake")
                    .option("checkpointLocation", stream.checkpointDirectory().resolve("lake").toAbsolutePath().toString())
                    .trigger(Trigger.ProcessingTime(options.lakeTrigger().toMillis()))
                    .foreachBatch(new VerdictLakeWriter(stream.verdictsTopic(), stream.verdictsDirectory(), stream.checkpointDirectory().resolve("lake-marks"), observer))
                    .start();
        }
        catch (TimeoutException e) {
            throw DragnetException.external("the NIDS lake query did not start: " + e.getMessage(), e);
        }
    }
}
