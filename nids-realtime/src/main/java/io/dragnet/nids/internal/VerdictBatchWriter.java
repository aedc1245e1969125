package io.dragnet.nids.internal;

import io.dragnet.contracts.VerdictColumns;
import io.dragnet.nids.StreamObserver;
import io.dragnet.nids.VerdictStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

/**
 * Writes one micro-batch of the streaming job. Parquet is committed exactly once: the batch is written to
 * {@code _staging/batch=<id>/}, any files an earlier attempt of the same batch id left are deleted, and the new files
 * are renamed to {@code dt=<day>/part-<batchId>-<n>.parquet}; a batch Spark replays after a failure therefore
 * replaces its own output and never adds to it. Kafka outputs are at least once (consumers dedupe by session_id).
 */
public final class VerdictBatchWriter
        implements VoidFunction2<Dataset<Row>, Long>
{
    private final VerdictStream.Options options;
    private final StreamObserver observer;

    public VerdictBatchWriter(VerdictStream.Options options, StreamObserver observer)
    {
        this.options = requireNonNull(options, "options is null");
        this.observer = requireNonNull(observer, "observer is null");
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
            int verdictCount = 0;
            for (Row row : stamps) {
                if (WindowScorer.VERDICT.equals(row.getString(0))) {
                    verdictCount++;
                }
            }
            long[] sent = new long[verdictCount];
            long[] broker = new long[verdictCount];
            long[] features = new long[verdictCount];
            long[] scored = new long[verdictCount];
            long malicious = 0;
            int i = 0;
            for (Row row : stamps) {
                if (WindowScorer.VERDICT.equals(row.getString(0))) {
                    malicious += row.getBoolean(1) ? 1 : 0;
                    sent[i] = row.getLong(2);
                    broker[i] = row.getLong(3);
                    features[i] = row.getLong(4);
                    scored[i] = row.getLong(5);
                    i++;
                }
            }
            long dead = stamps.size() - verdictCount;
            long computed = System.nanoTime();
            long parquetNanos = 0;
            if (verdictCount > 0) {
                Dataset<Row> verdicts = batch.filter(col("kind").equalTo(WindowScorer.VERDICT)).select(verdictColumns());
                commitParquet(verdicts, batchId);
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
            observer.onBatch(System.currentTimeMillis(), sent, broker, features, scored, malicious, dead);
        }
        finally {
            batch.unpersist();
        }
    }

    private void commitParquet(Dataset<Row> verdicts, long batchId)
    {
        Path output = new Path(options.verdictsDirectory().toAbsolutePath().toUri());
        Path staging = new Path(output, "_staging/batch=" + batchId);
        try {
            FileSystem fs = output.getFileSystem(verdicts.sparkSession().sparkContext().hadoopConfiguration());
            fs.delete(staging, true);
            verdicts.write().partitionBy(VerdictColumns.DT).parquet(staging.toString());
            String prefix = String.format("part-%012d-", batchId);
            FileStatus[] earlier = fs.globStatus(new Path(output, "dt=*/" + prefix + "*.parquet"));
            if (earlier != null) {
                for (FileStatus file : earlier) {
                    fs.delete(file.getPath(), false);
                }
            }
            for (FileStatus partition : fs.listStatus(staging)) {
                String name = partition.getPath().getName();
                if (!partition.isDirectory() || !name.startsWith(VerdictColumns.DT + "=")) {
                    continue;
                }
                Path target = new Path(output, name);
                fs.mkdirs(target);
                FileStatus[] files = fs.listStatus(partition.getPath(), path -> path.getName().endsWith(".parquet"));
                Arrays.sort(files, Comparator.comparing(file -> file.getPath().getName()));
                for (int n = 0; n < files.length; n++) {
                    Path destination = new Path(target, prefix + String.format("%03d", n) + ".parquet");
                    if (!fs.rename(files[n].getPath(), destination)) {
                        throw new IOException("cannot rename " + files[n].getPath() + " to " + destination);
                    }
                }
            }
            fs.delete(staging, true);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot commit verdicts of batch " + batchId + " to " + output + ": " + e.getMessage(), e);
        }
    }
}
