package io.dragnet.nids.stream.internal;

import io.dragnet.contracts.VerdictColumns;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.model.StumpModel;
import io.dragnet.nids.features.WindowHistory;
import io.dragnet.testing.SparkFixture;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scoring task's own lake commits: the lake's values and files, exactly once across stops at any point. */
@Tag("integration")
class TestPartitionLake
{
    private static final NidsModel MODEL = StumpModel.onSourceConnections("v-stump");
    private static final String WRITER = "0b6c9f3e-5d1a-4c2b-9e8f-7a6b5c4d3e2f";
    private static final Configuration CONF = new Configuration();

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @TempDir
    Path directory;

    @Test
    void aScorersLakeRowHoldsTheValuesTheLakeParsesFromItsVerdict()
    {
        PartitionScorer scorer = new PartitionScorer(MODEL, WindowHistory.NONE, () -> 5L, true);
        List<String> lines = TestPartitionScorer.lines(500);
        int categorized = 0;
        for (int offset = 0; offset < lines.size(); offset++) {
            PartitionScorer.Scored scored = scorer.score(3, offset, lines.get(offset), 9L);
            Object[] parsed = LakeRows.parse(true, scored.value()).values();
            InternalRow row = scored.lakeRow();
            assertThat(row.numFields()).isEqualTo(LakeRows.SCHEMA.size() - 1);
            for (int column = 0; column < row.numFields(); column++) {
                assertThat(row.get(column, LakeRows.SCHEMA.fields()[column].dataType())).as("%s of offset %d", LakeRows.SCHEMA.fields()[column].name(), offset)
                        .isEqualTo(parsed[column]);
            }
            assertThat(scored.day()).isEqualTo(parsed[LakeRows.SCHEMA.size() - 1].toString());
            categorized += parsed[LakeRows.index(VerdictColumns.ATTACK_CATEGORY)] == null ? 0 : 1;
        }
        assertThat(categorized).isBetween(1, lines.size() - 1);
    }

    @Test
    void aCommitPutsEachDaysVerdictsInOneFileNamedByStreamPartitionAndFirstOffsetThatSparkReads()
    {
        PartitionLake lake = recover(3);
        lake.verdict(10, "2018-11-01", row("s-10", 1, false));
        lake.verdict(11, "2018-11-02", row("s-11", 2, true));
        lake.deadLetter(12);
        lake.verdict(13, "2018-11-01", row("s-13", 3, true));
        assertThat(lakeFiles()).isEmpty();

        lake.commit();

        assertThat(lakeFiles()).containsExactlyInAnyOrder(
                "dt=2018-11-01/part-" + WRITER + "-p3-000000000010-000.parquet",
                "dt=2018-11-02/part-" + WRITER + "-p3-000000000010-000.parquet");
        // a stopped stream leaves no empty staging folder behind
        assertThat(lakeDirectory().resolve("_staging/" + WRITER + "-p3")).doesNotExist();
        assertThat(ParquetBatchCommit.BatchFile.of("part-" + WRITER + "-p3-000000000010-000.parquet"))
                .contains(new ParquetBatchCommit.BatchFile(WRITER + "-p3", 10));
        Dataset<Row> read = SPARK.session().read().parquet(lakeDirectory().toString());
        assertThat(read.schema().fieldNames()).containsExactly(LakeRows.SCHEMA.fieldNames());
        assertThat(read.select(VerdictColumns.SESSION_ID, VerdictColumns.DT, VerdictColumns.SCORE).collectAsList()).map(row -> row.mkString("|"))
                .containsExactlyInAnyOrder("s-10|2018-11-01|1.0", "s-11|2018-11-02|2.0", "s-13|2018-11-01|3.0");
        assertThat(PartitionLake.committed(CONF, journals().toUri())).isEqualTo(Map.of(3, lake.lastCommit()));
        assertThat(lake.lastCommit()).extracting(LakeJournal::firstOffset, LakeJournal::lastOffset, LakeJournal::verdicts, LakeJournal::malicious,
                LakeJournal::deadLetters).containsExactly(10L, 13L, 3L, 2L, 1L);
    }

    @Test
    void theNewestJournalsAreListedByPartitionAndOneReplacedSinceReadsAsGone()
    {
        PartitionLake first = recover(0);
        PartitionLake second = recover(1);
        first.verdict(0, "2018-11-02", row("s-0", 0, false));
        first.commit();
        second.verdict(7, "2018-11-02", row("s-7", 0, true));
        second.commit();

        Map<Integer, org.apache.hadoop.fs.FileStatus> listed = PartitionLake.newestJournals(CONF, journals().toUri());
        assertThat(listed.keySet()).containsExactlyInAnyOrder(0, 1);
        assertThat(listed.get(1).getPath().getName()).isEqualTo(String.format("%019d.json", 7));
        assertThat(PartitionLake.readJournal(CONF, listed.get(1))).contains(second.lastCommit());

        first.verdict(1, "2018-11-02", row("s-1", 0, false));
        first.commit();
        assertThat(PartitionLake.readJournal(CONF, listed.get(0))).isEmpty();
        assertThat(PartitionLake.readJournal(CONF, PartitionLake.newestJournals(CONF, journals().toUri()).get(0))).contains(first.lastCommit());
    }

    @Test
    void recordsTheLakeHoldsAreNotNewAfterARestartAndCannotBeAddedAgain()
    {
        PartitionLake lake = recover(0);
        for (long offset = 0; offset < 10; offset++) {
            lake.verdict(offset, "2018-11-02", row("s-" + offset, offset, false));
        }
        lake.commit();

        PartitionLake restarted = recover(0);

        assertThat(restarted.isNew(9)).isFalse();
        assertThat(restarted.isNew(10)).isTrue();
        assertThatThrownBy(() -> restarted.verdict(5, "2018-11-02", row("s-5", 5, false)))
                .hasMessage("offset 5 of sessions partition 0 is already in the lake");
        restarted.verdict(10, "2018-11-02", row("s-10", 10, false));
        restarted.commit();
        assertThat(sessionIds()).hasSize(11).doesNotHaveDuplicates();
        assertThat(restarted.lastCommit().verdicts()).isEqualTo(11);
        assertThat(journalFiles(0)).containsExactly(String.format("%019d.json", 10));
    }

    @Test
    void anEpochThatNeverCommittedLeavesNothingAndItsRecordsAreNewAgain()
            throws IOException
    {
        PartitionLake lake = recover(1);
        lake.verdict(0, "2018-11-02", row("s-0", 0, false));
        lake.commit();
        lake.verdict(1, "2018-11-02", row("s-1", 1, false));
        lake.verdict(2, "2018-11-02", row("s-2", 2, false));
        // the task stops here: its staged file is never committed
        assertThat(stagedFiles()).hasSize(1);

        PartitionLake restarted = recover(1);

        assertThat(stagedFiles()).isEmpty();
        assertThat(restarted.isNew(1)).isTrue();
        assertThat(sessionIds()).containsExactly("s-0");
    }

    @Test
    void aTaskThatStoppedAfterItsJournalHasItsMovesFinishedByTheNext()
            throws IOException
    {
        PartitionLake lake = recover(2);
        lake.verdict(0, "2018-11-02", row("s-0", 0, false));
        lake.verdict(1, "2018-11-03", row("s-1", 1, false));
        lake.commit();
        // as if the task stopped between the journal and the second move: put that file back where it was staged
        LakeJournal.Move undone = lake.lastCommit().moves().get(1);
        Path staged = Path.of(java.net.URI.create(undone.staged()));
        Files.createDirectories(staged.getParent());
        Files.move(Path.of(java.net.URI.create(undone.target())), staged);
        assertThat(sessionIds()).containsExactly("s-0");

        PartitionLake restarted = recover(2);

        assertThat(sessionIds()).containsExactlyInAnyOrder("s-0", "s-1");
        assertThat(stagedFiles()).isEmpty();
        assertThat(restarted.isNew(1)).isFalse();
    }

    @Test
    void aTaskWritesTheLakeAtTheEndOfEachEpochAndARestartedOneAddsOnlyWhatTheLakeLacks()
    {
        List<String> partition = TestPartitionScorer.lines(300);
        ContinuousScoring.DirectLake target = new ContinuousScoring.DirectLake(lakeDirectory().toUri().toString(), journals().toUri().toString(), WRITER);
        ContinuousScoring task = new ContinuousScoring(() -> MODEL, () -> WindowHistory.NONE, "verdicts", "dead-letters", target);
        epoch(task, partition, 0, 120);
        assertThat(sessionIds()).hasSize(120);
        epoch(task, partition, 120, 200);

        // Spark restarts the task from its last committed epoch, which may be before the lake's last commit
        ContinuousScoring restarted = new ContinuousScoring(() -> MODEL, () -> WindowHistory.NONE, "verdicts", "dead-letters", target);
        epoch(restarted, partition, 150, 300);

        assertThat(sessionIds()).hasSize(300).doesNotHaveDuplicates();
        assertThat(PartitionLake.committed(CONF, journals().toUri()).get(4).verdicts()).isEqualTo(300);
    }

    @Test
    void theCompactionMergesTheScorersFilesOfADayButEachPartitionsNewest()
    {
        PartitionLake first = recover(0);
        PartitionLake second = recover(1);
        int id = 0;
        for (long commit = 0; commit < 3; commit++) {
            for (PartitionLake lake : List.of(first, second)) {
                for (long offset = commit * 10; offset < commit * 10 + 4; offset++) {
                    lake.verdict(offset, "2018-11-02", row("s-" + id++, offset, false));
                }
                lake.commit();
            }
        }
        List<String> before = lakeFiles();

        VerdictCompaction.Result result = VerdictCompaction.compact(SPARK.session(), lakeDirectory().toUri().toString(), java.time.LocalDate.parse("2018-11-02"));

        assertThat(result.filesMerged()).isEqualTo(4);
        assertThat(result.rows()).isEqualTo(16);
        assertThat(lakeFiles()).hasSize(3).contains(
                "dt=2018-11-02/part-" + WRITER + "-p0-000000000020-000.parquet", "dt=2018-11-02/part-" + WRITER + "-p1-000000000020-000.parquet");
        assertThat(before).hasSize(6);
        assertThat(sessionIds()).hasSize(24).doesNotHaveDuplicates();
    }

    private static void epoch(ContinuousScoring task, List<String> partition, int from, int to)
    {
        List<Row> records = new ArrayList<>();
        for (int offset = from; offset < to; offset++) {
            records.add(RowFactory.create(partition.get(offset).getBytes(StandardCharsets.UTF_8), 9L, 4, (long) offset));
        }
        Iterator<Row> output = task.call(records.iterator());
        int sent = 0;
        while (output.hasNext()) {
            assertThat(new String((byte[]) output.next().get(3), StandardCharsets.UTF_8)).contains("\"kafka_offset\":" + (from + sent));
            sent++;
        }
        // every record goes to the topic, re-sent or not: the topic is at least once
        assertThat(sent).isEqualTo(to - from);
    }

    private PartitionLake recover(int partition)
    {
        return PartitionLake.recover(CONF, lakeDirectory().toUri(), journals().toUri(), WRITER, partition);
    }

    /** A lake row with a session id, score and class, the other columns null. */
    static InternalRow row(String sessionId, double score, boolean malicious)
    {
        Object[] values = new Object[LakeParquet.DATA_SCHEMA.size()];
        values[LakeRows.index(VerdictColumns.SESSION_ID)] = org.apache.spark.unsafe.types.UTF8String.fromString(sessionId);
        values[LakeRows.index(VerdictColumns.SCORE)] = score;
        values[LakeRows.index(VerdictColumns.PREDICTED_MALICIOUS)] = malicious;
        return new org.apache.spark.sql.catalyst.expressions.GenericInternalRow(values);
    }

    private List<String> sessionIds()
    {
        if (lakeFiles().isEmpty()) {
            return List.of();
        }
        return SPARK.session().read().parquet(lakeDirectory().toString()).select(VerdictColumns.SESSION_ID).as(Encoders.STRING()).collectAsList();
    }

    private Path lakeDirectory()
    {
        return directory.resolve("lake");
    }

    private Path journals()
    {
        return directory.resolve("checkpoint/scoring-lake");
    }

    private List<String> lakeFiles()
    {
        return files(lakeDirectory()).stream().filter(name -> name.startsWith("dt=")).toList();
    }

    private List<String> stagedFiles()
    {
        return files(lakeDirectory().resolve("_staging")).stream().filter(name -> name.endsWith(".parquet")).toList();
    }

    private List<String> journalFiles(int partition)
    {
        return files(journals().resolve("p" + partition)).stream().filter(name -> !name.contains("/")).toList();
    }

    private static List<String> files(Path root)
    {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(path -> root.relativize(path).toString())
                    .filter(name -> !name.endsWith(".crc") && !name.contains("/.") && !name.startsWith("."))
                    .toList();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
