package io.dragnet.nids.model;

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
 * Nodes keep the forest's preorder, so a left child is the next node. A split packs
 * {@code [0][feature][threshold index][distance to its right child]} with widths fitted to this forest. A leaf packs
 * the same way with the feature one past the last, distance 0: the branch-free walk gives it NaN there, which is not
 * {@code <=} any threshold, so a step from a leaf stays on it and a walk can take as many steps as the deepest tree
 * without asking where it is. The leaf's class distribution is found through {@code leafDistribution}, indexing a
 * table of the forest's distinct distributions (deep trees have many leaves with the same counts).
 */
final class PackedNodeForest
{
    // How far beyond the trees left a lead must be to decide a prediction: far above the rounding of the sums.
    private static final double DECIDED_MARGIN = 1e-9;
    // Trees walked side by side in votes(): enough independent walks to keep the core busy while each waits on its loads.
    private static final int GROUP = 10;
    // The first step after which votes() looks whether a group's walks are all at their leaves.
    private static final int FIRST_LOOK = 8;

    private final int numClasses;
    private final double[] thresholds;
    private final int numFeatures;
    private final int[] roots;
    private final int[] nodes;
    private final int[] leafDistribution;
    private final double[] distributions;
    private final int depth;
    private final int leaf;
    private final int featureShift;
    private final int thresholdShift;
    private final int thresholdMask;
    private final int distanceMask;

    private PackedNodeForest(int numClasses, int numFeatures, double[] thresholds, int[] roots, int[] nodes, int[] leafDistribution, double[] distributions,
            int depth, int featureShift, int thresholdShift, int thresholdMask, int distanceMask)
    {
        this.numClasses = numClasses;
        this.numFeatures = numFeatures;
        this.thresholds = thresholds;
        this.roots = roots;
        this.nodes = nodes;
        this.leafDistribution = leafDistribution;
        this.distributions = distributions;
        this.depth = depth;
        this.leaf = numFeatures << featureShift;
        this.featureShift = featureShift;
        this.thresholdShift = thresholdShift;
        this.thresholdMask = thresholdMask;
        this.distanceMask = distanceMask;
    }

    /**
     * The packed-node form of a forest given in the canonical arrays of {@link CompiledForest} (preorder), or null when
     * its features, distinct thresholds and tree sizes need more than the 31 bits of a node.
     */
    static PackedNodeForest of(int numClasses, int numFeatures, int[] roots, int[] feature, double[] threshold, int[] left, int[] right, double[] leafValues)
    {
        double[] thresholds = thresholds(feature, threshold);
        int maxDistance = 1;
        for (int n = 0; n < feature.length; n++) {
            if (feature[n] >= 0) {
                maxDistance = Math.max(maxDistance, right[n] - n);
            }
        }
        int featureBits = bitsFor(numFeatures);
        int thresholdBits = bitsFor(Math.max(0, thresholds.length - 1));
        int distanceBits = Integer.SIZE - 1 - featureBits - thresholdBits;
        if (distanceBits < bitsFor(maxDistance)) {
            return null;
        }
        Map<List<Long>, Integer> distributionIndex = new HashMap<>();
        List<Double> distributions = new ArrayList<>();
        int[] nodes = new int[feature.length];
        int[] leafDistribution = new int[feature.length];
        int leaf = numFeatures << (thresholdBits + distanceBits);
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
                nodes[n] = leaf;
                leafDistribution[n] = index * numClasses;
            }
        }
        return new PackedNodeForest(numClasses, numFeatures, thresholds, roots.clone(), nodes, leafDistribution, distributions.stream().mapToDouble(Double::doubleValue).toArray(),
                depth(feature, left, right), thresholdBits + distanceBits, distanceBits, (1 << thresholdBits) - 1, (1 << distanceBits) - 1);
    }

    /**
     * Summed class distributions of the leaves x reaches, tree by tree in tree order (MLlib's rawPrediction). Trees are
     * walked ten at a time, each exactly as many steps as the deepest tree: the steps have no branch to mispredict (a
     * walk that has reached its leaf stays there), and ten walks that do not depend on each other let the core overlap
     * their loads. The trees' paths average about 9 of the 16 steps of the default forest, so from the eighth step on,
     * every other step, a group stops once all ten walks are at their leaves. Measured 1.35–1.38× the walk of two trees
     * at a time with a branch per step ({@link #votesBranching}), 1.16× without the stop.
     */
    double[] votes(double[] features)
    {
        double[] x = Arrays.copyOf(features, numFeatures + 1);
        x[numFeatures] = Double.NaN;
        double[] votes = new double[numClasses];
        int trees = roots.length;
        int t = 0;
        for (; t + GROUP <= trees; t += GROUP) {
            int a0 = roots[t];
            int a1 = roots[t + 1];
            int a2 = roots[t + 2];
            int a3 = roots[t + 3];
            int a4 = roots[t + 4];
            int a5 = roots[t + 5];
            int a6 = roots[t + 6];
            int a7 = roots[t + 7];
            int a8 = roots[t + 8];
            int a9 = roots[t + 9];
            for (int step = 1; step <= depth; step++) {
                a0 = stepWithoutBranch(a0, x);
                a1 = stepWithoutBranch(a1, x);
                a2 = stepWithoutBranch(a2, x);
                a3 = stepWithoutBranch(a3, x);
                a4 = stepWithoutBranch(a4, x);
                a5 = stepWithoutBranch(a5, x);
                a6 = stepWithoutBranch(a6, x);
                a7 = stepWithoutBranch(a7, x);
                a8 = stepWithoutBranch(a8, x);
                a9 = stepWithoutBranch(a9, x);
                // Most groups are done before the deepest tree's depth: look every other step past the middle.
                if (step >= FIRST_LOOK && (step & 1) == 0
                        && (nodes[a0] == leaf & nodes[a1] == leaf & nodes[a2] == leaf & nodes[a3] == leaf & nodes[a4] == leaf
                        & nodes[a5] == leaf & nodes[a6] == leaf & nodes[a7] == leaf & nodes[a8] == leaf & nodes[a9] == leaf)) {
                    break;
                }
            }
            addDistribution(votes, a0);
            addDistribution(votes, a1);
            addDistribution(votes, a2);
            addDistribution(votes, a3);
            addDistribution(votes, a4);
            addDistribution(votes, a5);
            addDistribution(votes, a6);
            addDistribution(votes, a7);
            addDistribution(votes, a8);
            addDistribution(votes, a9);
        }
        for (; t < trees; t++) {
            int at = roots[t];
            for (int step = 0; step < depth; step++) {
                at = stepWithoutBranch(at, x);
            }
            addDistribution(votes, at);
        }
        return votes;
    }

    /**
     * The same sums as {@link #votes}, walked as before: two trees at a time, each stopping at its leaf, a branch per
     * step. Kept so that the scoring benchmark measures the walk against it in the same run.
     */
    double[] votesBranching(double[] x)
    {
        double[] votes = new double[numClasses];
        int trees = roots.length;
        int t = 0;
        for (; t + 1 < trees; t += 2) {
            int a = roots[t];
            int b = roots[t + 1];
            boolean inA = nodes[a] != leaf;
            boolean inB = nodes[b] != leaf;
            while (inA | inB) {
                if (inA) {
                    a = step(a, x);
                    inA = nodes[a] != leaf;
                }
                if (inB) {
                    b = step(b, x);
                    inB = nodes[b] != leaf;
                }
            }
            addDistribution(votes, a);
            addDistribution(votes, b);
        }
        if (t < trees) {
            addDistribution(votes, leafReached(x, roots[t]));
        }
        return votes;
    }

    /**
     * Where the split at {@code at} sends x: the next node (its left child) or the one its distance names. Only for
     * splits: the walks that call it stop at a leaf, and x has no slot for a leaf's feature.
     */
    private int step(int at, double[] x)
    {
        int node = nodes[at];
        return x[node >>> featureShift] <= thresholds[node >>> thresholdShift & thresholdMask] ? at + 1 : at + (node & distanceMask);
    }

    /**
     * {@link #step} for the branch-free walk, written as one sum of a choice between two values: C2 compiles this form
     * to a conditional move and the other to a branch. Each walk needs its own: with the branch, the grouped walk ran
     * 0.78× the branching walk; with the conditional move in every walk, the walks that stop at each leaf ran 0.64×
     * (predict) and 0.84× (votesBranching), since a branch lets the core run ahead on a guess (measured, 30 trees).
     */
    private int stepWithoutBranch(int at, double[] x)
    {
        int node = nodes[at];
        return at + (x[node >>> featureShift] <= thresholds[node >>> thresholdShift & thresholdMask] ? 1 : node & distanceMask);
    }

    /** The leaf x reaches from a tree's root. */
    private int leafReached(double[] x, int root)
    {
        int at = root;
        while (nodes[at] != leaf) {
            at = step(at, x);
        }
        return at;
    }

    private void addDistribution(double[] votes, int leafAt)
    {
        int distribution = leafDistribution[leafAt];
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

    /** Splits on the longest path of the forest's trees (in preorder a child comes after its parent). */
    private static int depth(int[] feature, int[] left, int[] right)
    {
        int[] depthOf = new int[feature.length];
        int deepest = 0;
        for (int n = 0; n < feature.length; n++) {
            deepest = Math.max(deepest, depthOf[n]);
            if (feature[n] >= 0) {
                depthOf[left[n]] = depthOf[n] + 1;
                depthOf[right[n]] = depthOf[n] + 1;
            }
        }
        return deepest;
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
        // a forest of leaves alone still needs an entry for its leaves' step to read
        return count == 0 ? new double[] {0} : Arrays.stream(values, 0, count).sorted().distinct().toArray();
    }

    private static int bitsFor(int value)
    {
        return Math.max(1, Integer.SIZE - Integer.numberOfLeadingZeros(value));
    }
}
