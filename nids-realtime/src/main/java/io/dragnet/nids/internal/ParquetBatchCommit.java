package io.dragnet.nids.internal;

import io.dragnet.contracts.VerdictColumns;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Commits one micro-batch of verdicts to the {@code dt=}-partitioned Parquet lake exactly once: the batch is written
 * to {@code _staging/batch=<id>/}, any files an earlier attempt of the same batch id left are deleted, and the new
 * files are renamed to {@code dt=<day>/part-<batchId>-<n>.parquet}; a batch Spark replays after a failure therefore
 * replaces its own output and never adds to it.
 */
public final class ParquetBatchCommit
{
    /**
     * Columns with (nearly) one value per verdict: Parquet would build a dictionary for each, find it too large and
     * fall back to plain encoding, having done the work for nothing.
     */
    private static final List<String> UNIQUE_COLUMNS = List.of(VerdictColumns.SESSION_ID, VerdictColumns.SRC_PORT,
            VerdictColumns.START_TIME, VerdictColumns.END_TIME, VerdictColumns.SCORE);

    private ParquetBatchCommit() {}

    /**
     * What a session of the stream's own needs before it commits batches: a writer per day open at once instead of
     * sorting each batch by day (a batch rarely spans more than two).
     */
    public static void configure(SparkSession session)
    {
        session.conf().set("spark.sql.maxConcurrentOutputFileWriters", "8");
    }

    public static void commit(Dataset<Row> verdicts, java.nio.file.Path verdictsDirectory, long batchId)
    {
        Path output = new Path(verdictsDirectory.toAbsolutePath().toUri());
        Path staging = new Path(output, "_staging/batch=" + batchId);
        try {
            FileSystem fs = output.getFileSystem(verdicts.sparkSession().sparkContext().hadoopConfiguration());
            fs.delete(staging, true);
            DataFrameWriter<Row> writer = verdicts.write().partitionBy(VerdictColumns.DT);
            for (String column : UNIQUE_COLUMNS) {
                writer = writer.option("parquet.enable.dictionary#" + column, "false");
            }
            writer.parquet(staging.toString());
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
