package io.dragnet.nids.cli;

import io.dragnet.contracts.Json;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.nids.model.ClassificationMetrics;
import io.dragnet.nids.model.ModelTrainer;
import io.dragnet.nids.model.StreamPathCheck;
import io.dragnet.nids.stream.LocalSpark;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code dragnet nids evaluate}: holdout figures after deduplication (stratified split, fixed seed) and stratified k-fold
 * cross-validation, as a table and one JSON line.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Accuracy, precision, recall, F1, false-positive rate and confusion matrix on a deduplicated stratified holdout, plus k-fold cross-validation.")
public final class NidsEvaluateCommand
        implements Callable<Integer>
{
    @Mixin
    private TrainingOptions training;

    @Option(names = "--folds", defaultValue = "5", description = "Folds of the cross-validation; 0 skips it (default ${DEFAULT-VALUE}).")
    private int folds;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        List<UnswRow> rows = UnswLoader.load(training.data());
        SparkSession spark = LocalSpark.session();
        ModelTrainer.Trained trained = ModelTrainer.train(spark, rows, training.parameters(), "evaluation", training.data().getFileName().toString());
        out.printf("%s: %,d rows, %,d after removing duplicates (same features, category and label)%n", training.data(), rows.size(),
                trained.split().training().size() + trained.split().holdout().size());
        out.printf("features: %s (%d)%n", training.parameters().featureSet().label(), training.parameters().featureSet().size());
        out.printf("holdout: %,d rows, stratified 20%%, seed %d; trained on %,d%n", trained.split().holdout().size(), training.parameters().seed(),
                trained.split().training().size());
        out.print(trained.holdout().format());
        out.print(StreamPathCheck.describe(trained.streamPath()));
        out.print(trained.categoryHoldout().describe());
        out.flush();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", training.data().toString());
        json.put("parameters", training.parameters().toMap());
        json.put("holdout", trained.holdout().toMap());
        json.put("stream_path", trained.streamPath().toMap());
        json.put("category_holdout", trained.categoryHoldout().toMap());
        if (folds > 1) {
            List<ModelTrainer.Fold> results = ModelTrainer.crossValidate(spark, rows, training.parameters(), folds);
            out.printf("%d-fold stratified cross-validation (deduplicated rows; stream path: %,d sessions derived from each fold's held-out rows)%n",
                    folds, StreamPathCheck.SESSIONS);
            out.printf("  fold  accuracy  precision  recall     F1        FPR       stream accuracy  stream FPR%n");
            ClassificationMetrics total = new ClassificationMetrics(0, 0, 0, 0);
            ClassificationMetrics streamTotal = new ClassificationMetrics(0, 0, 0, 0);
            for (int i = 0; i < results.size(); i++) {
                ClassificationMetrics fold = results.get(i).holdout();
                ClassificationMetrics stream = results.get(i).streamPath();
                total = total.plus(fold);
                streamTotal = streamTotal.plus(stream);
                out.printf("  %4d  %.4f    %.4f     %.4f     %.4f    %.4f    %.4f           %.4f%n", i + 1, fold.accuracy(), fold.precision(), fold.recall(), fold.f1(),
                        fold.falsePositiveRate(), stream.accuracy(), stream.falsePositiveRate());
            }
            double mean = results.stream().mapToDouble(fold -> fold.holdout().accuracy()).average().orElse(0);
            double sd = Math.sqrt(results.stream().mapToDouble(fold -> Math.pow(fold.holdout().accuracy() - mean, 2)).sum() / Math.max(1, results.size() - 1));
            out.printf("  pooled: accuracy %.4f (mean %.4f, sd %.4f), FPR %.4f, F1 %.4f; stream path accuracy %.4f, FPR %.4f%n", total.accuracy(), mean, sd,
                    total.falsePositiveRate(), total.f1(), streamTotal.accuracy(), streamTotal.falsePositiveRate());
            json.put("cross_validation", Map.of("folds", folds, "pooled", total.toMap(), "stream_path_pooled", streamTotal.toMap(), "accuracy_mean", mean,
                    "accuracy_sd", sd, "per_fold", results.stream().map(fold -> Map.of("holdout", fold.holdout().toMap(), "stream_path", fold.streamPath().toMap())).toList()));
        }
        out.println(Json.writeCompact(json));
        return 0;
    }
}
