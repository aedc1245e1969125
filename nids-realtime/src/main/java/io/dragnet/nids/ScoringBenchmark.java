package io.dragnet.nids;

import io.dragnet.contracts.Json;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.SparkSession;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scoring throughput of the compiled forest against Spark MLlib's own single-row {@code predict} of the same forest,
 * on every row of the UNSW-NB15 file, one thread each, all measured in this run after a warm-up pass; also checks
 * that every prediction agrees. The compiled forest is timed twice: walking every tree for the votes (what the stream
 * does for a session's probability, the headline ratio) and predicting the class only, which stops once the trees
 * left cannot change it. Prints a table and one JSON line.
 * <p>
 * {@code java … io.dragnet.nids.ScoringBenchmark [trees] [maxDepth] [passes]}
 */
public final class ScoringBenchmark
{
    private ScoringBenchmark() {}

    public static void main(String[] args)
    {
        int trees = args.length > 0 ? Integer.parseInt(args[0]) : ModelTrainer.Parameters.defaults().trees();
        int maxDepth = args.length > 1 ? Integer.parseInt(args[1]) : ModelTrainer.Parameters.defaults().maxDepth();
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        SparkSession spark = LocalSpark.session();
        try {
            List<UnswRow> rows = UnswLoader.load(RepositoryPaths.trainingCsv());
            ModelTrainer.Parameters defaults = ModelTrainer.Parameters.defaults();
            ModelTrainer.Trained trained = ModelTrainer.train(spark, rows, new ModelTrainer.Parameters(trees, maxDepth, 2, 2, defaults.holdoutFraction(), defaults.seed()),
                    "benchmark", RepositoryPaths.trainingCsv().getFileName().toString());
            Map<String, Object> result = run(trained.library(), trained.model().binary(), trained.model().features(), rows, passes);
            System.out.printf("%-22s %14s  %s%n", "scorer", "rows/s (1 thread)", "vs MLlib");
            System.out.printf("%-22s %,14.0f%n", "MLlib predict(Vector)", (double) result.get("library_rows_per_second"));
            System.out.printf("%-22s %,14.0f  %.1f×%n", "compiled votes", (double) result.get("compiled_rows_per_second"), (double) result.get("ratio"));
            System.out.printf("%-22s %,14.0f  %.1f×%n", "compiled predict", (double) result.get("compiled_predict_rows_per_second"), (double) result.get("predict_ratio"));
            System.out.printf("%,d rows × %d passes, %d trees, max depth %d, %,d nodes, disagreements %d%n",
                    rows.size(), passes, trees, maxDepth, trained.model().binary().numNodes(), (long) result.get("disagreements"));
            System.out.println(Json.mapper().copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).valueToTree(result).toString());
        }
        finally {
            spark.stop();
        }
    }

    public static Map<String, Object> run(RandomForestClassificationModel library, CompiledForest compiled, ModelFeatures features, List<UnswRow> rows, int passes)
    {
        double[][] vectors = rows.stream().map(features::vector).toArray(double[][]::new);
        Vector[] libraryVectors = new Vector[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            libraryVectors[i] = Vectors.dense(vectors[i]);
        }
        long disagreements = 0;
        for (int i = 0; i < vectors.length; i++) {
            int expected = (int) library.predict(libraryVectors[i]);
            if (expected != CompiledForest.argmax(compiled.votes(vectors[i])) || expected != compiled.predict(vectors[i])) {
                disagreements++;
            }
        }
        double libraryRate = timeLibrary(library, libraryVectors, passes);
        double compiledRate = timeCompiledVotes(compiled, vectors, passes);
        double predictRate = timeCompiledPredict(compiled, vectors, passes);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "nids-scoring");
        result.put("rows", vectors.length);
        result.put("passes", passes);
        result.put("trees", compiled.numTrees());
        result.put("nodes", compiled.numNodes());
        result.put("library_rows_per_second", libraryRate);
        result.put("compiled_rows_per_second", compiledRate);
        result.put("ratio", compiledRate / libraryRate);
        result.put("compiled_predict_rows_per_second", predictRate);
        result.put("predict_ratio", predictRate / libraryRate);
        result.put("disagreements", disagreements);
        return result;
    }

    private static double timeLibrary(RandomForestClassificationModel library, Vector[] vectors, int passes)
    {
        double sink = 0;
        long started = System.nanoTime();
        for (int pass = 0; pass < passes; pass++) {
            for (Vector vector : vectors) {
                sink += library.predict(vector);
            }
        }
        return rate(vectors.length, passes, started, sink);
    }

    /** All trees, as the stream scores a session: the votes give its probability, their argmax its class. */
    private static double timeCompiledVotes(CompiledForest compiled, double[][] vectors, int passes)
    {
        double sink = 0;
        long started = System.nanoTime();
        for (int pass = 0; pass < passes; pass++) {
            for (double[] vector : vectors) {
                sink += CompiledForest.argmax(compiled.votes(vector));
            }
        }
        return rate(vectors.length, passes, started, sink);
    }

    /** The class only, which may stop before the last tree (as the attack category is predicted). */
    private static double timeCompiledPredict(CompiledForest compiled, double[][] vectors, int passes)
    {
        double sink = 0;
        long started = System.nanoTime();
        for (int pass = 0; pass < passes; pass++) {
            for (double[] vector : vectors) {
                sink += compiled.predict(vector);
            }
        }
        return rate(vectors.length, passes, started, sink);
    }

    private static double rate(int rows, int passes, long started, double sink)
    {
        double seconds = (System.nanoTime() - started) / 1e9;
        if (sink < 0) {
            throw new IllegalStateException("unreachable: keeps the predictions alive");
        }
        return rows * (double) passes / seconds;
    }
}
