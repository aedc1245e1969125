package io.dragnet.nids.stream.internal;

import io.dragnet.contracts.VerdictColumns;
import io.dragnet.nids.stream.StreamObserver;
import io.dragnet.nids.stream.VerdictStream;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.List;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

/**
 * Writes one micro-batch of the streaming job. Parquet is committed exactly once ({@link ParquetBatchCommit}); Kafka
 * outputs are at least once (consumers dedupe by session_id).
 */
public final class VerdictBatchWriter
        implements VoidFunction2<Dataset<Row>, Long>
{
    private final VerdictStream.Options options;
    private final StreamObserver observer;
    private final LongSupplier clock;

    public VerdictBatchWriter(VerdictStream.Options options, StreamObserver observer)
    {
        this(options, observer, (LongSupplier & java.io.Serializable) System::currentTimeMillis);
    }

    /** @param clock stamps the moment each batch is committed, for the observer's latencies */
    VerdictBatchWriter(VerdictStream.Options options, StreamObserver observer, LongSupplier clock)
    {
        this.options = requireNonNull(options, "options is null");
        this.observer = requireNonNull(observer, "observer is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public static Column[] verdictColumns()
    {
        return new Column[] {
                col("session_id").as(VerdictColumns.SESSION_ID),
                col("src_ip").as(VerdictColumns.SRC_IP),
                col("src_port").as(VerdictColumns.SRC_PORT),
                col("dst_ip").as(VerdictColumns.DST_IP),
                col("dst_port").as(VerdictColumns.DST_PORT),
                col("proto").as(VerdictColumns.PROTO),
                col("service").as(VerdictColumns.SERVICE),
                col("state").as(VerdictColumns.STATE),
                expr("timestamp_millis(start_ms)").as(VerdictColumns.START_TIME),
                expr("timestamp_millis(end_ms)").as(VerdictColumns.END_TIME),
                col("score").as(VerdictColumns.SCORE),
                col("predicted_malicious").as(VerdictColumns.PREDICTED_MALICIOUS),
                col("attack_category").as(VerdictColumns.ATTACK_CATEGORY),
                col("model_version").as(VerdictColumns.MODEL_VERSION),
                col("sent_at_ms").as(VerdictColumns.SENT_AT),
                col("broker_at_ms").as(VerdictColumns.BROKER_AT),
                col("features_at_ms").as(VerdictColumns.FEATURES_AT),
                col("scored_at_ms").as(VerdictColumns.SCORED_AT),
                date_format(expr("timestamp_millis(start_ms)"), "yyyy-MM-dd").as(VerdictColumns.DT)};
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId)
    {
        long started = System.nanoTime();
        batch.persist(StorageLevel.MEMORY_ONLY());
        try {
            List<Row> stamps = batch.select("kind", "predicted_malicious", "sent_at_ms", "broker_at_ms", "features_at_ms", "scored_at_ms").collectAsList();
            BatchStamps batchStamps = BatchStamps.of(stamps, row -> WindowScorer.VERDICT.equals(row.getString(0)), 1);
            int verdictCount = batchStamps.verdicts();
            long dead = batchStamps.deadLetters();
            long computed = System.nanoTime();
            long parquetNanos = 0;
            if (verdictCount > 0) {
                Dataset<Row> verdicts = batch.filter(col("kind").equalTo(WindowScorer.VERDICT)).select(verdictColumns());
                ParquetBatchCommit.commit(verdicts, options.verdictsDirectory(), ParquetBatchCommit.writerOfCurrentBatch(batch.sparkSession()), batchId);
                parquetNanos = System.nanoTime() - computed;
                verdicts.select(col(VerdictColumns.SESSION_ID).as("key"), to_json(struct(col("*"))).as("value"))
                        .write()
                        .format("kafka")
                        .options(options.sparkKafkaOptions())
                        .option("topic", options.verdictsTopic())
                        .save();
            }
            if (dead > 0) {
                batch.filter(col("kind").equalTo(WindowScorer.DEAD))
                        .select(to_json(struct(col("reason"), col("raw"), col("kafka_partition"), col("kafka_offset"), col("broker_at_ms"),
                                current_timestamp().as("rejected_at"))).as("value"))
                        .write()
                        .format("kafka")
                        .options(options.sparkKafkaOptions())
                        .option("topic", options.deadLetterTopic())
                        .save();
            }
            long finished = System.nanoTime();
            observer.onBatchPhases((computed - started) / 1_000_000, parquetNanos / 1_000_000, (finished - computed - parquetNanos) / 1_000_000);
            batchStamps.report(observer, clock.getAsLong());
        }
        finally {
            batch.unpersist();
        }
    }
}
