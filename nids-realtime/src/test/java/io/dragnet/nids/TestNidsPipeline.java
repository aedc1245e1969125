package io.dragnet.nids;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.VerdictColumns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class TestNidsPipeline
{
    @TempDir
    static Path home;

    private static SparkSession spark;

    @BeforeAll
    static void start()
    {
        spark = SparkFixture.start();
    }

    @AfterAll
    static void stop()
    {
        try {
            LocalKafkaBroker.stop(new DragnetHome(home));
        }
        finally {
            spark.stop();
        }
    }

    @Test
    void runDayScoresEverySessionOnceAndWritesTheDayPartition()
    {
        DragnetHome dragnetHome = new DragnetHome(home);
        NidsModel model = SparkFixture.saveSmallModel(spark, dragnetHome);
        LocalDate day = LocalDate.parse("2018-11-02");

        NidsDayResult result = NidsPipeline.runDay(spark, dragnetHome, day, 2_000, 0, new PrintWriter(System.err, true));

        assertThat(result.sessions()).isEqualTo(2_000);
        assertThat(result.verdicts()).isEqualTo(2_000);
        assertThat(result.deadLetters()).isZero();
        assertThat(result.malicious()).isBetween(1L, 1_999L);
        assertThat(result.modelVersion()).isEqualTo(model.version());
        assertThat(result.endToEnd().count()).isEqualTo(2_000);
        assertThat(result.verdictsDirectory()).isEqualTo(dragnetHome.lake().resolve("nids_verdicts/dt=2018-11-02"));

        Dataset<Row> written = spark.read().parquet(dragnetHome.lake().resolve("nids_verdicts").toString());
        String[] expected = Stream.concat(VerdictColumns.SCHEMA.stream().map(field -> field.name()), Stream.of(VerdictColumns.DT)).toArray(String[]::new);
        assertThat(written.columns()).containsExactlyInAnyOrder(expected);
        assertThat(written.count()).isEqualTo(2_000);
        assertThat(written.select(VerdictColumns.SESSION_ID).distinct().count()).isEqualTo(2_000);
        assertThat(written.filter(written.col(VerdictColumns.DT).cast("string").notEqual("2018-11-02")).count()).isZero();
        System.err.println("runDay: " + io.dragnet.contracts.Json.write(result.toMap()));
        System.err.println(Arrays.toString(written.columns()));

        // A second run of the same day replaces the partition instead of adding to it.
        NidsDayResult again = NidsPipeline.runDay(spark, dragnetHome, day, 500, 0, new PrintWriter(System.err, true));
        assertThat(again.verdicts()).isEqualTo(500);
        assertThat(spark.read().parquet(dragnetHome.lake().resolve("nids_verdicts").toString()).count()).isEqualTo(500);
    }
}
