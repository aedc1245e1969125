package io.dragnet.nids;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.nids.model.FeatureSet;
import io.dragnet.nids.model.ModelTrainer;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.model.NidsModelStore;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/** Models for pipeline tests, so they skip the default model's training. */
public final class SmallModels
{
    private SmallModels() {}

    /** A small model (fewer, shallower trees than the default) saved under the home. */
    public static NidsModel save(SparkSession spark, DragnetHome home)
    {
        List<UnswRow> rows = UnswLoader.load(UnswDatasets.trainingCsv());
        ModelTrainer.Parameters parameters = new ModelTrainer.Parameters(FeatureSet.REPRODUCIBLE, 8, 10, 4, 8, 0.2, 42);
        NidsModelStore store = new NidsModelStore(home.models());
        NidsModel model = ModelTrainer.train(spark, rows, parameters, store.nextVersion(), "test").model();
        store.save(model, parameters.toMap());
        return model;
    }
}
