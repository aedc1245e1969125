package io.dragnet.nids;

import org.apache.spark.sql.SparkSession;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class TestCrossValidation
{
    private static SparkSession spark;

    @BeforeAll
    static void start()
    {
        spark = SparkFixture.start();
    }

    @AfterAll
    static void stop()
    {
        spark.stop();
    }

    @Test
    void crossValidationMeasuresEachFoldOnItsHoldoutAndOnTheStreamsPath()
    {
        List<UnswRow> rows = UnswLoader.load(RepositoryPaths.trainingCsv());
        List<UnswRow> everyTenth = IntStream.range(0, rows.size()).filter(i -> i % 10 == 0).mapToObj(rows::get).toList();
        List<ModelTrainer.Fold> folds = ModelTrainer.crossValidate(spark, everyTenth, new ModelTrainer.Parameters(FeatureSet.REPRODUCIBLE, 8, 10, 2, 4, 0.2, 42), 3);

        assertThat(folds).hasSize(3);
        assertThat(folds.stream().mapToLong(fold -> fold.holdout().total()).sum()).isEqualTo(DatasetSplit.deduplicate(everyTenth).size());
        for (ModelTrainer.Fold fold : folds) {
            assertThat(fold.streamPath().total()).isEqualTo(StreamPathCheck.SESSIONS);
            // the reproducible features score the stream's path as they score the held-out rows
            assertThat(fold.streamPath().accuracy()).isCloseTo(fold.holdout().accuracy(), Offset.offset(0.03));
        }
    }
}
