package io.dragnet.sparkjobs.internal;

import java.util.Arrays;

/**
 * Coefficient of variation (population standard deviation / mean) of the gaps between consecutive times: near 0
 * for a beacon calling at a fixed period, around 1 for random (Poisson) arrivals. Null for fewer than three times
 * (fewer than two gaps) or a zero mean gap.
 */
public final class IntervalCv
{
    private IntervalCv() {}

    /** @param times the times, sorted in place */
    public static Double of(double[] times)
    {
        double[] sorted = times;
        if (sorted.length < 3) {
            return null;
        }
        Arrays.sort(sorted);
        int gaps = sorted.length - 1;
        double mean = (sorted[gaps] - sorted[0]) / gaps;
        if (mean <= 0) {
            return null;
        }
        double squares = 0;
        for (int i = 1; i < sorted.length; i++) {
            double deviation = sorted[i] - sorted[i - 1] - mean;
            squares += deviation * deviation;
        }
        return Math.sqrt(squares / gaps) / mean;
    }
}
