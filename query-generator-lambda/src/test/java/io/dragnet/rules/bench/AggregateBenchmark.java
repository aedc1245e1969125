package io.dragnet.rules.bench;

import io.dragnet.storage.BenchmarkResults;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.inline;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Aggregate rules in the fused pass, on a generated conn day: 50 record rules alone vs the same 50 plus 10 aggregate
 * rules fused (each the median of three alternating runs; target ≤ 1.5×), vs each aggregate rule as its own job and as its own hand-written
 * Spark query ({@link HandWrittenAggregates}, whose hits must equal the fused pass's for every rule; target ≥ 5× the fused aggregate cost), the floor
 * of what the aggregate rules add (their rows through the same kind of sorted exchange, computing nothing), and two
 * rules over a day whose group field has one distinct value per record, run in a child JVM with a 512 MB heap: the whole
 * day and its first tenth, with the most heap in use after a collection in each. Bounded memory shows as the run
 * finishing under the cap with ten times the groups (state per group would need far more); the figure after
 * collections follows the cap rather than the groups, since Spark's sort buffers take their share of whatever heap
 * there is and spill beyond it. Prints a table and one JSON line.
 *
 * <p>Arguments: records (default 10,000,000), directory (default target/bench-aggregate).
 */
public final class AggregateBenchmark
{
    private static final LocalDate DAY = BenchJobs.DAY;
    private static final String SOURCES = HandWrittenAggregates.SOURCES;

    /** The heap of the high-cardinality runs: small enough that unbounded state per group would fail them. */
    private static final String DISTINCT_SOURCES_HEAP = "512m";

    private AggregateBenchmark() {}

    public static void main(String[] args)
            throws IOException
    {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path dir = Path.of(args.length > 1 ? args[1] : "target/bench-aggregate");
        SparkSession spark = BenchJobs.start("dragnet-aggregate-benchmark");
        try {
            Path lake = dir.resolve("lake");
            Dataset<Row> day = HandWrittenAggregates.connDay(spark, records);
            day.write().mode("overwrite").parquet(lake.resolve("bench_conn/dt=" + DAY).toString());
            Files.createDirectories(dir.resolve("iocs"));
            List<String> recordRules = new ArrayList<>();
            for (int r = 0; r < 50; r++) {
                recordRules.add(recordRule(r));
            }
            List<String> aggregateRules = HandWrittenAggregates.rules(HandWrittenAggregates.Thresholds.BENCHMARK);
            BenchJobs.run(spark, dir.resolve("warm-up"), SOURCES, List.of(recordRules.get(0), aggregateRules.get(0)), lake);

            List<String> fusedRules = new ArrayList<>(recordRules);
            fusedRules.addAll(aggregateRules);
            // the two runs the ratios rest on alternate, and each counts by its median: one slow run on a shared host moves neither
            List<Double> recordRuns = new ArrayList<>();
            List<Double> fusedRuns = new ArrayList<>();
            String fusedAggregates = null;
            for (int run = 0; run < TIMED_RUNS; run++) {
                recordRuns.add(BenchJobs.run(spark, dir.resolve("records-" + run), SOURCES, recordRules, lake));
                Path folder = dir.resolve("fused-" + run);
                BenchJobs.Timed timed = BenchJobs.run(spark, folder, BenchJobs.writeRules(folder, SOURCES, fusedRules), lake);
                fusedRuns.add(timed.seconds());
                fusedAggregates = timed.spec().outputs().aggregates();
            }
            double recordOnly = median(recordRuns);
            double fused = median(fusedRuns);
            // each rule as its own dragnet job and as its own hand-written Spark query, alternating rule by rule
            List<HandWrittenAggregates.Query> queries = HandWrittenAggregates.queries(spark.read().parquet(lake.resolve("bench_conn/dt=" + DAY).toString()),
                    HandWrittenAggregates.Thresholds.BENCHMARK);
            double separate = 0;
            Map<String, String> sparkFolders = new LinkedHashMap<>();
            List<Double> sparkSeconds = new ArrayList<>();
            for (int a = 0; a < aggregateRules.size(); a++) {
                separate += BenchJobs.run(spark, dir.resolve("aggregate-" + a), SOURCES, List.of(aggregateRules.get(a)), lake);
                HandWrittenAggregates.Query query = queries.get(a);
                String folder = dir.resolve("spark-" + query.ruleId()).toString();
                long start = System.nanoTime();
                query.hits().write().mode("overwrite").parquet(folder);
                sparkSeconds.add((System.nanoTime() - start) / 1e9);
                sparkFolders.put(query.ruleId(), folder);
            }
            double aggregateCost = fused - recordOnly;
            SparkQueries sparkQueries = compared(spark, fusedAggregates, queries, sparkFolders, sparkSeconds);
            ExchangeFloor floor = exchangeFloor(spark, lake);

            Dataset<Row> distinct = spark.read().parquet(lake.resolve("bench_conn/dt=" + DAY).toString())
                    .withColumn("id.orig_h", expr("concat('10.', cast(pmod(cast(substring(uid, 2) as long), 16777216) div 65536 as string), '.', "
                            + "cast(pmod(cast(substring(uid, 2) as long), 65536) div 256 as string), '.', cast(pmod(cast(substring(uid, 2) as long), 256) as string), '.', "
                            + "cast(cast(substring(uid, 2) as long) div 16777216 as string))"));
            distinct.write().mode("overwrite").parquet(dir.resolve("lake-distinct/bench_conn/dt=" + DAY).toString());
            spark.read().parquet(dir.resolve("lake-distinct/bench_conn/dt=" + DAY).toString()).limit((int) (records / 10)).write().mode("overwrite")
                    .parquet(dir.resolve("lake-distinct-tenth/bench_conn/dt=" + DAY).toString());
            List<String> distinctRules = List.of(aggregateRules.get(0), aggregateRules.get(4));
            DistinctSources tenth = distinctSources(dir.resolve("distinct-tenth"), distinctRules, dir.resolve("lake-distinct-tenth"));
            DistinctSources all = distinctSources(dir.resolve("distinct"), distinctRules, dir.resolve("lake-distinct"));

            Map<String, Double> recordStages = stageSeconds(dir.resolve("records-" + recordRuns.indexOf(recordOnly)));
            Map<String, Double> fusedStages = stageSeconds(dir.resolve("fused-" + fusedRuns.indexOf(fused)));
            System.out.printf("%-44s %10s%n", "run (" + records + " records)", "seconds");
            System.out.printf("%-44s %10.1f   (runs %s)%n", "50 record rules, median", recordOnly, seconds(recordRuns));
            System.out.printf("%-44s %10.1f   (runs %s)%n", "50 record + 10 aggregate rules fused, median", fused, seconds(fusedRuns));
            System.out.printf("%-44s %10.1f%n", "10 aggregate rules, one job each", separate);
            System.out.printf("%-44s %10.1f%n", "10 aggregate rules, hand-written Spark queries", sparkQueries.seconds());
            System.out.printf("%-44s %10.1f%n", "floor: scan of the aggregate fields alone", floor.scanSeconds());
            System.out.printf("%-44s %10.1f%n", "floor: + their sorted exchange, no aggregation", floor.exchangeSeconds());
            System.out.printf("%-44s %10.1f%n", "floor: + the same exchange, unsorted", floor.unsortedExchangeSeconds());
            System.out.printf("%-44s %10.1f%n", "2 aggregate rules, a distinct source per record", all.seconds());
            System.out.printf("%-44s %10.1f%n", "the same, the first tenth of the records", tenth.seconds());
            System.out.printf("%-44s %10s %10s%n", "stage", "records", "fused");
            fusedStages.forEach((stage, seconds) -> System.out.printf("%-44s %10.1f %10.1f%n", stage, recordStages.getOrDefault(stage, 0.0), seconds));
            System.out.printf("%-44s %10s %10s %10s%n", "aggregate rule", "spark s", "hits", "dragnet");
            sparkQueries.rules().forEach(rule -> System.out.printf("%-44s %10.1f %10d %10d%n", rule.comparison().ruleId(), rule.seconds(),
                    rule.comparison().sparkHits(), rule.comparison().dragnetHits()));
            double floorRatio = (recordOnly + floor.exchangeSeconds() - floor.scanSeconds()) / recordOnly;
            double unsortedFloorRatio = (recordOnly + floor.unsortedExchangeSeconds() - floor.scanSeconds()) / recordOnly;
            System.out.printf("floor: the record rules plus the bare exchange of the aggregate rows %.2fx the record rules alone (unsorted %.2fx)%n", floorRatio,
                    unsortedFloorRatio);
            System.out.printf("fused / records alone %.2fx (target <= 1.5x); separate / fused aggregate cost %.1fx, separate / fused whole %.1fx (target >= 5x); "
                    + "hand-written Spark queries / fused aggregate cost %.1fx, / fused whole %.1fx; "
                    + "heap cap %s: at most %d MB in use after a collection with %d distinct sources, %d MB with %d%n", fused / recordOnly,
                    separate / Math.max(aggregateCost, 0.001), separate / fused, sparkQueries.seconds() / Math.max(aggregateCost, 0.001), sparkQueries.seconds() / fused,
                    DISTINCT_SOURCES_HEAP, all.heapAfterCollection() >> 20, records, tenth.heapAfterCollection() >> 20, records / 10);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("benchmark", "aggregate-rules");
            json.put("variant", String.format(Locale.ROOT, "%,d records", records));
            json.put("records", records);
            json.put("recordRulesSeconds", recordOnly);
            json.put("fusedSeconds", fused);
            json.put("recordRulesRunSeconds", recordRuns);
            json.put("fusedRunSeconds", fusedRuns);
            json.put("separateAggregateSeconds", separate);
            json.put("fusedOverRecordRules", fused / recordOnly);
            json.put("separateOverFusedAggregateCost", separate / Math.max(aggregateCost, 0.001));
            json.put("separateOverFused", separate / fused);
            json.put("sparkQueriesSeconds", sparkQueries.seconds());
            json.put("sparkQueriesOverFusedAggregateCost", sparkQueries.seconds() / Math.max(aggregateCost, 0.001));
            json.put("sparkQueriesOverFused", sparkQueries.seconds() / fused);
            Map<String, Double> ruleSeconds = new LinkedHashMap<>();
            Map<String, Long> ruleHits = new LinkedHashMap<>();
            sparkQueries.rules().forEach(rule -> {
                ruleSeconds.put(rule.comparison().ruleId(), rule.seconds());
                ruleHits.put(rule.comparison().ruleId(), rule.comparison().dragnetHits());
            });
            json.put("sparkQueryRuleSeconds", ruleSeconds);
            json.put("aggregateRuleHits", ruleHits);
            json.put("floorScanSeconds", floor.scanSeconds());
            json.put("floorExchangeSeconds", floor.exchangeSeconds());
            json.put("floorOverRecordRules", floorRatio);
            json.put("floorUnsortedExchangeSeconds", floor.unsortedExchangeSeconds());
            json.put("floorUnsortedOverRecordRules", unsortedFloorRatio);
            json.put("recordRulesStageSeconds", recordStages);
            json.put("fusedStageSeconds", fusedStages);
            json.put("distinctSourcesSeconds", all.seconds());
            json.put("distinctSourcesHeapCap", DISTINCT_SOURCES_HEAP);
            json.put("distinctSourcesHeapAfterCollectionBytes", all.heapAfterCollection());
            json.put("tenthDistinctSourcesSeconds", tenth.seconds());
            json.put("tenthDistinctSourcesHeapAfterCollectionBytes", tenth.heapAfterCollection());
            json.put("note", BenchJobs.hostNote(records));
            BenchmarkResults.record(json, "AggregateBenchmark " + String.join(" ", args), new java.io.PrintWriter(System.out, true));
        }
        finally {
            spark.stop();
        }
    }

    /** Runs of the record rules alone and of the fused rules: an odd number, so the median is one of them. */
    private static final int TIMED_RUNS = 3;

    private static double median(List<Double> runs)
    {
        return runs.stream().sorted().toList().get(runs.size() / 2);
    }

    private static String seconds(List<Double> runs)
    {
        return String.join(", ", runs.stream().map(run -> String.format(Locale.ROOT, "%.1f", run)).toList());
    }

    /** The seconds of each stage of a run, from the metrics file the job wrote under {@code folder}. */
    private static Map<String, Double> stageSeconds(Path folder)
            throws IOException
    {
        Map<String, Double> stages = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(folder.resolve("results/runs"))) {
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

    /** One hand-written query's seconds and how its hits compared with dragnet's for the same rule. */
    private record SparkQuery(double seconds, HandWrittenAggregates.RuleComparison comparison) {}

    private record SparkQueries(double seconds, List<SparkQuery> rules) {}

    /**
     * The hand-written queries' seconds with the comparison of each one's hits (written to {@code sparkFolders}) with
     * the same rule's hits in the fused run's output {@code fusedAggregates}; fails if any differ.
     */
    private static SparkQueries compared(SparkSession spark, String fusedAggregates, List<HandWrittenAggregates.Query> queries, Map<String, String> sparkFolders,
            List<Double> seconds)
    {
        List<HandWrittenAggregates.RuleComparison> comparisons = HandWrittenAggregates.compare(spark, fusedAggregates, queries, sparkFolders);
        List<String> differences = comparisons.stream().filter(comparison -> !comparison.differences().isEmpty())
                .map(comparison -> comparison.ruleId() + ": " + comparison.differences().size() + " differences, e.g. "
                        + comparison.differences().subList(0, Math.min(3, comparison.differences().size())))
                .toList();
        if (!differences.isEmpty()) {
            throw new IllegalStateException("the hand-written Spark queries' hits differ from dragnet's: " + String.join("; ", differences));
        }
        List<SparkQuery> rules = new ArrayList<>();
        for (int q = 0; q < queries.size(); q++) {
            rules.add(new SparkQuery(seconds.get(q), comparisons.get(q)));
        }
        return new SparkQueries(seconds.stream().mapToDouble(Double::doubleValue).sum(), rules);
    }

    /** The cost of the bare minimum the fused pass adds: {@link #exchangeFloor}. */
    private record ExchangeFloor(double scanSeconds, double exchangeSeconds, double unsortedExchangeSeconds) {}

    /**
     * The floor of the aggregate rules' cost: the seconds to read the fields they need from the day (a noop sink),
     * and to read them and send each record's row through a sorted exchange once per shuffle the rules plan (by
     * source address, by destination port), with a long sort key as the fused pass uses, computing nothing. The fused
     * pass cannot cost less than the record rules alone plus the difference. The same exchange unsorted is the floor of
     * any design that still sends each record's row to its group's task (a reducer that hashes instead of sorting).
     */
    private static ExchangeFloor exchangeFloor(SparkSession spark, Path lake)
    {
        Dataset<Row> fields = spark.read().parquet(lake.resolve("bench_conn/dt=" + DAY).toString()).select(col("ts"), col("uid"), col("`id.orig_h`").as("source"),
                col("`id.resp_h`").as("destination"), col("`id.resp_p`").as("port"), col("orig_bytes"), col("orig_pkts"), col("duration"),
                expr("cast(conn_state in ('S0', 'REJ') as long) + 2 * cast(proto = 'udp' as long)").as("flags"));
        long start = System.nanoTime();
        fields.write().format("noop").mode("overwrite").save();
        double scan = (System.nanoTime() - start) / 1e9;
        Column epoch = col("ts").cast("double");
        Column micros = expr("cast((cast(ts as double) - 1541095200) * 1000000 as long)");
        Column bySource = struct(xxhash64(col("source")).bitwiseAND(lit((1L << 25) - 1)).multiply(lit(1L << 37)).plus(micros).as("key"), epoch.as("epoch"),
                col("uid"), col("source"), col("destination"), col("port"), col("orig_bytes"), col("orig_pkts"), col("duration"), col("flags"),
                xxhash64(col("source")).as("partition"));
        Column byPort = struct(xxhash64(col("port")).bitwiseAND(lit((1L << 25) - 1)).multiply(lit(1L << 37)).plus(micros).as("key"), epoch.as("epoch"),
                col("uid"), col("source"), lit(null).cast("string").as("destination"), col("port"), lit(null).cast("long").as("orig_bytes"),
                lit(null).cast("long").as("orig_pkts"), lit(null).cast("double").as("duration"), col("flags"), xxhash64(col("port")).as("partition"));
        Dataset<Row> exchanged = fields.select(inline(array(bySource, byPort))).repartition(col("partition"));
        start = System.nanoTime();
        exchanged.sortWithinPartitions("key").write().format("noop").mode("overwrite").save();
        double sorted = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        exchanged.write().format("noop").mode("overwrite").save();
        return new ExchangeFloor(scan, sorted, (System.nanoTime() - start) / 1e9);
    }

    /** A high-cardinality run in a JVM of its own ({@link AggregateDistinctSourcesRun}): its seconds and the most heap in use right after a collection. */
    private record DistinctSources(double seconds, long heapAfterCollection) {}

    /**
     * Runs the rules over {@code lake} in a child JVM capped at {@link #DISTINCT_SOURCES_HEAP} of heap, with this JVM's
     * other options and class path: it finishes only if the run's memory is bounded, whatever the number of groups.
     */
    private static DistinctSources distinctSources(Path folder, List<String> rules, Path lake)
            throws IOException
    {
        Path rulesFolder = BenchJobs.writeRules(folder, SOURCES, rules);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + DISTINCT_SOURCES_HEAP);
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> !option.startsWith("-Xmx") && !option.startsWith("-Xms") && !option.startsWith("-XX:StartFlightRecording"))
                .forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AggregateDistinctSourcesRun.class.getName(),
                folder.toString(), rulesFolder.toString(), lake.toString()));
        Path log = folder.resolve("run.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int exit = process.waitFor();
            String result = Files.readAllLines(log).stream().filter(line -> line.startsWith(AggregateDistinctSourcesRun.RESULT + " ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the distinct-sources run with -Xmx" + DISTINCT_SOURCES_HEAP + " failed (exit " + exit + "), see " + log));
            String[] figures = result.split(" ");
            return new DistinctSources(Double.parseDouble(figures[1]), Long.parseLong(figures[2]));
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the distinct-sources run", e);
        }
    }
}
