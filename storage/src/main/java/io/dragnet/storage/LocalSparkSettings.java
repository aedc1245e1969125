package io.dragnet.storage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of every SparkSession dragnet starts on this machine rather than on EMR (the demo, {@code dragnet nids},
 * the daily run's local cluster, benchmarks, tests): web UI off, driver bound to 127.0.0.1, UTC as the session time
 * zone, owner-only files ({@link OwnerOnly#sparkSettings}), and {@value #ADAPTIVE_INITIAL_PARTITIONS} partitions for a
 * shuffle that adaptive execution may coalesce. As plain settings, so that modules which do not compile against Spark
 * can hand them on.
 */
public final class LocalSparkSettings
{
    /**
     * The partitions a shuffle starts with when adaptive execution may coalesce it ({@code repartition} by columns, joins,
     * groupings), before it merges neighbours up to its advisory size (64 MB written): a large exchange, such as the
     * fused pass's aggregate exchange, reaches the reducers in many small sorts, whose sorted iteration stays closer to
     * the CPU caches, where a few large ones chase pointers through memory; a small one still ends up in one or two.
     * Many more partitions cost the map side more than they save. Shuffles with a partition count of their own keep it.
     */
    static final int ADAPTIVE_INITIAL_PARTITIONS = 32;

    private LocalSparkSettings() {}

    /**
     * @param master e.g. {@code local[*]}
     * @param shufflePartitions few on one machine: Spark's 200 would make hundreds of tiny tasks and files where
     *         adaptive execution does not coalesce them
     */
    public static Map<String, String> of(String appName, String master, int shufflePartitions)
    {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spark.master", master);
        settings.put("spark.app.name", appName);
        settings.put("spark.ui.enabled", "false");
        settings.put("spark.driver.host", "127.0.0.1");
        settings.put("spark.driver.bindAddress", "127.0.0.1");
        settings.put("spark.sql.shuffle.partitions", String.valueOf(shufflePartitions));
        settings.put("spark.sql.adaptive.coalescePartitions.initialPartitionNum", String.valueOf(ADAPTIVE_INITIAL_PARTITIONS));
        settings.put("spark.sql.session.timeZone", "UTC");
        settings.putAll(OwnerOnly.sparkSettings());
        return Collections.unmodifiableMap(settings);
    }
}
