package io.dragnet.nids;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scoring form of a {@link CompiledForest} when it fits: one {@code int} per node, about a quarter of the slot form's
 * size, so that the forest stays in a core's cache beside the broker and Spark.
 * <p>
 * It relies on how MLlib splits continuous features: every threshold is one of at most {@code maxBins - 1} candidate
 * cuts per feature, so a forest of tens of thousands of nodes has only a thousand or so distinct thresholds. They sit in
 * one small table; a node names its threshold by index and compares the same doubles as the slot form.
 * <p>
 * Nodes keep the forest's preorder, so a left child is the next node. An internal node packs
 * {@code [0][feature][threshold index][distance to its right child]} with widths fitted to this forest; a leaf is
 * {@code ~d}, the index of its class distribution in a table of the forest's distinct distributions (deep trees have
 * many leaves with the same counts).
 */
final class CompactForest
{
    // How far beyond the trees left a lead must be to decide a prediction: far above the rounding of the sums.
    private static final double DECIDED_MARGIN = 1e-9;

    private final int numClasses;
    private final double[] thresholds;
    private final int[] roots;
    private final int[] nodes;
    private final double[] distributions;
    private final int featureShift;
    private final int thresholdShift;
    private final int thresholdMask;
    private final int distanceMask;

    private CompactForest(int numClasses, double[] thresholds, int[] roots, int[] nodes, double[] distributions, int featureShift, int thresholdShift, int thresholdMask, int distanceMask)
    {
        this.numClasses = numClasses;
        this.thresholds = thresholds;
        this.roots = roots;
        this.nodes = nodes;
        this.distributions = distributions;
        this.featureShift = featureShift;
        this.thresholdShift = thresholdShift;
        this.thresholdMask = thresholdMask;
        this.distanceMask = distanceMask;
    }

    /**
     * The compact form of a forest given in the canonical arrays of {@link CompiledForest} (preorder), or null when
     * its features, distinct thresholds and tree sizes need more than the 31 bits of a node.
     */
    static CompactForest of(int numClasses, int numFeatures, int[] roots, int[] feature, double[] threshold, int[] left, int[] right, double[] leafValues)
    {
        double[] thresholds = thresholds(feature, threshold);
        int maxDistance = 1;
        for (int n = 0; n < feature.length; n++) {
            if (feature[n] >= 0) {
                maxDistance = Math.max(maxDistance, right[n] - n);
            }
        }
        int featureBits = bitsFor(numFeatures - 1);
        int thresholdBits = bitsFor(Math.max(0, thresholds.length - 1));
        int distanceBits = Integer.SIZE - 1 - featureBits - thresholdBits;
        if (distanceBits < bitsFor(maxDistance)) {
            return null;
        }
        Map<List<Long>, Integer> distributionIndex = new HashMap<>();
        List<Double> distributions = new ArrayList<>();
        int[] nodes = new int[feature.length];
        for (int n = 0; n < feature.length; n++) {
            if (feature[n] >= 0) {
                int index = Arrays.binarySearch(thresholds, threshold[n]);
                nodes[n] = feature[n] << (thresholdBits + distanceBits) | index << distanceBits | (right[n] - n);
            }
            else {
                List<Long> key = new ArrayList<>(numClasses);
                for (int c = 0; c < numClasses; c++) {
                    key.add(Double.doubleToRawLongBits(leafValues[left[n] + c]));
                }
                Integer index = distributionIndex.get(key);
                if (index == null) {
                    index = distributionIndex.size();
                    distributionIndex.put(key, index);
                    for (int c = 0; c < numClasses; c++) {
                        distributions.add(leafValues[left[n] + c]);
                    }
                }
                nodes[n] = ~index;
            }
        }
        return new CompactForest(numClasses, thresholds, roots.clone(), nodes, distributions.stream().mapToDouble(Double::doubleValue).toArray(),
                thresholdBits + distanceBits, distanceBits, (1 << thresholdBits) - 1, (1 << distanceBits) - 1);
    }

    /**
     * Summed class distributions of the leaves x reaches, tree by tree in tree order (MLlib's rawPrediction). Two
     * trees are walked at once: their steps do not depend on each other, so the core overlaps their loads and
     * comparisons (measured 1.17× over one tree at a time on the 30-tree forest; four at once was slower than two).
     */
    double[] votes(double[] x)
    {
        int[] nodes = this.nodes;
        double[] thresholds = this.thresholds;
        double[] votes = new double[numClasses];
        int trees = roots.length;
        int t = 0;
        for (; t + 1 < trees; t += 2) {
            int a = roots[t];
            int b = roots[t + 1];
            int nodeA = nodes[a];
            int nodeB = nodes[b];
            while ((nodeA & nodeB) >= 0) {
                if (nodeA >= 0) {
                    a = x[nodeA >>> featureShift] <= thresholds[nodeA >>> thresholdShift & thresholdMask] ? a + 1 : a + (nodeA & distanceMask);
                    nodeA = nodes[a];
                }
                if (nodeB >= 0) {
                    b = x[nodeB >>> featureShift] <= thresholds[nodeB >>> thresholdShift & thresholdMask] ? b + 1 : b + (nodeB & distanceMask);
                    nodeB = nodes[b];
                }
            }
            addDistribution(votes, nodeA);
            addDistribution(votes, nodeB);
        }
        if (t < trees) {
            addDistribution(votes, leafReached(x, roots[t]));
        }
        return votes;
    }

    /** The leaf x reaches from a tree's root: {@code ~index} of its distribution. */
    private int leafReached(double[] x, int root)
    {
        int[] nodes = this.nodes;
        double[] thresholds = this.thresholds;
        int slot = root;
        int node = nodes[slot];
        while (node >= 0) {
            slot = x[node >>> featureShift] <= thresholds[node >>> thresholdShift & thresholdMask] ? slot + 1 : slot + (node & distanceMask);
            node = nodes[slot];
        }
        return node;
    }

    private void addDistribution(double[] votes, int leaf)
    {
        int distribution = ~leaf * numClasses;
        for (int c = 0; c < numClasses; c++) {
            votes[c] += distributions[distribution + c];
        }
    }

    /**
     * The class MLlib predicts, the first with the most votes, without walking the trees that cannot change it: a
     * tree adds at most 1 to any class, so once the leader is ahead of every other class by more than the number of
     * trees left, it stays ahead.
     */
    int predict(double[] x)
    {
        double[] votes = new double[numClasses];
        int trees = roots.length;
        for (int t = 0; t < trees; t++) {
            addDistribution(votes, leafReached(x, roots[t]));
            int remaining = trees - 1 - t;
            // a lead can only exceed the trees left once more than half the trees are in
            if (remaining <= t && lead(votes) > remaining + DECIDED_MARGIN) {
                break;
            }
        }
        return CompiledForest.argmax(votes);
    }

    /** How far the class with the most votes is ahead of the next. */
    private static double lead(double[] votes)
    {
        double best = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (double vote : votes) {
            if (vote > best) {
                second = best;
                best = vote;
            }
            else if (vote > second) {
                second = vote;
            }
        }
        return best - second;
    }

    int distinctDistributions()
    {
        return distributions.length / numClasses;
    }

    /** The distinct thresholds of the internal nodes, sorted (as Arrays.sort orders doubles, so binarySearch finds each). */
    private static double[] thresholds(int[] feature, double[] threshold)
    {
        double[] values = new double[feature.length];
        int count = 0;
        for (int n = 0; n < feature.length; n++) {
            if (feature[n] >= 0) {
                values[count++] = threshold[n];
            }
        }
        return Arrays.stream(values, 0, count).sorted().distinct().toArray();
    }

    private static int bitsFor(int value)
    {
        return Math.max(1, Integer.SIZE - Integer.numberOfLeadingZeros(value));
    }
}
