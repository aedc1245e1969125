package io.dragnet.nids.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The packed-node form decides exactly as the double comparisons of the slot form, at and around every threshold. */
class TestPackedNodeForest
{
    // One tree over two features, preorder: 0: x0 <= 0.5 ? 1 : 4; 1: x1 <= -0.0 ? 2 : 3; 4: x0 <= 2.0 ? 5 : 6.
    // Leaves 2, 3, 5, 6 with distinct distributions, and a second tree (root 7) that splits x1 on 0.0 and x0 on 0.5 again.
    private static final int[] ROOTS = {0, 7};
    private static final int[] FEATURE = {0, 1, -1, -1, 0, -1, -1, 1, -1, 0, -1, -1};
    private static final double[] THRESHOLD = {0.5, -0.0, 0, 0, 2.0, 0, 0, 0.0, 0, 0.5, 0, 0};
    private static final int[] LEFT = {1, 2, 0, 2, 5, 4, 6, 8, 0, 10, 8, 2};
    private static final int[] RIGHT = {4, 3, -1, -1, 6, -1, -1, 9, -1, 11, -1, -1};
    private static final double[] LEAF_VALUES = {1, 0, 0.25, 0.75, 0.5, 0.5, 0, 1, 0.125, 0.875};

    @Test
    void votesEqualTheSlotFormAtEveryThresholdAndBetween()
    {
        CompiledForest compact = new CompiledForest(2, 2, ROOTS, FEATURE, THRESHOLD, LEFT, RIGHT, LEAF_VALUES);
        CompiledForest slots = compact.withSlotForm();
        assertThat(compact.isCompact()).isTrue();
        double[] values = {Double.NEGATIVE_INFINITY, -1, -Double.MIN_VALUE, -0.0, 0.0, Double.MIN_VALUE, 0.4999999999999999, 0.5,
                Math.nextUp(0.5), 1, 2.0, Math.nextUp(2.0), 3, Double.POSITIVE_INFINITY, Double.NaN};
        for (double x0 : values) {
            for (double x1 : values) {
                double[] x = {x0, x1};
                assertThat(compact.votes(x)).as("votes at (%s, %s)", x0, x1).containsExactly(slots.votes(x));
            }
        }
        // the comparisons the walk must make: NaN goes right, -0.0 and 0.0 are equal, a value at a threshold goes left
        assertThat(slots.votes(new double[] {Double.NaN, 0})).containsExactly(compact.votes(new double[] {3, 0}));
        assertThat(compact.votes(new double[] {0.5, 0.0})).containsExactly(compact.votes(new double[] {0.5, -0.0}));
        // seven leaves, five distinct distributions
        assertThat(PackedNodeForest.of(2, 2, ROOTS, FEATURE, THRESHOLD, LEFT, RIGHT, LEAF_VALUES).distinctDistributions()).isEqualTo(5);
    }

    @Test
    void randomForestsAgreeWithTheSlotForm()
    {
        Random random = new Random(7);
        // votes() walks ten trees at a time, the rest one by one, and the branching walk two at a time: counts below,
        // at and past a group, with a tree left over; trees of depth 14 let a group stop before the deepest tree's depth
        int[] treeCounts = {1, 2, 5, 10, 11, 23};
        for (int trial = 0; trial < 60; trial++) {
            RandomTrees trees = new RandomTrees(random, treeCounts[trial % treeCounts.length], 5, trial % 2 == 0 ? 8 : 14, 2);
            CompiledForest compact = trees.forest();
            CompiledForest slots = compact.withSlotForm();
            assertThat(compact.isCompact()).isTrue();
            for (int i = 0; i < 2_000; i++) {
                double[] x = new double[5];
                for (int f = 0; f < x.length; f++) {
                    // half the draws land on a threshold exactly
                    x[f] = random.nextBoolean() ? trees.someThreshold(random) : random.nextGaussian() * 10;
                }
                double[] expected = slots.votes(x);
                assertThat(compact.votes(x)).containsExactly(expected);
                assertThat(compact.votesBranching(x)).containsExactly(expected);
            }
        }
    }

    @Test
    void aWalkThatReachesAShallowLeafStaysOnIt()
    {
        // Two copies of: 0: x0 <= 5 ? 1 : 4; 1: x0 <= 3 ? leaf A : leaf B; 4: leaf C. Every threshold is above 0, so a
        // leaf's step must compare NaN, not a number, or x0 = 6 would step on from C (depth 1) while the walk goes to depth 2.
        int[] feature = {0, 0, -1, -1, -1, 0, 0, -1, -1, -1};
        double[] threshold = {5, 3, 0, 0, 0, 5, 3, 0, 0, 0};
        int[] left = {1, 2, 0, 2, 4, 6, 7, 0, 2, 4};
        int[] right = {4, 3, -1, -1, -1, 9, 8, -1, -1, -1};
        double[] leafValues = {1, 0, 0, 1, 0.5, 0.5};
        CompiledForest forest = new CompiledForest(2, 1, new int[] {0, 5}, feature, threshold, left, right, leafValues);
        assertThat(forest.isCompact()).isTrue();
        assertThat(forest.votes(new double[] {6})).containsExactly(1.0, 1.0);
        assertThat(forest.votes(new double[] {4})).containsExactly(0.0, 2.0);
        assertThat(forest.votes(new double[] {2})).containsExactly(2.0, 0.0);
    }

    @Test
    void aForestOfLeavesAloneVotesItsDistributions()
    {
        // two trees that are each one leaf: no threshold at all
        CompiledForest forest = new CompiledForest(2, 3, new int[] {0, 1}, new int[] {-1, -1}, new double[] {0, 0}, new int[] {0, 2}, new int[] {-1, -1},
                new double[] {0.25, 0.75, 1, 0});
        assertThat(forest.isCompact()).isTrue();
        assertThat(forest.votes(new double[] {1, Double.NaN, 3})).containsExactly(1.25, 0.75);
        assertThat(forest.votesBranching(new double[] {1, 2, 3})).containsExactly(1.25, 0.75);
        assertThat(forest.predict(new double[] {1, 2, 3})).isZero();
    }

    @Test
    void predictStopsEarlyOnlyWhenTheRemainingTreesCannotChangeTheClass()
    {
        Random random = new Random(11);
        int decidedEarly = 0;
        for (int trial = 0; trial < 200; trial++) {
            int classes = 2 + random.nextInt(5);
            RandomTrees trees = new RandomTrees(random, 1 + random.nextInt(25), 4, 5, classes);
            CompiledForest compact = trees.forest();
            CompiledForest slots = compact.withSlotForm();
            for (int i = 0; i < 500; i++) {
                double[] x = new double[4];
                for (int f = 0; f < x.length; f++) {
                    x[f] = random.nextBoolean() ? trees.someThreshold(random) : random.nextGaussian() * 10;
                }
                double[] votes = compact.votes(x);
                assertThat(compact.predict(x)).as("trial %d, row %d, votes %s", trial, i, java.util.Arrays.toString(votes)).isEqualTo(CompiledForest.argmax(votes));
                assertThat(slots.predict(x)).isEqualTo(CompiledForest.argmax(votes));
                decidedEarly += compact.numTrees() > 2 && lead(votes) > compact.numTrees() / 2.0 ? 1 : 0;
            }
        }
        // the early stop is exercised: many rows had a lead no remaining trees could undo
        assertThat(decidedEarly).isGreaterThan(10_000);
    }

    private static double lead(double[] votes)
    {
        double[] sorted = votes.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length - 1] - sorted[sorted.length - 2];
    }

    @Test
    void aForestThatDoesNotFitKeepsTheSlotForm()
    {
        // 2^20 features (20 bits) and 2^11 distinct thresholds (11 bits) leave no bit of 31 for the distance
        // to a right child. The forest is a right-leaning chain: split 2k has leaf 2k + 1 on its left, split 2k + 2 on its right.
        int features = 1 << 20;
        int splits = 1 << 11;
        int nodes = 2 * splits + 1;
        int[] feature = new int[nodes];
        double[] threshold = new double[nodes];
        int[] left = new int[nodes];
        int[] right = new int[nodes];
        for (int n = 0; n < nodes; n++) {
            boolean split = n % 2 == 0 && n < nodes - 1;
            feature[n] = split ? (n == 0 ? features - 1 : 0) : -1;
            threshold[n] = split ? n : 0;
            left[n] = split ? n + 1 : 0;
            right[n] = split ? n + 2 : -1;
        }
        double[] leafValues = {0.5, 0.5};
        assertThat(PackedNodeForest.of(2, features, new int[] {0}, feature, threshold, left, right, leafValues)).isNull();
        CompiledForest forest = new CompiledForest(2, features, new int[] {0}, feature, threshold, left, right, leafValues);
        assertThat(forest.isCompact()).isFalse();
        assertThat(forest.votes(new double[features])).containsExactly(0.5, 0.5);
    }

    /** Random full trees in preorder with thresholds drawn from a few values per feature, as MLlib's bins give. */
    private static final class RandomTrees
    {
        private final List<Integer> feature = new ArrayList<>();
        private final List<Double> threshold = new ArrayList<>();
        private final List<Integer> left = new ArrayList<>();
        private final List<Integer> right = new ArrayList<>();
        private final List<Double> leafValues = new ArrayList<>();
        private final int[] roots;
        private final int numFeatures;
        private final double[][] bins;
        private final int numClasses;
        private final int usualClass;

        RandomTrees(Random random, int trees, int numFeatures, int maxDepth, int numClasses)
        {
            this.numFeatures = numFeatures;
            this.numClasses = numClasses;
            this.usualClass = random.nextInt(numClasses);
            this.bins = new double[numFeatures][];
            for (int f = 0; f < numFeatures; f++) {
                bins[f] = random.doubles(1 + random.nextInt(12), -20, 20).map(Math::rint).toArray();
            }
            roots = new int[trees];
            for (int t = 0; t < trees; t++) {
                roots[t] = add(random, maxDepth);
            }
        }

        private int add(Random random, int depth)
        {
            int index = feature.size();
            feature.add(-1);
            threshold.add(0.0);
            left.add(-1);
            right.add(-1);
            if (depth > 0 && random.nextInt(4) != 0) {
                int f = random.nextInt(numFeatures);
                feature.set(index, f);
                threshold.set(index, bins[f][random.nextInt(bins[f].length)]);
                left.set(index, add(random, depth - 1));
                right.set(index, add(random, depth - 1));
            }
            else {
                // normalised small counts, as MLlib's leaves: most often the forest's usual class only (so that trees
                // agree, as a trained forest's do), else a few classes, sometimes tied, sometimes none
                int[] counts = new int[numClasses];
                int total = 0;
                for (int c = 0; c < numClasses; c++) {
                    counts[c] = random.nextInt(3) == 0 ? random.nextInt(4) : 0;
                }
                if (random.nextInt(10) < 6) {
                    java.util.Arrays.fill(counts, 0);
                    counts[usualClass] = 1 + random.nextInt(3);
                }
                for (int count : counts) {
                    total += count;
                }
                left.set(index, leafValues.size());
                for (int c = 0; c < numClasses; c++) {
                    leafValues.add(total == 0 ? 0.0 : counts[c] / (double) total);
                }
            }
            return index;
        }

        double someThreshold(Random random)
        {
            double[] featureBins = bins[random.nextInt(numFeatures)];
            return featureBins[random.nextInt(featureBins.length)];
        }

        CompiledForest forest()
        {
            return new CompiledForest(numClasses, numFeatures, roots,
                    feature.stream().mapToInt(Integer::intValue).toArray(),
                    threshold.stream().mapToDouble(Double::doubleValue).toArray(),
                    left.stream().mapToInt(Integer::intValue).toArray(),
                    right.stream().mapToInt(Integer::intValue).toArray(),
                    leafValues.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }
}
