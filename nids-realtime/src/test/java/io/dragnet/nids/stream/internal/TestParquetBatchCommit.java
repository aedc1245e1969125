package io.dragnet.nids.stream.internal;

import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batches commit exactly once per writer: a replay replaces its own files and never another stream's of the same batch id. */
@Tag("integration")
class TestParquetBatchCommit
{
    private static final StructType SCHEMA = new StructType().add("session_id", DataTypes.StringType).add("dt", DataTypes.StringType);
    private static final String STREAM_A = "0b6c9f3e-5d1a-4c2b-9e8f-7a6b5c4d3e2f";
    private static final String STREAM_B = "9f8e7d6c-5b4a-4392-8172-6a5b4c3d2e1f";

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @TempDir
    Path lake;

    @Test
    void aReplayedBatchReplacesItsOwnFilesAndLeavesAnotherStreamsBatchOfTheSameId()
    {
        ParquetBatchCommit.commit(verdicts("a-1", "2018-11-01", "a-2", "2018-11-01"), lake, STREAM_A, 0);
        ParquetBatchCommit.commit(verdicts("b-1", "2018-11-02", "b-2", "2018-11-01"), lake, STREAM_B, 0);

        // stream A fails after its commit and Spark replays batch 0
        ParquetBatchCommit.commit(verdicts("a-1", "2018-11-01", "a-2", "2018-11-01"), lake, STREAM_A, 0);

        assertThat(sessionIds("2018-11-01")).containsExactly("a-1", "a-2", "b-2");
        assertThat(sessionIds("2018-11-02")).containsExactly("b-1");
        assertThat(lake.resolve("dt=2018-11-01").toFile().list((dir, name) -> name.endsWith(".parquet")))
                .allMatch(name -> name.startsWith("part-" + STREAM_A + "-000000000000-") || name.startsWith("part-" + STREAM_B + "-000000000000-"));
        assertThat(lake.resolve("_staging").toFile().list()).isEmpty();
    }

    @Test
    void writerIdsNameFilesSoOnlyLettersDigitsAndDashesAreTaken()
    {
        assertThatThrownBy(() -> ParquetBatchCommit.commit(verdicts("x", "2018-11-01"), lake, "../elsewhere", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("../elsewhere");
    }

    @Test
    void aBatchOutsideAStreamingQueryHasNoWriter()
    {
        assertThatThrownBy(() -> ParquetBatchCommit.writerOfCurrentBatch(SPARK.session()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("streaming query");
    }

    private static Dataset<Row> verdicts(String... idsAndDays)
    {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < idsAndDays.length; i += 2) {
            rows.add(RowFactory.create(idsAndDays[i], idsAndDays[i + 1]));
        }
        return SPARK.session().createDataFrame(rows, SCHEMA);
    }

    private List<String> sessionIds(String day)
    {
        String[] ids = SPARK.session().read().parquet(lake.resolve("dt=" + day).toString()).select("session_id").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList().toArray(String[]::new);
        Arrays.sort(ids);
        return List.of(ids);
    }
}
