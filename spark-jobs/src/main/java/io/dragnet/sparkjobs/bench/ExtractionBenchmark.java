package io.dragnet.sparkjobs.bench;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Predicate;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.sparkjobs.internal.FieldType;
import io.dragnet.sparkjobs.internal.ZeekHeader;
import io.dragnet.storage.BenchmarkHost;
import io.dragnet.storage.BenchmarkResults;
import io.dragnet.storage.LocalSparkSettings;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark of one extraction job over a generated day of Zeek conn rows (TSV, the lake's real format) with
 * sample-like rules and a 100 k-address IoC table, against a bare scan of the same files and columns in the same run
 * (Spark's CSV reader with the same typed schema, into the noop sink). Prints a table and a JSON line.
 *
 * <p>{@code java ${spark.jvm.flags} -Xmx3g -cp <classpath> io.dragnet.sparkjobs.bench.ExtractionBenchmark [--records N] [--iocs N] [--dir D]}
 */
public final class ExtractionBenchmark
{
    private ExtractionBenchmark() {}

    public static void main(String[] args)
            throws IOException
    {
        long records = Long.parseLong(option(args, "--records", "10000000"));
        int iocCount = Integer.parseInt(option(args, "--iocs", "100000"));
        Path directory = Path.of(option(args, "--dir", "target/extraction-benchmark")).toAbsolutePath();
        BenchmarkHost host = BenchmarkHost.current();
        int cores = host.cores();

        Path day = directory.resolve("lake/zeek_conn/dt=2018-11-02");
        Path iocFile = directory.resolve("iocs.csv");
        Files.createDirectories(directory);
        long generateStart = System.nanoTime();
        List<String> iocs = ConnDayGenerator.iocAddresses(iocCount, 7);
        ConnDayGenerator.writeIocs(iocFile, iocs);
        Path nets = directory.resolve("nets.csv");
        ConnDayGenerator.writeIocs(nets, List.of("199.227.126.0/24", "10.99.0.0/16", "185.0.0.0/12", "23.63.78.0/24", "203.0.113.7/32"));
        long bytes = Files.isDirectory(day) && marker(directory).equals(records + "/" + iocCount) ? Files.walk(day).filter(Files::isRegularFile).mapToLong(ExtractionBenchmark::size).sum()
                : generate(directory, day, records, iocs);
        double generateSeconds = seconds(generateStart);

        MemoryWatch memory = MemoryWatch.start();
        SparkSession spark = session("dragnet-extraction-benchmark", cores);
        try {
            StructType schema = schema(day);
            double scan1 = bareScan(spark, day, schema);
            JobSpec spec = spec(directory, day, iocFile, nets, iocCount);
            long jobStart = System.nanoTime();
            RunMetrics metrics = new ExtractionJob(null, StageListener.NONE).execute(spark, spec);
            double job = seconds(jobStart);
            double scan2 = bareScan(spark, day, schema);
            double scan = Math.min(scan1, scan2);
            double scanStage = metrics.stages().get(0).durationMillis() / 1000.0;

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("benchmark", "extraction");
            result.put("records", metrics.recordsRead());
            result.put("input_bytes", bytes);
            result.put("iocs", iocCount);
            result.put("rules", spec.rules().size());
            result.putAll(host.toMap());
            result.put("generate_seconds", round(generateSeconds));
            result.put("bare_scan_seconds", List.of(round(scan1), round(scan2)));
            result.put("job_seconds", round(job));
            result.put("job_scan_stage_seconds", round(scanStage));
            result.put("bare_scan_records_per_second_per_core", Math.round(metrics.recordsRead() / scan / cores));
            result.put("job_records_per_second_per_core", Math.round(metrics.recordsRead() / job / cores));
            result.put("job_over_bare_scan", round(job / scan));
            result.put("scan_stage_over_bare_scan", round(scanStage / scan));
            result.put("matched_per_rule", metrics.matchedPerRule());
            result.put("peak_heap_mb", memory.peakHeapMegabytes());
            result.put("peak_rss_mb", MemoryWatch.peakResidentMegabytes());
            result.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
            printTable(result);
            BenchmarkResults.record(result, "ExtractionBenchmark " + String.join(" ", args), new java.io.PrintWriter(System.out, true));
        }
        finally {
            memory.stop();
            spark.stop();
        }
    }

    /** The local session the extraction benchmarks run in: every core, one shuffle partition per core. */
    static SparkSession session(String name, int cores)
    {
        SparkSession.Builder builder = SparkSession.builder();
        LocalSparkSettings.of(name, "local[*]", cores).forEach(builder::config);
        return builder.getOrCreate();
    }

    private static long generate(Path directory, Path day, long records, List<String> iocs)
            throws IOException
    {
        if (Files.isDirectory(day)) {
            try (var files = Files.list(day)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
        long bytes = ConnDayGenerator.writeDay(day, records, 8, iocs, 11);
        Files.writeString(directory.resolve("generated.txt"), records + "/" + iocs.size());
        return bytes;
    }

    private static String marker(Path directory)
    {
        try {
            Path file = directory.resolve("generated.txt");
            return Files.isRegularFile(file) ? Files.readString(file).trim() : "";
        }
        catch (IOException e) {
            return "";
        }
    }

    private static long size(Path file)
    {
        try {
            return Files.size(file);
        }
        catch (IOException e) {
            return 0;
        }
    }

    /** Spark's own CSV reader over the same files and typed columns, into the noop sink: reading and parsing only. */
    private static double bareScan(SparkSession spark, Path day, StructType schema)
    {
        long start = System.nanoTime();
        spark.read().option("sep", "\t").option("comment", "#").option("nullValue", "-").option("mode", "PERMISSIVE").schema(schema)
                .csv(day.toUri().toString())
                .write().format("noop").mode(SaveMode.Overwrite).save();
        return seconds(start);
    }

    private static StructType schema(Path day)
            throws IOException
    {
        ZeekHeader header = ZeekHeader.parse(ConnDayGenerator.HEADER.lines().toList(), day.toString());
        StructType schema = new StructType();
        List<FieldType> types = header.fieldTypes();
        for (int i = 0; i < header.fields().size(); i++) {
            // the CSV reader cannot read epoch seconds as a timestamp: read ts as a double, as a bare scan would
            schema = schema.add(header.fields().get(i), types.get(i) == FieldType.TIMESTAMP ? DataTypes.DoubleType : types.get(i).sparkType());
        }
        return schema;
    }

    /** Five sample-like rules (port, 100 k-address IoC join on two columns, CIDR table, numeric and text conditions) over the conn day. */
    static JobSpec spec(Path directory, Path day, Path iocFile, Path nets, int iocCount)
    {
        Path results = directory.resolve("results");
        // the ECS-style names of the generated conn fields, as the built-in zeek_conn source declares them
        Map<String, String> mapping = Map.of("@timestamp", "ts", "event.id", "uid", "source.ip", "id.orig_h", "source.port", "id.orig_p",
                "destination.ip", "id.resp_h", "destination.port", "id.resp_p", "network.transport", "proto", "network.protocol", "service");
        JobSpec.SourceSpec source = new JobSpec.SourceSpec("zeek_conn", "zeek_tsv", day.toUri().toString(), "ts", List.of(), mapping);
        List<JobSpec.RuleSpec> rules = new ArrayList<>();
        rules.add(rule("trickbot-449", "c2", new Predicate.FieldMatch("id.resp_p", "equals", List.of("449"), false, false), List.of("asset_owner", "geo")));
        rules.add(rule("feodo-c2-ip", "c2", new Predicate.IocMatch(List.of("id.resp_h", "id.orig_h"), "feodo"), List.of("ioc_metadata")));
        rules.add(rule("c2-networks", "c2", new Predicate.IocMatch(List.of("id.resp_h"), "nets"), List.of("ioc_metadata")));
        rules.add(rule("long-sessions", "nids", new Predicate.And(List.of(
                new Predicate.FieldMatch("duration", "gt", List.of("3600"), false, false),
                new Predicate.FieldMatch("conn_state", "equals", List.of("SF"), false, false))), List.of()));
        rules.add(rule("smb-outbound", "nids", new Predicate.And(List.of(
                new Predicate.FieldMatch("service", "equals", List.of("smb"), false, false),
                new Predicate.Not(new Predicate.FieldMatch("id.resp_h", "cidr", List.of("172.16.0.0/12", "10.0.0.0/8", "192.168.0.0/16"), false, false)),
                new Predicate.FieldMatch("id.resp_p", "equals", List.of("445"), false, false))), List.of()));
        Path enrichment = samples().resolve("enrichment");
        return new JobSpec(JobSpec.CURRENT_VERSION, "bench", "2018-11-02", source, rules,
                List.of(new JobSpec.IocTable("feodo", "ip", iocFile.toUri().toString(), iocCount), new JobSpec.IocTable("nets", "cidr", nets.toUri().toString(), 5)),
                Map.of("asset_inventory", enrichment.resolve("assets.csv").toUri().toString(),
                        "geo_city_blocks", enrichment.resolve("GeoLite2-City-Blocks-IPv4.csv").toUri().toString(),
                        "geo_city_locations", enrichment.resolve("GeoLite2-City-Locations-en.csv").toUri().toString(),
                        "geo_asn", enrichment.resolve("GeoLite2-ASN-Blocks-IPv4.csv").toUri().toString()),
                new JobSpec.Outputs(null, results.resolve("summaries").toUri().toString(), results.resolve("metrics.json").toUri().toString(),
                        results.resolve("rejects").toUri().toString(), results.resolve("documents").toUri().toString()));
    }

    private static Path samples()
    {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("samples/enrichment"))) {
                return candidate.resolve("samples");
            }
        }
        throw new IllegalStateException("samples/enrichment not found above " + here);
    }

    private static JobSpec.RuleSpec rule(String id, String topic, Predicate predicate, List<String> enrich)
    {
        return new JobSpec.RuleSpec(id, id, topic, "medium", List.of(), predicate, null, enrich, List.of(), List.of());
    }

    public static void printTable(Map<String, Object> result)
    {
        System.out.println();
        System.out.printf("%-45s %s%n", "figure", "value");
        for (Map.Entry<String, Object> entry : result.entrySet()) {
            System.out.printf("%-45s %s%n", entry.getKey(), entry.getValue());
        }
        System.out.println();
    }

    public static String option(String[] args, String name, String fallback)
    {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    public static double seconds(long startNanos)
    {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public static double round(double value)
    {
        return Math.round(value * 100) / 100.0;
    }

    /** Samples heap use every 100 ms (GC-collected pools after collection would hide the peak, so used heap is polled). */
    private static final class MemoryWatch
    {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long peak;

        private MemoryWatch()
        {
            thread = new Thread(() -> {
                while (running) {
                    long used = 0;
                    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                        if (pool.getType() == MemoryType.HEAP) {
                            used += pool.getUsage().getUsed();
                        }
                    }
                    peak = Math.max(peak, used);
                    try {
                        Thread.sleep(100);
                    }
                    catch (InterruptedException e) {
                        return;
                    }
                }
            }, "memory-watch");
            thread.setDaemon(true);
        }

        static MemoryWatch start()
        {
            MemoryWatch watch = new MemoryWatch();
            watch.thread.start();
            return watch;
        }

        long peakHeapMegabytes()
        {
            return peak / (1024 * 1024);
        }

        void stop()
        {
            running = false;
            thread.interrupt();
        }

        /** VmHWM of this process (Linux), -1 elsewhere. */
        static long peakResidentMegabytes()
        {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                    }
                }
            }
            catch (IOException | NumberFormatException e) {
                return -1;
            }
            return -1;
        }
    }
}
