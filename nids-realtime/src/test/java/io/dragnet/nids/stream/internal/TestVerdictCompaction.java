package io.dragnet.nids.stream.internal;

import io.dragnet.contracts.Json;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A day's small files merge into one sorted file, every row exactly once, leaving what a stream may still replay; crashes are finished or undone. */
@Tag("integration")
class TestVerdictCompaction
{
    private static final StructType SCHEMA = new StructType()
            .add("session_id", DataTypes.StringType)
            .add("start_time", DataTypes.TimestampType)
            .add("dt", DataTypes.StringType);
    private static final String STREAM_A = "0b6c9f3e-5d1a-4c2b-9e8f-7a6b5c4d3e2f";
    private static final String STREAM_B = "9f8e7d6c-5b4a-4392-8172-6a5b4c3d2e1f";
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @TempDir
    Path lake;

    private final List<String> expected = new ArrayList<>();

    /** Stream A committed batches 0-2 to the day (batch 1 also one row to the next day), stream B batches 0-1. */
    @BeforeEach
    void lakeOfTwoStreams()
    {
        batch(STREAM_A, 0, 9, false);
        batch(STREAM_A, 1, 5, true);
        batch(STREAM_A, 2, 1, false);
        batch(STREAM_B, 0, 7, false);
        batch(STREAM_B, 1, 1, false);
    }

    @Test
    void mergesAllButEachStreamsLatestBatchIntoOneSortedFileAndARerunChangesNothing()
            throws IOException
    {
        List<String> before = files(DAY);

        VerdictCompaction.Result result = VerdictCompaction.compact(SPARK.session(), lake.toUri().toString(), DAY);

        assertThat(result.filesMerged()).isEqualTo(before.size() - 2);
        assertThat(result.rows()).isEqualTo(9 + 5 + 7);
        assertThat(files(DAY)).hasSize(3).anyMatch(name -> name.startsWith("compacted-"))
                .contains(only(before, "part-" + STREAM_A + "-000000000002-"), only(before, "part-" + STREAM_B + "-000000000001-"));
        assertThat(sessionIds(DAY)).containsExactlyInAnyOrderElementsOf(expected);
        Dataset<Row> compacted = SPARK.session().read().parquet(lake.resolve("dt=" + DAY).resolve(result.outputs().get(0)).toString());
        assertThat(compacted.columns()).containsExactly("session_id", "start_time");
        List<Timestamp> starts = compacted.select("start_time").as(org.apache.spark.sql.Encoders.TIMESTAMP()).collectAsList();
        assertThat(starts).isSortedAccordingTo(Timestamp::compareTo);
        assertThat(files(DAY.plusDays(1))).hasSize(1);
        assertThat(lake.resolve("_compaction")).isEmptyDirectory();

        VerdictCompaction.Result rerun = VerdictCompaction.compact(SPARK.session(), lake.toUri().toString(), DAY);

        assertThat(rerun.filesMerged()).isZero();
        assertThat(files(DAY)).hasSize(3);
        assertThat(sessionIds(DAY)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aRunThatStoppedAfterItsJournalIsFinishedByTheNext()
            throws IOException
    {
        // stopped after moving its output and deleting one of two inputs: stream A's batch 0 merged into one file
        List<String> inputs = files(DAY).stream().filter(name -> name.startsWith("part-" + STREAM_A + "-000000000000-")).toList();
        assertThat(inputs).hasSizeGreaterThan(1);
        Path merged = lake.resolve("dt=" + DAY).resolve("compacted-stopped-000.parquet");
        SPARK.session().read().parquet(inputs.stream().map(name -> lake.resolve("dt=" + DAY).resolve(name).toString()).toArray(String[]::new))
                .coalesce(1).write().parquet(lake.resolve("_staging/stopped").toString());
        Files.move(parquetFiles(lake.resolve("_staging/stopped")).get(0), merged);
        journal(new VerdictCompaction.Journal(inputs, Map.of("staged-000.parquet", merged.getFileName().toString())));
        Files.delete(lake.resolve("dt=" + DAY).resolve(inputs.get(0)));

        VerdictCompaction.compact(SPARK.session(), lake.toUri().toString(), DAY);

        assertThat(sessionIds(DAY)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(lake.resolve("_compaction")).isEmptyDirectory();
    }

    @Test
    void aRunThatStoppedBeforeItsOutputWasStagedIsUndone()
            throws IOException
    {
        List<String> inputs = files(DAY).stream().filter(name -> name.startsWith("part-" + STREAM_B + "-000000000000-")).toList();
        journal(new VerdictCompaction.Journal(inputs, Map.of("staged-000.parquet", "compacted-lost-000.parquet")));

        VerdictCompaction.compact(SPARK.session(), lake.toUri().toString(), DAY);

        assertThat(sessionIds(DAY)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aDayWithoutFilesIsLeftAsItIs()
    {
        VerdictCompaction.Result result = VerdictCompaction.compact(SPARK.session(), lake.toUri().toString(), DAY.minusDays(1));

        assertThat(result.filesBefore()).isZero();
        assertThat(VerdictCompaction.days(SPARK.session(), lake.toUri().toString())).containsExactly(DAY, DAY.plusDays(1));
    }

    private void batch(String stream, long batchId, int rows, boolean alsoNextDay)
    {
        String[] idsAndStarts = new String[rows * 2 + (alsoNextDay ? 2 : 0)];
        for (int i = 0; i < rows; i++) {
            String id = stream.substring(0, 1) + batchId + "-" + i;
            idsAndStarts[2 * i] = id;
            // starts out of order across batches, so the merge has something to sort
            idsAndStarts[2 * i + 1] = String.format("2018-11-02T%02d:%02d:00", (rows - i) % 24, (int) batchId * 7 % 60);
            expected.add(id);
        }
        if (alsoNextDay) {
            idsAndStarts[rows * 2] = "next-day";
            idsAndStarts[rows * 2 + 1] = "2018-11-03T00:00:01";
        }
        ParquetBatchCommit.commit(verdicts(idsAndStarts), lake, stream, batchId);
    }

    private static Dataset<Row> verdicts(String... idsAndStarts)
    {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < idsAndStarts.length; i += 2) {
            Timestamp start = Timestamp.from(java.time.Instant.parse(idsAndStarts[i + 1] + "Z"));
            rows.add(RowFactory.create(idsAndStarts[i], start, idsAndStarts[i + 1].substring(0, 10)));
        }
        // several tasks, so that one batch leaves several files in a day, as the stream's do
        return SPARK.session().createDataFrame(rows, SCHEMA).repartition(3);
    }

    private void journal(VerdictCompaction.Journal journal)
            throws IOException
    {
        Files.createDirectories(lake.resolve("_compaction"));
        Files.writeString(lake.resolve("_compaction/dt=" + DAY + ".json"), Json.mapper().writeValueAsString(journal));
    }

    private List<String> files(LocalDate day)
            throws IOException
    {
        return parquetFiles(lake.resolve("dt=" + day)).stream().map(path -> path.getFileName().toString()).sorted().toList();
    }

    private static List<Path> parquetFiles(Path directory)
            throws IOException
    {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".parquet")).toList();
        }
    }

    private static String only(List<String> names, String prefix)
    {
        List<String> matching = names.stream().filter(name -> name.startsWith(prefix)).toList();
        assertThat(matching).as("files starting %s", prefix).hasSize(1);
        return matching.get(0);
    }

    private List<String> sessionIds(LocalDate day)
    {
        String[] ids = SPARK.session().read().parquet(lake.resolve("dt=" + day).toString()).select("session_id").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList().toArray(String[]::new);
        Arrays.sort(ids);
        return List.of(ids);
    }
}
