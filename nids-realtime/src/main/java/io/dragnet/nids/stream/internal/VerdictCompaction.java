package io.dragnet.nids.stream.internal;

import io.dragnet.contracts.VerdictColumns;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Merges the many small files the stream leaves in a day's partition of the lake ({@code dt=<day>/}: one per Kafka
 * partition per lake batch, so tens of thousands a day at a trickle) into a few files sorted by session start, for the
 * nightly jobs that read the day.
 * <p>
 * It leaves the latest batch of every stream alone: Spark may still replay that batch, and a replay replaces its own
 * files ({@link ParquetBatchCommit}); any earlier batch is committed for good, since a stream starts a batch only once
 * the one before is committed. Files of other names (earlier compactions) are merged again.
 * <p>
 * Nothing is lost or doubled by a crash: the merged files are written aside and their rows counted against the inputs,
 * then a journal ({@code _compaction/dt=<day>.json}) names inputs and outputs before any is moved. A later run finishes
 * a journal whose outputs are all in place or staged (moves the rest, deletes the inputs), and otherwise undoes it.
 * A reader listing the day while a run moves files may see both the inputs and the outputs: run it before the day is
 * read, as the daily workflow does.
 */
public final class VerdictCompaction
{
    private static final String JOURNALS = "_compaction";
    private static final long MAX_ROWS_PER_FILE = 5_000_000;

    private VerdictCompaction() {}

    /** What a run did to one day: files found, files merged into {@code outputs}, and their rows. */
    public record Result(String day, int filesBefore, int filesMerged, List<String> outputs, long rows)
    {
        public int filesAfter()
        {
            return filesBefore - filesMerged + outputs.size();
        }
    }

    /** The journal of one run: which files replace which (names within the day's directory). */
    public record Journal(List<String> inputs, Map<String, String> stagedToOutput) {}

    /** @param verdictsLocation the lake's verdicts as a Hadoop location: {@code file:/…}, or {@code s3://…} on EMR */
    public static Result compact(SparkSession spark, String verdictsLocation, LocalDate day)
    {
        Path root = new Path(verdictsLocation);
        Path dayDirectory = new Path(root, VerdictColumns.DT + "=" + day);
        Path staging = new Path(root, "_staging/compaction-" + VerdictColumns.DT + "=" + day);
        Path journal = new Path(root, JOURNALS + "/" + VerdictColumns.DT + "=" + day + ".json");
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            recover(fs, journal, dayDirectory, staging);
            if (!fs.isDirectory(dayDirectory)) {
                return new Result(day.toString(), 0, 0, List.of(), 0);
            }
            FileStatus[] files = fs.listStatus(dayDirectory, path -> path.getName().endsWith(".parquet"));
            List<String> inputs = mergeable(files, latestBatches(fs, root, day));
            if (inputs.size() < 2) {
                return new Result(day.toString(), files.length, 0, List.of(), 0);
            }
            String[] inputPaths = inputs.stream().map(name -> new Path(dayDirectory, name).toString()).toArray(String[]::new);
            long rows = spark.read().parquet(inputPaths).count();
            fs.delete(staging, true);
            Dataset<Row> merged = spark.read().parquet(inputPaths).coalesce(1).sortWithinPartitions(VerdictColumns.START_TIME, VerdictColumns.SESSION_ID);
            ParquetBatchCommit.parquetWriter(merged).option("maxRecordsPerFile", MAX_ROWS_PER_FILE).parquet(staging.toString());
            FileStatus[] staged = fs.listStatus(staging, path -> path.getName().endsWith(".parquet"));
            Arrays.sort(staged, Comparator.comparing(file -> file.getPath().getName()));
            long stagedRows = spark.read().parquet(Arrays.stream(staged).map(file -> file.getPath().toString()).toArray(String[]::new)).count();
            if (stagedRows != rows) {
                throw new IOException("merged files hold " + stagedRows + " rows, the inputs " + rows + "; inputs kept");
            }
            String runId = UUID.randomUUID().toString();
            Map<String, String> stagedToOutput = new java.util.LinkedHashMap<>();
            for (int n = 0; n < staged.length; n++) {
                stagedToOutput.put(staged[n].getPath().getName(), String.format("compacted-%s-%03d.parquet", runId, n));
            }
            Journal plan = new Journal(inputs, stagedToOutput);
            HadoopJson.write(fs, journal, plan);
            finish(fs, plan, dayDirectory, staging);
            fs.delete(journal, false);
            fs.delete(staging, true);
            return new Result(day.toString(), files.length, inputs.size(), List.copyOf(stagedToOutput.values()), rows);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot compact " + dayDirectory + ": " + e.getMessage(), e);
        }
    }

    /** The days the lake holds, oldest first. */
    public static List<LocalDate> days(SparkSession spark, String verdictsLocation)
    {
        Path root = new Path(verdictsLocation);
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.isDirectory(root)) {
                return List.of();
            }
            List<LocalDate> days = new ArrayList<>();
            for (FileStatus entry : fs.listStatus(root, path -> day(path.getName()) != null)) {
                days.add(day(entry.getPath().getName()));
            }
            days.sort(Comparator.naturalOrder());
            return days;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** The day's files that may be merged: all but those of each stream's latest batch. */
    static List<String> mergeable(FileStatus[] files, Map<String, Long> latestBatches)
    {
        List<String> names = new ArrayList<>();
        for (FileStatus file : files) {
            String name = file.getPath().getName();
            boolean latest = ParquetBatchCommit.BatchFile.of(name)
                    .filter(batch -> batch.batchId() >= latestBatches.getOrDefault(batch.writer(), Long.MAX_VALUE))
                    .isPresent();
            if (!latest) {
                names.add(name);
            }
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /**
     * Each stream's latest batch in this day or a later one (a later batch may have written later days only). Days
     * before are not read, so a year of lake is not listed for one day: a stream's true latest batch is then at least
     * the one found, and leaving the one found alone is only more cautious.
     */
    private static Map<String, Long> latestBatches(FileSystem fs, Path root, LocalDate day)
            throws IOException
    {
        Map<String, Long> latest = new HashMap<>();
        for (FileStatus dayDirectory : fs.listStatus(root, path -> isDayFrom(path.getName(), day))) {
            for (FileStatus file : fs.listStatus(dayDirectory.getPath(), path -> path.getName().endsWith(".parquet"))) {
                ParquetBatchCommit.BatchFile.of(file.getPath().getName()).ifPresent(batch -> latest.merge(batch.writer(), batch.batchId(), Math::max));
            }
        }
        return latest;
    }

    private static boolean isDayFrom(String directoryName, LocalDate first)
    {
        LocalDate day = day(directoryName);
        return day != null && !day.isBefore(first);
    }

    /** The day a {@code dt=YYYY-MM-DD} directory holds, or null for any other name. */
    private static LocalDate day(String directoryName)
    {
        if (!directoryName.startsWith(VerdictColumns.DT + "=")) {
            return null;
        }
        try {
            return LocalDate.parse(directoryName.substring(VerdictColumns.DT.length() + 1));
        }
        catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Finishes or undoes what a run that stopped left, by its journal. */
    private static void recover(FileSystem fs, Path journalPath, Path dayDirectory, Path staging)
            throws IOException
    {
        if (fs.exists(journalPath)) {
            Journal journal = HadoopJson.read(fs, journalPath, Journal.class);
            boolean completable = journal.stagedToOutput().entrySet().stream().allMatch(move -> exists(fs, new Path(dayDirectory, move.getValue()))
                    || exists(fs, new Path(staging, move.getKey())));
            if (completable) {
                finish(fs, journal, dayDirectory, staging);
            }
            else {
                for (String output : journal.stagedToOutput().values()) {
                    fs.delete(new Path(dayDirectory, output), false);
                }
            }
            fs.delete(journalPath, false);
        }
        fs.delete(staging, true);
    }

    /** Moves the staged files into the day, then deletes the inputs: by then the outputs hold every input row. */
    private static void finish(FileSystem fs, Journal journal, Path dayDirectory, Path staging)
            throws IOException
    {
        for (Map.Entry<String, String> move : journal.stagedToOutput().entrySet()) {
            Path target = new Path(dayDirectory, move.getValue());
            if (!fs.exists(target) && !fs.rename(new Path(staging, move.getKey()), target)) {
                throw new IOException("cannot move " + move.getKey() + " to " + target);
            }
        }
        for (String input : journal.inputs()) {
            fs.delete(new Path(dayDirectory, input), false);
        }
    }

    private static boolean exists(FileSystem fs, Path path)
    {
        try {
            return fs.exists(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
