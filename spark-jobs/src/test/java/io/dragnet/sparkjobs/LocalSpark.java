package io.dragnet.sparkjobs;

import org.apache.spark.sql.SparkSession;

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
}
