package io.dragnet.nids.stream;

import io.dragnet.nids.stream.internal.ShellFreeLocalFileSystem;
import io.dragnet.storage.OwnerOnly;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession the NIDS commands use on one machine: the active one if any, else local[*] bound to 127.0.0.1, UI
 * off, local files without shell processes ({@link ShellFreeLocalFileSystem}).
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
        SparkSession.Builder builder = SparkSession.builder()
                .master(System.getProperty("spark.master", "local[" + threads + "]"))
                .appName("dragnet-nids")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2");
        ShellFreeLocalFileSystem.sparkSettings().forEach(builder::config);
        OwnerOnly.sparkSettings().forEach(builder::config);
        return builder.getOrCreate();
    }
}
