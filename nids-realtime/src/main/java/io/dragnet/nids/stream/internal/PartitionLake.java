package io.dragnet.nids.stream.internal;

import io.dragnet.contracts.VerdictColumns;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The lake files of one sessions partition, written by the scoring task itself: verdicts go into a staged Parquet file
 * per day as they are scored, and {@link #commit} (at the end of each epoch, before Spark may commit the epoch's
 * offsets) closes them, writes the {@link LakeJournal}, then moves them to
 * {@code dt=<day>/part-<writer>-p<partition>-<first offset>-000.parquet}.
 * <p>
 * Exactly once: after a restart Spark replays from the last committed epoch, which may be before the last lake
 * commit; {@link #isNew} tells the task which records the lake already holds. A task that stopped mid-epoch left only
 * staged files, which {@link #recover} deletes; one that stopped after its journal was written has its moves finished.
 */
public final class PartitionLake
{
    private static final String JOURNAL_SUFFIX = ".json";
    /** Each listing that misses its newest journal saw a commit happen: more than a few in a row means something else is wrong. */
    private static final int MAX_LISTINGS = 10;
    private static final int PREDICTED_MALICIOUS = LakeRows.index(VerdictColumns.PREDICTED_MALICIOUS);

    private final FileSystem fs;
    private final Configuration conf;
    private final Path lake;
    private final Path staging;
    private final Path journals;
    private final String writer;
    private final int partition;
    private final Map<String, Staged> open = new LinkedHashMap<>();
    private LakeJournal committed;
    private long firstOffset = -1;
    private long lastOffset = -1;
    private long verdicts;
    private long malicious;
    private long deadLetters;

    private record Staged(Path file, LakeFileWriter writer) {}

    private PartitionLake(FileSystem fs, Configuration conf, Path lake, Path journals, String writer, int partition, LakeJournal committed)
    {
        this.fs = fs;
        this.conf = conf;
        this.lake = lake;
        this.staging = staging(lake, writer, partition);
        this.journals = journals;
        this.writer = writer;
        this.partition = partition;
        this.committed = committed;
    }

    /**
     * The lake of one partition as its last run left it: the latest journal's moves finished, older journals and
     * staged files no journal names deleted.
     *
     * @param journalRoot the stream's directory of journals (one subdirectory per partition)
     * @param writer the stream's id, stable across restarts (the scoring query's id)
     */
    public static PartitionLake recover(Configuration conf, URI lakeDirectory, URI journalRoot, String writer, int partition)
    {
        ParquetBatchCommit.requireWriterId(requireNonNull(writer, "writer is null"));
        Path lake = new Path(lakeDirectory);
        Path journals = journals(journalRoot, partition);
        try {
            FileSystem fs = lake.getFileSystem(conf);
            LakeJournal latest = latest(fs, journals);
            finishMoves(fs, latest);
            fs.delete(staging(lake, writer, partition), true);
            deleteJournalsBefore(fs, journals, latest.lastOffset());
            return new PartitionLake(fs, conf, lake, journals, writer, partition, latest);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot recover the lake of sessions partition " + partition + " under " + lakeDirectory + ": " + e.getMessage(), e);
        }
    }

    /** The latest commit of each partition under a stream's journal root: how far the lake has every partition. */
    public static Map<Integer, LakeJournal> committed(Configuration conf, URI journalRoot)
    {
        Map<Integer, LakeJournal> byPartition = new LinkedHashMap<>();
        try {
            FileSystem fs = new Path(journalRoot).getFileSystem(conf);
            for (Map.Entry<Integer, Path> partition : partitionJournals(fs, journalRoot).entrySet()) {
                LakeJournal latest = latest(fs, partition.getValue());
                if (latest != LakeJournal.NONE) {
                    byPartition.put(partition.getKey(), latest);
                }
            }
            return byPartition;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read lake journals under " + journalRoot + ": " + e.getMessage(), e);
        }
    }

    /**
     * The newest journal file of each partition under a stream's journal root, listed, not read: its name changes with
     * every commit ({@link #lastOffsetOf}), so a watcher reads only what is new ({@link #readJournal}).
     */
    public static Map<Integer, FileStatus> newestJournals(Configuration conf, URI journalRoot)
    {
        Map<Integer, FileStatus> byPartition = new LinkedHashMap<>();
        try {
            FileSystem fs = new Path(journalRoot).getFileSystem(conf);
            for (Map.Entry<Integer, Path> partition : partitionJournals(fs, journalRoot).entrySet()) {
                newest(fs, partition.getValue()).ifPresent(file -> byPartition.put(partition.getKey(), file));
            }
            return byPartition;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list lake journals under " + journalRoot + ": " + e.getMessage(), e);
        }
    }

    /** Each partition's journal directory under a stream's journal root (p0, p1, …). */
    private static Map<Integer, Path> partitionJournals(FileSystem fs, URI journalRoot)
            throws IOException
    {
        Path root = new Path(journalRoot);
        Map<Integer, Path> byPartition = new LinkedHashMap<>();
        if (fs.exists(root)) {
            for (FileStatus directory : fs.listStatus(root, path -> path.getName().matches("p\\d+"))) {
                byPartition.put(Integer.parseInt(directory.getPath().getName().substring(1)), directory.getPath());
            }
        }
        return byPartition;
    }

    /** The last offset a journal commits, as its name says: known without reading it. */
    public static long lastOffsetOf(FileStatus journal)
    {
        String name = journal.getPath().getName();
        return Long.parseLong(name.substring(0, name.length() - JOURNAL_SUFFIX.length()));
    }

    private static String journalName(long lastOffset)
    {
        return String.format("%019d", lastOffset) + JOURNAL_SUFFIX;
    }

    /**
     * A journal {@link #newestJournals} listed; empty when the task deleted it since, having committed a newer one (a
     * later listing finds that).
     */
    public static Optional<LakeJournal> readJournal(Configuration conf, FileStatus journal)
    {
        try {
            return Optional.of(HadoopJson.read(journal.getPath().getFileSystem(conf), journal.getPath(), LakeJournal.class));
        }
        catch (FileNotFoundException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read lake journal " + journal.getPath() + ": " + e.getMessage(), e);
        }
    }

    /** Whether a record at this offset is not in the lake yet. */
    public boolean isNew(long offset)
    {
        return offset > Math.max(committed.lastOffset(), lastOffset);
    }

    public LakeJournal lastCommit()
    {
        return committed;
    }

    /** A verdict's row (the lake's data columns) to commit with the epoch. */
    public void verdict(long offset, String day, InternalRow row)
    {
        requireNew(offset);
        Staged staged = open.get(day);
        try {
            if (staged == null) {
                Path file = new Path(staging, VerdictColumns.DT + "=" + day + "-" + offset + ".parquet");
                staged = new Staged(file, LakeParquet.create(file, conf));
                open.put(day, staged);
            }
            staged.writer().write(row);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write a verdict of sessions partition " + partition + " to " + staging + ": " + e.getMessage(), e);
        }
        advance(offset);
        verdicts++;
        malicious += !row.isNullAt(PREDICTED_MALICIOUS) && row.getBoolean(PREDICTED_MALICIOUS) ? 1 : 0;
    }

    /** A record that was dead-lettered: nothing in the lake, but the lake has it accounted for. */
    public void deadLetter(long offset)
    {
        requireNew(offset);
        advance(offset);
        deadLetters++;
    }

    private void requireNew(long offset)
    {
        if (!isNew(offset)) {
            throw new IllegalArgumentException("offset " + offset + " of sessions partition " + partition + " is already in the lake");
        }
    }

    private void advance(long offset)
    {
        if (firstOffset < 0) {
            firstOffset = offset;
        }
        lastOffset = offset;
    }

    /** Makes everything added since the last commit part of the lake; nothing to do when nothing was added. */
    public void commit()
    {
        if (firstOffset < 0) {
            return;
        }
        try {
            List<LakeJournal.Move> moves = new ArrayList<>();
            for (Map.Entry<String, Staged> entry : open.entrySet()) {
                entry.getValue().writer().close();
                Path target = new Path(new Path(lake, VerdictColumns.DT + "=" + entry.getKey()),
                        String.format("part-%s-p%d-%012d-000.parquet", writer, partition, firstOffset));
                moves.add(new LakeJournal.Move(entry.getValue().file().toString(), target.toString()));
            }
            open.clear();
            LakeJournal next = new LakeJournal(firstOffset, lastOffset, committed.verdicts() + verdicts, committed.malicious() + malicious,
                    committed.deadLetters() + deadLetters, moves);
            HadoopJson.write(fs, new Path(journals, journalName(lastOffset)), next);
            finishMoves(fs, next);
            // its files all moved: else every stream that ever ran leaves an empty folder behind
            fs.delete(staging, true);
            fs.delete(new Path(journals, journalName(committed.lastOffset())), false);
            committed = next;
            firstOffset = -1;
            lastOffset = -1;
            verdicts = 0;
            malicious = 0;
            deadLetters = 0;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot commit verdicts of sessions partition " + partition + " to " + lake + ": " + e.getMessage(), e);
        }
    }

    private static Path staging(Path lake, String writer, int partition)
    {
        return new Path(lake, "_staging/" + writer + "-p" + partition);
    }

    private static Path journals(URI journalRoot, int partition)
    {
        return new Path(new Path(journalRoot), "p" + partition);
    }

    /**
     * The newest journal of a partition. A reader beside the running task (the watcher) may list a journal the task
     * deletes before it is read, once a newer one is written: it lists again.
     */
    private static LakeJournal latest(FileSystem fs, Path journals)
            throws IOException
    {
        for (int attempt = 1; ; attempt++) {
            Optional<FileStatus> newest = newest(fs, journals);
            if (newest.isEmpty()) {
                return LakeJournal.NONE;
            }
            try {
                return HadoopJson.read(fs, newest.get().getPath(), LakeJournal.class);
            }
            catch (FileNotFoundException e) {
                if (attempt == MAX_LISTINGS) {
                    throw e;
                }
            }
        }
    }

    private static Optional<FileStatus> newest(FileSystem fs, Path journals)
            throws IOException
    {
        if (!fs.exists(journals)) {
            return Optional.empty();
        }
        FileStatus[] files = fs.listStatus(journals, path -> path.getName().endsWith(JOURNAL_SUFFIX) && !path.getName().startsWith("."));
        return Arrays.stream(files).max(Comparator.comparing(file -> file.getPath().getName()));
    }

    private static void finishMoves(FileSystem fs, LakeJournal journal)
            throws IOException
    {
        for (LakeJournal.Move move : journal.moves()) {
            Path staged = new Path(move.staged());
            Path target = new Path(move.target());
            if (fs.exists(target)) {
                continue;
            }
            fs.mkdirs(target.getParent());
            if (!fs.rename(staged, target)) {
                throw new IOException("cannot move " + staged + " to " + target);
            }
        }
    }

    private static void deleteJournalsBefore(FileSystem fs, Path journals, long lastOffset)
            throws IOException
    {
        if (!fs.exists(journals)) {
            return;
        }
        for (FileStatus file : fs.listStatus(journals)) {
            String name = file.getPath().getName();
            boolean older = name.endsWith(JOURNAL_SUFFIX) && !name.startsWith(".") && lastOffsetOf(file) < lastOffset;
            if (older || name.startsWith(".")) {
                fs.delete(file.getPath(), false);
            }
        }
    }
}
