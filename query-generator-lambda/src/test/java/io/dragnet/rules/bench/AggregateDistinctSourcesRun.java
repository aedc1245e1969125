package io.dragnet.rules.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.apache.spark.sql.SparkSession;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The high-cardinality run of {@link AggregateBenchmark} in a JVM of its own, started with a small heap cap: two
 * aggregate rules over a day whose group field holds a distinct value per record. Prints its seconds and the largest
 * heap in use right after a garbage collection (the live data at that moment), so that the parent can show the
 * run neither fails nor grows with the number of groups.
 *
 * <p>Arguments: the run folder, its rules folder ({@link BenchJobs#writeRules}), the lake.
 */
final class AggregateDistinctSourcesRun
{
    /** The line the parent reads: {@value} then seconds and bytes. */
    static final String RESULT = "distinct-sources-run";

    private AggregateDistinctSourcesRun() {}

    public static void main(String[] args)
    {
        AtomicLong peakAfterCollection = new AtomicLong();
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream().filter(pool -> heapPools.contains(pool.getKey()))
                            .mapToLong(pool -> pool.getValue().getUsed()).sum();
                    peakAfterCollection.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        Path folder = Path.of(args[0]);
        Path rules = Path.of(args[1]);
        Path lake = Path.of(args[2]);
        SparkSession spark = BenchJobs.start("dragnet-aggregate-distinct-sources");
        try {
            double seconds = BenchJobs.run(spark, folder, rules, lake).seconds();
            System.out.println(RESULT + " " + seconds + " " + peakAfterCollection.get());
        }
        finally {
            spark.stop();
        }
    }
}
