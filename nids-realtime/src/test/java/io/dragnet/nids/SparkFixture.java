package io.dragnet.nids;

import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.nids.model.FeatureSet;
import io.dragnet.nids.model.ModelTrainer;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.model.NidsModelStore;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The small local SparkSession every Spark test here uses: 2 threads (more for continuous queries), UI off, bound to 127.0.0.1. */
public final class SparkFixture
{
    private SparkFixture() {}

    public static SparkSession start()
    {
        return start(2);
    }

    /** @param threads task slots: a continuous query holds one per Kafka partition for its whole life */
    public static SparkSession start(int threads)
    {
        return SparkSession.builder()
                .master("local[" + threads + "]")
                .appName("nids-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    /**
     * A session of a test class's own, started before its first test and stopped after its last:
     * {@code @RegisterExtension static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();}
     */
    public static final class PerClass
            implements BeforeAllCallback, AfterAllCallback
    {
        private SparkSession session;

        public SparkSession session()
        {
            if (session == null) {
                throw new IllegalStateException("the Spark session starts before the class's first test");
            }
            return session;
        }

        @Override
        public void beforeAll(ExtensionContext context)
        {
            session = start();
        }

        @Override
        public void afterAll(ExtensionContext context)
        {
            session.stop();
            session = null;
        }
    }

    /** A small model (fewer, shallower trees than the default) saved under the home, so pipeline tests skip training. */
    static NidsModel saveSmallModel(SparkSession spark, io.dragnet.contracts.DragnetHome home)
    {
        java.util.List<UnswRow> rows = UnswLoader.load(UnswDatasets.trainingCsv());
        ModelTrainer.Parameters parameters = new ModelTrainer.Parameters(FeatureSet.REPRODUCIBLE, 8, 10, 4, 8, 0.2, 42);
        NidsModelStore store = new NidsModelStore(home.models());
        NidsModel model = ModelTrainer.train(spark, rows, parameters, store.nextVersion(), "test").model();
        store.save(model, parameters.toMap());
        return model;
    }
}
