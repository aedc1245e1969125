package io.dragnet.rules.bench;

import io.dragnet.storage.BenchmarkResults;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.expr;

/**
 * Aggregate rules in the fused pass, on a generated conn day: 50 record rules alone vs the same 50 plus 10 aggregate
 * rules fused (target ≤ 1.5×), vs each aggregate rule as its own job (target ≥ 5× the fused aggregate cost), and the
 * peak heap of a run whose group field has one distinct value per record. Prints a table and one JSON line.
 *
 * <p>Arguments: records (default 10,000,000), directory (default target/bench-aggregate).
 */
public final class AggregateBenchmark
{
    private static final LocalDate DAY = BenchJobs.DAY;
    private static final String SOURCES = """
            sources:
              bench_conn:
                format: parquet
                time_field: ts
                fields: {ts: timestamp, uid: string, id.orig_h: ip, id.orig_p: long, id.resp_h: ip, id.resp_p: long, proto: string, user_agent: string,
                         conn_state: string, orig_bytes: long, orig_pkts: long, duration: double}
                mapping: {"@timestamp": ts, event.id: uid, source.ip: id.orig_h, destination.ip: id.resp_h, destination.port: id.resp_p,
                          user_agent.original: user_agent, network.transport: proto, source.bytes: orig_bytes, source.packets: orig_pkts}
            """;

    private AggregateBenchmark() {}

    public static void main(String[] args)
            throws IOException
    {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path dir = Path.of(args.length > 1 ? args[1] : "target/bench-aggregate");
        SparkSession spark = BenchJobs.start("dragnet-aggregate-benchmark");
        try {
            Path lake = dir.resolve("lake");
            Dataset<Row> day = BenchJobs.connDay(spark, records)
                    .withColumn("conn_state", expr("element_at(array('SF', 'S0', 'REJ', 'SF', 'RSTR', 'SF'), 1 + pmod(hash(id, 10), 6))"))
                    .withColumn("orig_bytes", expr("cast(pmod(hash(id, 11), 100000) as long)"))
                    .withColumn("orig_pkts", expr("cast(1 + pmod(hash(id, 12), 20) as long)"))
                    .withColumn("duration", expr("cast(pmod(hash(id, 13), 10000) as double) / 100"))
                    .drop("id");
            day.write().mode("overwrite").parquet(lake.resolve("bench_conn/dt=" + DAY).toString());
            Files.createDirectories(dir.resolve("iocs"));
            List<String> recordRules = new ArrayList<>();
            for (int r = 0; r < 50; r++) {
                recordRules.add(recordRule(r));
            }
            List<String> aggregateRules = aggregateRules();
            BenchJobs.run(spark, dir.resolve("warm-up"), SOURCES, List.of(recordRules.get(0), aggregateRules.get(0)), lake);

            double recordOnly = BenchJobs.run(spark, dir.resolve("records"), SOURCES, recordRules, lake);
            List<String> fusedRules = new ArrayList<>(recordRules);
            fusedRules.addAll(aggregateRules);
            double fused = BenchJobs.run(spark, dir.resolve("fused"), SOURCES, fusedRules, lake);
            double separate = 0;
            for (int a = 0; a < aggregateRules.size(); a++) {
                separate += BenchJobs.run(spark, dir.resolve("aggregate-" + a), SOURCES, List.of(aggregateRules.get(a)), lake);
            }
            double aggregateCost = fused - recordOnly;

            Dataset<Row> distinct = spark.read().parquet(lake.resolve("bench_conn/dt=" + DAY).toString())
                    .withColumn("id.orig_h", expr("concat('10.', cast(pmod(cast(substring(uid, 2) as long), 16777216) div 65536 as string), '.', "
                            + "cast(pmod(cast(substring(uid, 2) as long), 65536) div 256 as string), '.', cast(pmod(cast(substring(uid, 2) as long), 256) as string), '.', "
                            + "cast(cast(substring(uid, 2) as long) div 16777216 as string))"));
            distinct.write().mode("overwrite").parquet(dir.resolve("lake-distinct/bench_conn/dt=" + DAY).toString());
            resetPeaks();
            double distinctSeconds = BenchJobs.run(spark, dir.resolve("distinct"), SOURCES, List.of(aggregateRules.get(0), aggregateRules.get(4)),
                    dir.resolve("lake-distinct"));
            long peakHeap = peakHeap();

            Map<String, Double> recordStages = stageSeconds(dir.resolve("records"));
            Map<String, Double> fusedStages = stageSeconds(dir.resolve("fused"));
            System.out.printf("%-44s %10s%n", "run (" + records + " records)", "seconds");
            System.out.printf("%-44s %10.1f%n", "50 record rules", recordOnly);
            System.out.printf("%-44s %10.1f%n", "50 record + 10 aggregate rules fused", fused);
            System.out.printf("%-44s %10.1f%n", "10 aggregate rules, one job each", separate);
            System.out.printf("%-44s %10.1f%n", "2 aggregate rules, a distinct source per record", distinctSeconds);
            System.out.printf("%-44s %10s %10s%n", "stage", "records", "fused");
            fusedStages.forEach((stage, seconds) -> System.out.printf("%-44s %10.1f %10.1f%n", stage, recordStages.getOrDefault(stage, 0.0), seconds));
            System.out.printf("fused / records alone %.2fx (target <= 1.5x); separate / fused aggregate cost %.1fx, separate / fused whole %.1fx (target >= 5x); "
                    + "peak heap %d MB with %d distinct sources%n", fused / recordOnly, separate / Math.max(aggregateCost, 0.001), separate / fused, peakHeap >> 20, records);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("benchmark", "aggregate-rules");
            json.put("variant", String.format(java.util.Locale.ROOT, "%,d records", records));
            json.put("records", records);
            json.put("recordRulesSeconds", recordOnly);
            json.put("fusedSeconds", fused);
            json.put("separateAggregateSeconds", separate);
            json.put("fusedOverRecordRules", fused / recordOnly);
            json.put("separateOverFusedAggregateCost", separate / Math.max(aggregateCost, 0.001));
            json.put("separateOverFused", separate / fused);
            json.put("recordRulesStageSeconds", recordStages);
            json.put("fusedStageSeconds", fusedStages);
            json.put("distinctSourcesSeconds", distinctSeconds);
            json.put("distinctSourcesPeakHeapBytes", peakHeap);
            json.put("note", BenchJobs.hostNote(records));
            BenchmarkResults.record(json, "AggregateBenchmark " + String.join(" ", args), new java.io.PrintWriter(System.out, true));
        }
        finally {
            spark.stop();
        }
    }

    /** The seconds of each stage of a run, from the metrics file the job wrote under {@code folder}. */
    private static Map<String, Double> stageSeconds(Path folder)
            throws IOException
    {
        Map<String, Double> stages = new LinkedHashMap<>();
        try (java.util.stream.Stream<Path> files = Files.walk(folder.resolve("results/runs"))) {
            Path metrics = files.filter(file -> file.toString().endsWith(".metrics.json")).findFirst().orElseThrow();
            io.dragnet.contracts.Json.mapper().readValue(Files.readString(metrics), io.dragnet.contracts.RunMetrics.class).stages()
                    .forEach(stage -> stages.put(stage.name(), stage.durationMillis() / 1000.0));
        }
        return stages;
    }

    private static String recordRule(int index)
    {
        return "id: record-" + index + "\ntitle: record rule " + index + "\ntopic: c2\nowner: bench\nsources: [bench_conn]\nmatch:\n"
                + "  port:\n    destination.port: " + (index * 7 % 1000) + "\n  state:\n    conn_state: S0\n  condition: port and state\n";
    }

    private static List<String> aggregateRules()
    {
        String header = "title: aggregate\ntopic: c2\nowner: bench\nsources: [bench_conn]\n";
        String udp = "  udp:\n    network.transport: udp\n";
        String attempts = "match:\n  attempts:\n    conn_state: [S0, REJ]\n  condition: attempts\n";
        String attemptsOrUdp = "match:\n  attempts:\n    conn_state: [S0, REJ]\n" + udp + "  condition: attempts\n";
        String all = "match:\n  recorded:\n    uid|exists: true\n  condition: recorded\n";
        String allOrUdp = "match:\n  recorded:\n    uid|exists: true\n" + udp + "  condition: recorded\n";
        return List.of(
                "id: agg-horizontal\n" + header + attempts + "aggregate:\n  group_by: [source.ip, destination.port]\n  window: 1h\n  measures:\n    hosts: count_distinct(destination.ip)\n  having: hosts >= 100\n",
                "id: agg-vertical\n" + header + attempts + "aggregate:\n  group_by: [source.ip, destination.ip]\n  window: 1h\n  measures:\n    ports: count_distinct(destination.port)\n  having: ports >= 100\n",
                "id: agg-udp-share\n" + header + attemptsOrUdp + "aggregate:\n  group_by: [source.ip, destination.port]\n  window: 1h\n  measures:\n    n: count\n    share: ratio(count where udp, n)\n  having: n > 50 and share > 0.9\n",
                "id: agg-bytes\n" + header + all + "aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    bytes: sum(source.bytes)\n  having: bytes > 100000000\n",
                "id: agg-beacon\n" + header + all + "aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    n: count\n    cv: interval_cv\n  having: n >= 20 and cv < 0.05\n",
                "id: agg-packets\n" + header + allOrUdp + "aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    destinations: count_distinct(destination.ip)\n    packets: sum(source.packets)\n"
                        + "    udp_packets: sum(source.packets) where udp\n  having: destinations >= 50 and packets / destinations < 5 and ratio(udp_packets, packets) > 0.8\n",
                "id: agg-duration\n" + header + all + "aggregate:\n  group_by: [source.ip]\n  window: 6h\n  measures:\n    p95: percentile(duration, 95)\n    longest: max(duration)\n  having: p95 > 99.9\n",
                "id: agg-busy-port\n" + header + all + "aggregate:\n  group_by: [destination.port]\n  window: 10m\n  measures:\n    sources: count_distinct(source.ip)\n  having: sources > 1000000\n",
                "id: agg-talkers\n" + header + all + "aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    n: count\n    avg_bytes: avg(source.bytes)\n  having: n > 5000\n",
                "id: agg-rejects\n" + header + attempts + "aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    rejected: count\n    spread: stddev(duration)\n  having: rejected > 1000\n");
    }

    private static void resetPeaks()
    {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap()
    {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
