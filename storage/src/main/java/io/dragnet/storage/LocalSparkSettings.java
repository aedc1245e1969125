package io.dragnet.storage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of every SparkSession dragnet starts on this machine rather than on EMR (the demo, {@code dragnet nids},
 * the daily run's local cluster, benchmarks, tests): web UI off, driver bound to 127.0.0.1, UTC as the session time
 * zone, owner-only files ({@link OwnerOnly#sparkSettings}). As plain settings, so that modules which do not compile
 * against Spark can hand them on.
 */
public final class LocalSparkSettings
{
    private LocalSparkSettings() {}

    /**
     * @param master e.g. {@code local[*]}
     * @param shufflePartitions few on one machine: Spark's 200 would make hundreds of tiny tasks and files
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
        settings.put("spark.sql.session.timeZone", "UTC");
        settings.putAll(OwnerOnly.sparkSettings());
        return Collections.unmodifiableMap(settings);
    }
}
