package io.dragnet.nids.stream;

import io.dragnet.nids.stream.internal.ShellFreeLocalFileSystem;
import io.dragnet.storage.LocalSparkSettings;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession the NIDS commands use on one machine: the active one if any, else a local one with dragnet's local
 * settings ({@link LocalSparkSettings}) and local files without shell processes ({@link ShellFreeLocalFileSystem}).
 */
public final class LocalSpark
{
    private LocalSpark() {}

    public static SparkSession session()
    {
        return session(0);
    }

    /**
     * @param slots task slots needed at once (a continuous query holds one per Kafka partition for its whole life);
     *        the session gets at least one per core
     */
    public static SparkSession session(int slots)
    {
        int threads = Math.max(Runtime.getRuntime().availableProcessors(), slots);
        SparkSession.Builder builder = SparkSession.builder();
        LocalSparkSettings.of("dragnet-nids", System.getProperty("spark.master", "local[" + threads + "]"), 2).forEach(builder::config);
        ShellFreeLocalFileSystem.sparkSettings().forEach(builder::config);
        return builder.getOrCreate();
    }
}
