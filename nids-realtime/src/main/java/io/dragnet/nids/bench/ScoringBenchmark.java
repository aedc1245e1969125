package io.dragnet.nids.bench;

import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.nids.model.CompiledForest;
import io.dragnet.nids.model.FeatureSet;
import io.dragnet.nids.model.ModelFeatures;
import io.dragnet.nids.model.ModelTrainer;
import io.dragnet.nids.stream.LocalSpark;
import io.dragnet.storage.BenchmarkResults;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.SparkSession;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Scoring throughput of the compiled forest against Spark MLlib's own single-row {@code predict} of the same forest,
 * on every row of the UNSW-NB15 file, one thread each, after a warm-up pass that also checks that every prediction
 * agrees. The compiled forest is timed three ways: walking every tree for the votes (what the stream does for a session's
 * probability, the headline ratio), predicting the class only, which stops once the trees left cannot change it, and
 * the votes walked with a branch per step as before the branch-free walk (its baseline in the same run).
 * The scorers take turns, a pass each per round; the ratios are the median and the lowest of the rounds' ratios.
 * Prints a table and one JSON line. The defaults are the trained model's (ModelTrainer.Parameters.defaults(): 30 trees, depth 16) and 7 rounds.
 * <p>
 * {@code java … io.dragnet.nids.bench.ScoringBenchmark [trees] [maxDepth] [rounds] [all|reproducible]}
 */
public final class ScoringBenchmark
{
    private ScoringBenchmark() {}

    public static void main(String[] args)
    {
        int trees = args.length > 0 ? Integer.parseInt(args[0]) : ModelTrainer.Parameters.defaults().trees();
        int maxDepth = args.length > 1 ? Integer.parseInt(args[1]) : ModelTrainer.Parameters.defaults().maxDepth();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        FeatureSet featureSet = args.length > 3
                ? FeatureSet.withLabel(args[3]).orElseThrow(() -> new IllegalArgumentException("feature set: " + FeatureSet.unknownLabel(args[3])))
                : ModelTrainer.Parameters.defaults().featureSet();
        SparkSession spark = LocalSpark.session();
        try {
            List<UnswRow> rows = UnswLoader.load(UnswDatasets.trainingCsv());
            ModelTrainer.Parameters defaults = ModelTrainer.Parameters.defaults();
            ModelTrainer.Trained trained = ModelTrainer.train(spark, rows, new ModelTrainer.Parameters(featureSet, trees, maxDepth, 2, 2, defaults.holdoutFraction(), defaults.seed()),
                    "benchmark", UnswDatasets.trainingCsv().getFileName().toString());
            Map<String, Object> result = run(trained.library(), trained.model().binary(), trained.model().features(), rows, rounds);
            printTable(result);
            System.out.printf("%,d rows × %d rounds, %d trees, max depth %d, %s features, %,d nodes, disagreements %d%n",
                    rows.size(), rounds, trees, maxDepth, featureSet.label(), trained.model().binary().numNodes(), (long) result.get("disagreements"));
            BenchmarkResults.record(result, "ScoringBenchmark " + String.join(" ", args), new PrintWriter(System.out, true));
        }
        finally {
            spark.stop();
        }
    }

    private static void printTable(Map<String, Object> result)
    {
        double[] library = (double[]) result.get("library_rows_per_second_by_round");
        double[] votes = (double[]) result.get("compiled_rows_per_second_by_round");
        double[] predict = (double[]) result.get("compiled_predict_rows_per_second_by_round");
        double[] branching = (double[]) result.get("compiled_branching_rows_per_second_by_round");
        double[] votesRatios = ratios(votes, library);
        double[] predictRatios = ratios(predict, library);
        double[] branchingRatios = ratios(branching, library);
        System.out.printf("%-6s %14s %14s %7s %16s %7s %17s %7s%n", "round", "MLlib rows/s", "votes rows/s", "ratio", "predict rows/s", "ratio",
                "branching rows/s", "ratio");
        for (int round = 0; round < library.length; round++) {
            System.out.printf("%-6d %,14.0f %,14.0f %6.1f× %,16.0f %6.1f× %,17.0f %6.1f×%n", round + 1, library[round], votes[round], votesRatios[round],
                    predict[round], predictRatios[round], branching[round], branchingRatios[round]);
        }
        System.out.printf("%-6s %,14.0f %,14.0f %6.1f× %,16.0f %6.1f× %,17.0f %6.1f×   (median; lowest votes ratio %.1f×; branch-free walk %.2f× the branching one)%n", "median",
                (double) result.get("library_rows_per_second"), (double) result.get("compiled_rows_per_second"), (double) result.get("ratio"),
                (double) result.get("compiled_predict_rows_per_second"), (double) result.get("predict_ratio"),
                (double) result.get("compiled_branching_rows_per_second"), median(branchingRatios), (double) result.get("ratio_min"),
                (double) result.get("walk_ratio"));
    }

    public static Map<String, Object> run(RandomForestClassificationModel library, CompiledForest compiled, ModelFeatures features, List<UnswRow> rows, int rounds)
    {
        double[][] vectors = rows.stream().map(features::vector).toArray(double[][]::new);
        Vector[] libraryVectors = new Vector[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            libraryVectors[i] = Vectors.dense(vectors[i]);
        }
        long disagreements = 0;
        for (int i = 0; i < vectors.length; i++) {
            int expected = (int) library.predict(libraryVectors[i]);
            double[] votes = compiled.votes(vectors[i]);
            if (expected != CompiledForest.argmax(votes) || expected != compiled.predict(vectors[i])
                    || !Arrays.equals(votes, compiled.votesBranching(vectors[i]))) {
                disagreements++;
            }
        }
        // The scorers take turns, one pass each per round, so a drift of the machine's speed hits all three alike and
        // each round's ratio compares neighbouring minutes.
        double[] libraryRates = new double[rounds];
        double[] votesRates = new double[rounds];
        double[] predictRates = new double[rounds];
        double[] branchingRates = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            libraryRates[round] = timeLibrary(library, libraryVectors);
            // every tree, as the stream scores a session: the votes give its probability, their argmax its class
            votesRates[round] = timeCompiled(x -> CompiledForest.argmax(compiled.votes(x)), vectors);
            // the class only, which may stop before the last tree (as the attack category is predicted)
            predictRates[round] = timeCompiled(compiled::predict, vectors);
            // every tree, walked with a branch per step as before: the baseline of the branch-free walk
            branchingRates[round] = timeCompiled(x -> CompiledForest.argmax(compiled.votesBranching(x)), vectors);
        }
        double[] votesRatios = ratios(votesRates, libraryRates);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "nids-scoring");
        result.put("rows", vectors.length);
        result.put("rounds", rounds);
        result.put("trees", compiled.numTrees());
        result.put("nodes", compiled.numNodes());
        result.put("features", features.featureSet().label());
        result.put("library_rows_per_second", median(libraryRates));
        result.put("compiled_rows_per_second", median(votesRates));
        result.put("ratio", median(votesRatios));
        result.put("ratio_min", Arrays.stream(votesRatios).min().orElseThrow());
        result.put("compiled_predict_rows_per_second", median(predictRates));
        result.put("predict_ratio", median(ratios(predictRates, libraryRates)));
        result.put("compiled_branching_rows_per_second", median(branchingRates));
        result.put("walk_ratio", median(ratios(votesRates, branchingRates)));
        result.put("library_rows_per_second_by_round", libraryRates);
        result.put("compiled_rows_per_second_by_round", votesRates);
        result.put("compiled_predict_rows_per_second_by_round", predictRates);
        result.put("compiled_branching_rows_per_second_by_round", branchingRates);
        result.put("disagreements", disagreements);
        return result;
    }

    private static double timeLibrary(RandomForestClassificationModel library, Vector[] vectors)
    {
        double sink = 0;
        long started = System.nanoTime();
        for (Vector vector : vectors) {
            sink += library.predict(vector);
        }
        return rate(vectors.length, started, sink);
    }

    /**
     * Rows per second of one way to score with the compiled forest. The three ways share this loop, so its call to
     * {@code scorer} is not inlined for any of them: a few nanoseconds per row that count against the compiled forest.
     */
    private static double timeCompiled(ToIntFunction<double[]> scorer, double[][] vectors)
    {
        double sink = 0;
        long started = System.nanoTime();
        for (double[] vector : vectors) {
            sink += scorer.applyAsInt(vector);
        }
        return rate(vectors.length, started, sink);
    }

    private static double[] ratios(double[] rates, double[] baseline)
    {
        double[] ratios = new double[rates.length];
        for (int i = 0; i < rates.length; i++) {
            ratios[i] = rates[i] / baseline[i];
        }
        return ratios;
    }

    private static double median(double[] values)
    {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double rate(int rows, long started, double sink)
    {
        double seconds = (System.nanoTime() - started) / 1e9;
        if (sink < 0) {
            throw new IllegalStateException("unreachable: keeps the predictions alive");
        }
        return rows / seconds;
    }
}
