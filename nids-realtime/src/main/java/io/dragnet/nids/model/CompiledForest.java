package io.dragnet.nids.model;

import org.apache.spark.ml.classification.DecisionTreeClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.tree.CategoricalSplit;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.ml.tree.Node;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A random forest flattened into parallel arrays, scored without allocation beyond the vote array. Built from a Spark
 * MLlib {@link RandomForestClassificationModel}; prediction follows MLlib exactly: each tree's leaf contributes its
 * class counts normalised to sum 1, votes are summed tree by tree in tree order, and the predicted class is the first
 * class with the most votes. Nodes: {@code feature[n] >= 0} is an internal node that goes left when
 * {@code x[feature[n]] <= threshold[n]}; {@code feature[n] == -1} is a leaf whose class distribution starts at
 * {@code left[n]} in {@code leafValues}.
 */
public final class CompiledForest
        implements Serializable
{
    private static final int MAGIC = 0x44524654;

    private final int numClasses;
    private final int numFeatures;
    private final int[] roots;
    private final int[] feature;
    private final double[] threshold;
    private final int[] left;
    private final int[] right;
    private final double[] leafValues;
    // Scoring forms, rebuilt from the arrays above after deserialisation (readResolve), so a broadcast carries the
    // forest once: the packed-node form when the forest fits it, else the slot form.
    private final transient PackedNodeForest compact;
    private final transient SlotForm slotForm;

    CompiledForest(int numClasses, int numFeatures, int[] roots, int[] feature, double[] threshold, int[] left, int[] right, double[] leafValues)
    {
        this(numClasses, numFeatures, roots, feature, threshold, left, right, leafValues, true);
    }

    /** {@code compactIfItFits} false keeps the slot form whatever the forest's size: tests compare the two. */
    CompiledForest(int numClasses, int numFeatures, int[] roots, int[] feature, double[] threshold, int[] left, int[] right, double[] leafValues, boolean compactIfItFits)
    {
        this.numClasses = numClasses;
        this.numFeatures = numFeatures;
        this.roots = roots;
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.right = right;
        this.leafValues = leafValues;
        for (int n = 0; n < feature.length; n++) {
            if (feature[n] >= 0 && left[n] != n + 1) {
                throw new IllegalArgumentException("node " + n + " is not in preorder (left child " + left[n] + ")");
            }
        }
        this.compact = compactIfItFits ? PackedNodeForest.of(numClasses, numFeatures, roots, feature, threshold, left, right, leafValues) : null;
        this.slotForm = compact == null ? SlotForm.of(numClasses, roots, feature, threshold, left, right, leafValues) : null;
    }

    public static CompiledForest compile(RandomForestClassificationModel model)
    {
        Builder builder = new Builder(model.numClasses());
        DecisionTreeClassificationModel[] trees = model.trees();
        int[] roots = new int[trees.length];
        for (int t = 0; t < trees.length; t++) {
            roots[t] = builder.add(trees[t].rootNode());
        }
        return builder.build(model.numFeatures(), roots);
    }

    public int numFeatures()
    {
        return numFeatures;
    }

    public int numClasses()
    {
        return numClasses;
    }

    public int numTrees()
    {
        return roots.length;
    }

    public int numNodes()
    {
        return feature.length;
    }

    /** Whether scoring uses the packed-node form (see {@link PackedNodeForest}) rather than the slot form. */
    boolean isCompact()
    {
        return compact != null;
    }

    /** The same forest in the slot form. */
    CompiledForest withSlotForm()
    {
        return new CompiledForest(numClasses, numFeatures, roots, feature, threshold, left, right, leafValues, false);
    }

    /** Java deserialisation (a Spark broadcast) restores the arrays only; this builds the scoring form again. */
    private Object readResolve()
    {
        return new CompiledForest(numClasses, numFeatures, roots, feature, threshold, left, right, leafValues);
    }

    /** Summed normalised class votes, as MLlib's rawPrediction. */
    public double[] votes(double[] x)
    {
        return compact != null ? compact.votes(x) : slotForm.votes(numClasses, x);
    }

    /** The votes of {@link #votes}, walked as the packed-node form did before its branch-free walk (the benchmark's baseline). */
    public double[] votesBranching(double[] x)
    {
        return compact != null ? compact.votesBranching(x) : slotForm.votes(numClasses, x);
    }

    public static int argmax(double[] votes)
    {
        int best = 0;
        for (int c = 1; c < votes.length; c++) {
            if (votes[c] > votes[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The predicted class, as MLlib's predict; the packed-node form stops walking trees once the class is decided. */
    public int predict(double[] x)
    {
        return compact != null ? compact.predict(x) : argmax(slotForm.votes(numClasses, x));
    }

    /** Probability of {@code positiveClass}: its share of the votes, as MLlib's probability column. */
    public static double probability(double[] votes, int positiveClass)
    {
        double sum = 0;
        for (double vote : votes) {
            sum += vote;
        }
        return sum == 0 ? 0 : votes[positiveClass] / sum;
    }

    public void write(DataOutputStream out)
            throws IOException
    {
        out.writeInt(MAGIC);
        out.writeInt(numClasses);
        out.writeInt(numFeatures);
        writeInts(out, roots);
        writeInts(out, feature);
        writeDoubles(out, threshold);
        writeInts(out, left);
        writeInts(out, right);
        writeDoubles(out, leafValues);
    }

    public static CompiledForest read(DataInputStream in)
            throws IOException
    {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a compiled forest (bad magic number)");
        }
        int numClasses = in.readInt();
        int numFeatures = in.readInt();
        return new CompiledForest(numClasses, numFeatures, readInts(in), readInts(in), readDoubles(in), readInts(in), readInts(in), readDoubles(in));
    }

    private static void writeInts(DataOutputStream out, int[] values)
            throws IOException
    {
        out.writeInt(values.length);
        for (int value : values) {
            out.writeInt(value);
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] values)
            throws IOException
    {
        out.writeInt(values.length);
        for (double value : values) {
            out.writeDouble(value);
        }
    }

    private static int[] readInts(DataInputStream in)
            throws IOException
    {
        int[] values = new int[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    private static double[] readDoubles(DataInputStream in)
            throws IOException
    {
        double[] values = new double[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    /**
     * The slot form, for forests too large for {@link PackedNodeForest}: one long[] in preorder, so that a step reads one
     * place. An internal node is two slots, [feature << 32 | right child's slot] and [threshold's bits], its left child
     * starting right after it; a leaf is [-1 << 32] followed by its class distribution.
     */
    private record SlotForm(long[] slots, int[] rootSlots)
    {
        static SlotForm of(int numClasses, int[] roots, int[] feature, double[] threshold, int[] left, int[] right, double[] leafValues)
        {
            int[] slotOf = new int[feature.length];
            int size = 0;
            for (int n = 0; n < feature.length; n++) {
                slotOf[n] = size;
                size += feature[n] >= 0 ? 2 : 1 + numClasses;
            }
            long[] slots = new long[size];
            for (int n = 0; n < feature.length; n++) {
                int slot = slotOf[n];
                if (feature[n] >= 0) {
                    slots[slot] = ((long) feature[n] << 32) | slotOf[right[n]];
                    slots[slot + 1] = Double.doubleToRawLongBits(threshold[n]);
                }
                else {
                    slots[slot] = -1L << 32;
                    for (int c = 0; c < numClasses; c++) {
                        slots[slot + 1 + c] = Double.doubleToRawLongBits(leafValues[left[n] + c]);
                    }
                }
            }
            int[] rootSlots = new int[roots.length];
            for (int t = 0; t < roots.length; t++) {
                rootSlots[t] = slotOf[roots[t]];
            }
            return new SlotForm(slots, rootSlots);
        }

        double[] votes(int numClasses, double[] x)
        {
            double[] votes = new double[numClasses];
            long[] slots = this.slots;
            for (int slot : rootSlots) {
                long entry = slots[slot];
                for (int split = (int) (entry >> 32); split >= 0; split = (int) (entry >> 32)) {
                    slot = x[split] <= Double.longBitsToDouble(slots[slot + 1]) ? slot + 2 : (int) entry;
                    entry = slots[slot];
                }
                for (int c = 0; c < numClasses; c++) {
                    votes[c] += Double.longBitsToDouble(slots[slot + 1 + c]);
                }
            }
            return votes;
        }
    }

    private static final class Builder
    {
        private final int numClasses;
        private final List<Integer> feature = new ArrayList<>();
        private final List<Double> threshold = new ArrayList<>();
        private final List<Integer> left = new ArrayList<>();
        private final List<Integer> right = new ArrayList<>();
        private final List<Double> leafValues = new ArrayList<>();

        Builder(int numClasses)
        {
            this.numClasses = numClasses;
        }

        int add(Node node)
        {
            int index = feature.size();
            feature.add(-1);
            threshold.add(0.0);
            left.add(-1);
            right.add(-1);
            if (node instanceof InternalNode internal) {
                if (internal.split() instanceof CategoricalSplit) {
                    throw new IllegalArgumentException("categorical splits are not compiled: train with continuous features only");
                }
                ContinuousSplit split = (ContinuousSplit) internal.split();
                feature.set(index, split.featureIndex());
                threshold.set(index, split.threshold());
                left.set(index, add(internal.leftChild()));
                right.set(index, add(internal.rightChild()));
            }
            else {
                double[] counts = ((LeafNode) node).impurityStats().stats();
                double total = 0;
                for (double count : counts) {
                    total += count;
                }
                left.set(index, leafValues.size());
                for (int c = 0; c < numClasses; c++) {
                    // MLlib skips a tree whose leaf has no counts; contributing zeros is the same.
                    leafValues.add(total == 0 ? 0.0 : counts[c] / total);
                }
            }
            return index;
        }

        CompiledForest build(int numFeatures, int[] roots)
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
