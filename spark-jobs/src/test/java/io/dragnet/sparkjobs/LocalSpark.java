package io.dragnet.sparkjobs;

import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;

/** The local SparkSession of a test class: two threads, two shuffle partitions, no UI, bound to 127.0.0.1. */
final class LocalSpark
{
    private LocalSpark() {}

    static SparkSession start()
    {
        return SparkSession.builder()
                .master("local[2]")
                .appName("dragnet-spark-jobs-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
    }

    static Path repoRoot()
    {
        String configured = System.getProperty("dragnet.repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of("..").toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("samples"))) {
            root = Path.of("").toAbsolutePath().getParent();
        }
        return root;
    }

    static Path samples()
    {
        return repoRoot().resolve("samples");
    }

    static Path sharedZeek()
    {
        return repoRoot().resolve("..").resolve("shared").resolve("datasets").resolve("zeek").resolve("trickbot-2018-11").normalize();
    }
}
