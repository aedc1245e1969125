package io.dragnet.nids.stream;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Percentiles (nearest rank) of latencies in milliseconds. */
public record LatencySummary(long count, double p50, double p95, double p99, double max)
{
    public static LatencySummary of(long[] samples, int size)
    {
        if (size == 0) {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        return new LatencySummary(size, rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99), sorted[size - 1]);
    }

    private static double rank(long[] sorted, double quantile)
    {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    public Map<String, Object> toMap()
    {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", count);
        map.put("p50_ms", p50);
        map.put("p95_ms", p95);
        map.put("p99_ms", p99);
        map.put("max_ms", max);
        return map;
    }
}
