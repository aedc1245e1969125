package io.dragnet.nids.model;

import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.testing.SparkFixture;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class TestCrossValidation
{
    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @Test
    void crossValidationMeasuresEachFoldOnItsHoldoutAndOnTheStreamsPath()
    {
        List<UnswRow> rows = UnswLoader.load(UnswDatasets.trainingCsv());
        List<UnswRow> everyTenth = IntStream.range(0, rows.size()).filter(i -> i % 10 == 0).mapToObj(rows::get).toList();
        List<ModelTrainer.Fold> folds = ModelTrainer.crossValidate(SPARK.session(), everyTenth, new ModelTrainer.Parameters(FeatureSet.REPRODUCIBLE, 8, 10, 2, 4, 0.2, 42), 3);

        assertThat(folds).hasSize(3);
        assertThat(folds.stream().mapToLong(fold -> fold.holdout().total()).sum()).isEqualTo(DatasetSplit.deduplicate(everyTenth).size());
        for (ModelTrainer.Fold fold : folds) {
            assertThat(fold.streamPath().total()).isEqualTo(StreamPathCheck.SESSIONS);
            // the reproducible features score the stream's path as they score the held-out rows
            assertThat(fold.streamPath().accuracy()).isCloseTo(fold.holdout().accuracy(), Offset.offset(0.03));
        }
    }
}
