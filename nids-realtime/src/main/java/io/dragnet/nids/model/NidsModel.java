package io.dragnet.nids.model;

import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.features.ConnectionFeatures;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A trained NIDS model ready to score in-process: the feature encoding, a binary forest (normal / malicious) and a
 * forest naming the attack category of malicious sessions. {@code metrics} are the holdout figures it was saved with.
 */
public record NidsModel(
        String version,
        ModelFeatures features,
        CompiledForest binary,
        CompiledForest category,
        List<String> categories,
        Map<String, Object> metrics)
        implements Serializable, VerdictScorer
{
    public NidsModel
    {
        requireNonNull(version, "version is null");
        requireNonNull(features, "features is null");
        requireNonNull(binary, "binary is null");
        requireNonNull(category, "category is null");
        categories = List.copyOf(categories);
        metrics = Map.copyOf(metrics);
        for (CompiledForest forest : List.of(binary, category)) {
            if (forest.numFeatures() != features.featureSet().size()) {
                throw new IllegalArgumentException("a forest reads " + forest.numFeatures() + " features, the " + features.featureSet().label()
                        + " feature set has " + features.featureSet().size());
            }
        }
        if (category.numClasses() != categories.size()) {
            throw new IllegalArgumentException("category forest has " + category.numClasses() + " classes for " + categories.size() + " names");
        }
    }

    /**
     * One line naming the model, its feature set and, when its metrics hold them, its figures on the stream's path
     * ({@link StreamPathCheck}); a model of all 42 features says that the stream computes six of them otherwise.
     */
    public String describe()
    {
        StringBuilder line = new StringBuilder(version).append(" (").append(features.featureSet().label()).append(" features");
        if (metrics.get("stream_path") instanceof Map<?, ?> path
                && path.get("accuracy") instanceof Number accuracy && path.get("false_positive_rate") instanceof Number falsePositiveRate) {
            line.append(String.format(Locale.ROOT, "; on the stream's path accuracy %.3f, FPR %.3f", accuracy.doubleValue(), falsePositiveRate.doubleValue()));
        }
        line.append(')');
        if (features.featureSet() == FeatureSet.ALL) {
            line.append("; it reads six window counts the stream computes otherwise than the dataset, so its verdicts flag more normal traffic"
                    + " than its holdout says: `dragnet nids train` makes a model of the reproducible features");
        }
        return line.toString();
    }

    /** A verdict for one session: probability of malicious, the decision, and the attack category when malicious. */
    public record Verdict(double score, boolean malicious, String attackCategory) {}

    public Verdict score(SensorSession session, ConnectionFeatures connection)
    {
        return score(features.vector(session, connection));
    }

    @Override
    public List<Verdict> score(List<double[]> vectors)
    {
        return vectors.stream().map(this::score).toList();
    }

    public Verdict score(double[] vector)
    {
        double[] votes = binary.votes(vector);
        boolean malicious = CompiledForest.argmax(votes) == 1;
        String attackCategory = malicious ? categories.get(category.predict(vector)) : null;
        return new Verdict(CompiledForest.probability(votes, 1), malicious, attackCategory);
    }
}
