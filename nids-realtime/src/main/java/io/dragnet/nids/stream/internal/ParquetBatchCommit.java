package io.dragnet.nids.stream.internal;

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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Commits one micro-batch of verdicts to the {@code dt=}-partitioned Parquet lake exactly once: the batch is written
 * to {@code _staging/<writer>-batch=<id>/}, any files an earlier attempt of the same batch of the same writer left are
 * deleted, and the new files are renamed to {@code dt=<day>/part-<writer>-<batchId>-<n>.parquet}; a batch Spark replays
 * after a failure therefore replaces its own output and never adds to it.
 * <p>
 * The writer is the streaming query's id, which Spark keeps in the query's checkpoint: batch ids start at 0 in every
 * checkpoint, so several streams (the two modes, a demo's day, a stream started afresh) write into one lake, and a
 * batch id alone would let one stream's replay delete another's files.
 */
public final class ParquetBatchCommit
{
    /**
     * Columns with (nearly) one value per verdict: Parquet would build a dictionary for each, find it too large and
     * fall back to plain encoding, having done the work for nothing.
     */
    static final List<String> UNIQUE_COLUMNS = List.of(VerdictColumns.SESSION_ID, VerdictColumns.SRC_PORT,
            VerdictColumns.START_TIME, VerdictColumns.END_TIME, VerdictColumns.SCORE);

    // StreamExecution.QUERY_ID_KEY
    static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";
    private static final String WRITER = "[0-9A-Za-z-]+";
    private static final Pattern BATCH_FILE = Pattern.compile("part-(" + WRITER + ")-(\\d{12})-\\d{3}\\.parquet");

    private ParquetBatchCommit() {}

    /**
     * What a session of the stream's own needs before it commits batches: a writer per day open at once instead of
     * sorting each batch by day (a batch rarely spans more than two).
     */
    public static void configure(SparkSession session)
    {
        session.conf().set("spark.sql.maxConcurrentOutputFileWriters", "8");
    }

    /**
     * The id of the streaming query whose batch the calling thread runs ({@code foreachBatch} runs on the query's own
     * thread, where Spark sets it), stable across restarts from the same checkpoint.
     */
    public static String writerOfCurrentBatch(SparkSession session)
    {
        String queryId = session.sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
        if (queryId == null) {
            throw new IllegalStateException("not on a streaming query's thread: no " + QUERY_ID_PROPERTY + " to name the batch's files by");
        }
        return queryId;
    }

    /** How the lake's files are written, by a batch or a compaction. */
    static DataFrameWriter<Row> parquetWriter(Dataset<Row> verdicts)
    {
        DataFrameWriter<Row> parquet = verdicts.write();
        for (String column : UNIQUE_COLUMNS) {
            parquet = parquet.option("parquet.enable.dictionary#" + column, "false");
        }
        return parquet;
    }

    /** Which stream's which batch wrote a lake file; for a file of another name (an older form, a compaction), none. */
    public record BatchFile(String writer, long batchId)
    {
        static Optional<BatchFile> of(String fileName)
        {
            Matcher name = BATCH_FILE.matcher(fileName);
            return name.matches() ? Optional.of(new BatchFile(name.group(1), Long.parseLong(name.group(2)))) : Optional.empty();
        }
    }

    /** A writer id goes into lake file names, where {@link BatchFile} must read it back. */
    static void requireWriterId(String writer)
    {
        if (!writer.matches(WRITER)) {
            throw new IllegalArgumentException("writer id must be letters, digits and dashes: " + writer);
        }
    }

    public static void commit(Dataset<Row> verdicts, java.nio.file.Path verdictsDirectory, String writer, long batchId)
    {
        requireWriterId(writer);
        Path output = new Path(verdictsDirectory.toAbsolutePath().toUri());
        Path staging = new Path(output, "_staging/" + writer + "-batch=" + batchId);
        try {
            FileSystem fs = output.getFileSystem(verdicts.sparkSession().sparkContext().hadoopConfiguration());
            fs.delete(staging, true);
            parquetWriter(verdicts).partitionBy(VerdictColumns.DT).parquet(staging.toString());
            String prefix = String.format("part-%s-%012d-", writer, batchId);
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
