package io.dragnet.nids.model;

import io.dragnet.nids.cli.Choices;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which of the UNSW-NB15 features ({@link ModelFeatures#NAMES}) a model reads. The stream computes six of the
 * dataset's window counts differently from the dataset's own (unpublished) code — see the README's comparison on the
 * raw file — so a model that leans on them scores the stream worse than its holdout promises.
 */
public enum FeatureSet
{
    /** All 42 features of the partitioned file: best on the dataset's own values. */
    ALL(Set.of()),
    /** The 36 features the stream computes as the dataset does: without the six window counts no causal window reproduces. */
    REPRODUCIBLE(Set.of("ct_srv_src", "ct_srv_dst", "ct_dst_ltm", "ct_src_ltm", "ct_src_dport_ltm", "ct_dst_src_ltm"));

    private final List<String> names;
    private final int[] positions;

    FeatureSet(Set<String> left)
    {
        this.names = ModelFeatures.NAMES.stream().filter(name -> !left.contains(name)).toList();
        this.positions = names.stream().mapToInt(ModelFeatures.NAMES::indexOf).toArray();
    }

    /** The features read, in the order of {@link ModelFeatures#NAMES}. */
    public List<String> names()
    {
        return names;
    }

    public int size()
    {
        return names.size();
    }

    /** The value of each read feature, taken from a vector of all 42 features. */
    public double[] select(double[] allFeatures)
    {
        if (positions.length == allFeatures.length) {
            return allFeatures;
        }
        double[] selected = new double[positions.length];
        for (int i = 0; i < positions.length; i++) {
            selected[i] = allFeatures[positions[i]];
        }
        return selected;
    }

    public static Optional<FeatureSet> withNames(List<String> names)
    {
        return Arrays.stream(values()).filter(set -> set.names.equals(names)).findFirst();
    }

    /** The name used on the command line and in model.json. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FeatureSet> withLabel(String label)
    {
        return Arrays.stream(values()).filter(set -> set.label().equals(label)).findFirst();
    }

    /** What a wrong label is told: the labels there are, and what it got. */
    public static String unknownLabel(String label)
    {
        return Choices.expected(Arrays.stream(values()).map(FeatureSet::label).toList(), label);
    }
}
