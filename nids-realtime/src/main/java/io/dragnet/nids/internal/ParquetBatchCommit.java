package io.dragnet.nids.internal;

import io.dragnet.contracts.VerdictColumns;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Commits one micro-batch of verdicts to the {@code dt=}-partitioned Parquet lake exactly once: the batch is written
 * to {@code _staging/batch=<id>/}, any files an earlier attempt of the same batch id left are deleted, and the new
 * files are renamed to {@code dt=<day>/part-<batchId>-<n>.parquet}; a batch Spark replays after a failure therefore
 * replaces its own output and never adds to it.
 */
public final class ParquetBatchCommit
{
    private ParquetBatchCommit() {}

    public static void commit(Dataset<Row> verdicts, java.nio.file.Path verdictsDirectory, long batchId)
    {
        commit(verdicts, verdictsDirectory, batchId, null);
    }

    /**
     * @param days the batch's days when the caller knows them: each is written on its own, which spares the sort by
     *        day a partitioned write does; null to let Spark partition by {@code dt}
     */
    public static void commit(Dataset<Row> verdicts, java.nio.file.Path verdictsDirectory, long batchId, java.util.Set<String> days)
    {
        Path output = new Path(verdictsDirectory.toAbsolutePath().toUri());
        Path staging = new Path(output, "_staging/batch=" + batchId);
        try {
            FileSystem fs = output.getFileSystem(verdicts.sparkSession().sparkContext().hadoopConfiguration());
            fs.delete(staging, true);
            if (days == null) {
                verdicts.write().partitionBy(VerdictColumns.DT).parquet(staging.toString());
            }
            else {
                for (String day : days) {
                    verdicts.where(org.apache.spark.sql.functions.col(VerdictColumns.DT).equalTo(day)).drop(VerdictColumns.DT)
                            .write().parquet(new Path(staging, VerdictColumns.DT + "=" + day).toString());
                }
            }
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
