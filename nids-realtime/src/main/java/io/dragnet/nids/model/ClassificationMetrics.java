package io.dragnet.nids.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Binary confusion matrix (positive = malicious) and the figures derived from it. */
public record ClassificationMetrics(long truePositives, long falsePositives, long trueNegatives, long falseNegatives)
{
    public static ClassificationMetrics of(int[] truth, int[] predicted)
    {
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] == 1) {
                if (truth[i] == 1) {
                    tp++;
                }
                else {
                    fp++;
                }
            }
            else if (truth[i] == 1) {
                fn++;
            }
            else {
                tn++;
            }
        }
        return new ClassificationMetrics(tp, fp, tn, fn);
    }

    public ClassificationMetrics plus(ClassificationMetrics other)
    {
        return new ClassificationMetrics(truePositives + other.truePositives, falsePositives + other.falsePositives,
                trueNegatives + other.trueNegatives, falseNegatives + other.falseNegatives);
    }

    public long total()
    {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    public double accuracy()
    {
        return ratio(truePositives + trueNegatives, total());
    }

    public double precision()
    {
        return ratio(truePositives, truePositives + falsePositives);
    }

    public double recall()
    {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    public double f1()
    {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** False-positive rate on normal traffic: normal sessions flagged malicious / all normal sessions. */
    public double falsePositiveRate()
    {
        return ratio(falsePositives, falsePositives + trueNegatives);
    }

    public Map<String, Object> toMap()
    {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rows", total());
        map.put("accuracy", accuracy());
        map.put("precision", precision());
        map.put("recall", recall());
        map.put("f1", f1());
        map.put("false_positive_rate", falsePositiveRate());
        map.put("confusion_matrix", Map.of("true_positives", truePositives, "false_positives", falsePositives,
                "true_negatives", trueNegatives, "false_negatives", falseNegatives));
        return map;
    }

    public String format()
    {
        return String.format("accuracy %.4f  precision %.4f  recall %.4f  F1 %.4f  FPR %.4f%n"
                        + "confusion matrix (rows = truth, columns = predicted)%n"
                        + "               normal  malicious%n"
                        + "  normal    %9d  %9d%n"
                        + "  malicious %9d  %9d%n",
                accuracy(), precision(), recall(), f1(), falsePositiveRate(), trueNegatives, falsePositives, falseNegatives, truePositives);
    }

    private static double ratio(long numerator, long denominator)
    {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
