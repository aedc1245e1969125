package io.dragnet.nids.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.nids.model.ModelTrainer;
import io.dragnet.nids.model.NidsModelStore;
import io.dragnet.nids.model.StreamPathCheck;
import io.dragnet.nids.stream.LocalSpark;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dragnet nids train}: fit the random forest, save a new model version with its feature list and holdout metrics. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the random forest on the UNSW-NB15 CSV (deduplicated, stratified 80/20 split, fixed seed) and save a new model version.")
public final class NidsTrainCommand
        implements Callable<Integer>
{
    @Mixin
    private TrainingOptions training;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        Path data = training.data();
        List<UnswRow> rows = UnswLoader.load(data);
        DragnetHome home = DragnetHome.fromEnvironment();
        NidsModelStore store = new NidsModelStore(home.models());
        SparkSession spark = LocalSpark.session();
        long started = System.nanoTime();
        ModelTrainer.Trained trained = ModelTrainer.train(spark, rows, training.parameters(), store.nextVersion(), data.getFileName().toString());
        Path saved = store.save(trained.model(), training.parameters().toMap());
        out.printf("model %s saved to %s (trained in %.1f s)%n", trained.model().version(), saved, (System.nanoTime() - started) / 1e9);
        out.printf("%,d rows, %,d after removing duplicates; trained on %,d, held out %,d (stratified, seed %d)%n",
                rows.size(), trained.split().training().size() + trained.split().holdout().size(), trained.split().training().size(),
                trained.split().holdout().size(), training.parameters().seed());
        out.printf("features: %s (%d)%n", training.parameters().featureSet().label(), training.parameters().featureSet().size());
        out.print(trained.holdout().format());
        out.print(StreamPathCheck.describe(trained.streamPath()));
        out.print(trained.categoryHoldout().describe());
        out.flush();
        return 0;
    }
}
