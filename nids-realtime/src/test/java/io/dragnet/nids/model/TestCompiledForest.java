package io.dragnet.nids.model;

import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The compiled forest predicts exactly what MLlib's forest predicts, on every row of the UNSW-NB15 file. */
@Tag("integration")
class TestCompiledForest
{
    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();
    private static List<UnswRow> rows;
    private static ModelTrainer.Trained trained;

    @BeforeAll
    static void train()
    {
        rows = UnswLoader.load(UnswDatasets.trainingCsv());
        trained = ModelTrainer.train(SPARK.session(), rows, new ModelTrainer.Parameters(FeatureSet.ALL, 15, 14, 2, 4, 0.2, 42), "test", "test");
    }

    @Test
    void predictionsAndProbabilitiesEqualTheLibrarysOnTheWholeFile()
            throws Exception
    {
        RandomForestClassificationModel library = trained.library();
        CompiledForest compiled = trained.model().binary();
        ModelFeatures features = trained.model().features();
        assertThat(compiled.numTrees()).isEqualTo(15);
        assertThat(compiled.isCompact()).isTrue();
        CompiledForest slotForm = compiled.withSlotForm();
        assertThat(slotForm.isCompact()).isFalse();
        long malicious = 0;
        for (UnswRow row : rows) {
            double[] x = features.vector(row);
            Vector vector = Vectors.dense(x);
            int expected = (int) library.predict(vector);
            double[] votes = compiled.votes(x);
            assertThat(slotForm.votes(x)).as("slot-form votes of %s", row.session().sessionId()).containsExactly(votes);
            assertThat(CompiledForest.argmax(votes)).as("prediction of %s", row.session().sessionId()).isEqualTo(expected);
            assertThat(votes).as("votes of %s", row.session().sessionId()).containsExactly(library.predictRaw(vector).toArray());
            assertThat(CompiledForest.probability(votes, 1)).isEqualTo(library.predictProbability(vector).apply(1));
            malicious += expected;
        }
        // Both classes occur, so the comparison covers both branches of every decision.
        assertThat(malicious).isBetween(1L, (long) rows.size() - 1);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        compiled.write(new DataOutputStream(bytes));
        CompiledForest reread = CompiledForest.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        CompiledForest deserialized = javaRoundTrip(compiled);
        assertThat(deserialized.isCompact()).isTrue();
        for (UnswRow row : rows.subList(0, 2_000)) {
            double[] x = features.vector(row);
            assertThat(reread.votes(x)).containsExactly(compiled.votes(x));
            assertThat(deserialized.votes(x)).containsExactly(compiled.votes(x));
        }
    }

    /** As a Spark broadcast travels: Java serialisation. */
    private static CompiledForest javaRoundTrip(CompiledForest forest)
            throws Exception
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(forest);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (CompiledForest) in.readObject();
        }
    }

    @Test
    void holdoutFiguresAreMeasuredOnRowsNeverSeenInTraining()
    {
        ClassificationMetrics holdout = trained.holdout();
        assertThat(holdout.total()).isEqualTo(trained.split().holdout().size());
        assertThat(ModelTrainer.evaluate(trained.model().features(), trained.model().binary(), trained.split().holdout())).isEqualTo(holdout);
        // Even this small forest is far better than chance on the deduplicated holdout.
        assertThat(holdout.accuracy()).isGreaterThan(0.85);
        assertThat(trained.model().categories()).contains("Exploits", "Generic");
    }
}
