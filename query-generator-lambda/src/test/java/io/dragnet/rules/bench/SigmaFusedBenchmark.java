package io.dragnet.rules.bench;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.storage.BenchmarkResults;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

/**
 * Sigma rules fused vs one query per rule, through the real compiler and Spark backend: a generated day of proxy
 * records (Parquet, declared in sources.yaml, mapped by a pipeline file in the rules folder), N Sigma rules shaped like
 * SigmaHQ's proxy rules (user-agent lists, URI suffixes, host suffixes with wildcards, methods, status codes), compiled
 * once into one fused job and once per rule. Every side runs the whole job (scan, match, documents, summaries, metrics)
 * after a warm-up. The bare scan is the floor of any pass over the day: it reads the same columns of the same files as
 * the fused job (every column, as the rules name no output fields) and materializes every record into a noop sink,
 * without matching or writing anything; it runs once before and once after the fused job and the mean of the two is
 * the baseline, so that a change of the shared host's load during the run weighs on both sides alike. Prints a table
 * and one JSON line.
 *
 * <p>Usage: {@code SigmaFusedBenchmark [records=10000000] [rules=200] [perRuleJobs=rules] [dir]}; with perRuleJobs below
 * rules the per-rule side runs that many rules and scales the time to all of them (the JSON says so).
 */
public final class SigmaFusedBenchmark
{
    private static final LocalDate DAY = BenchJobs.DAY;
    private static final String[] METHODS = {"GET", "POST", "PUT", "HEAD"};

    private SigmaFusedBenchmark() {}

    public static void main(String[] args)
            throws IOException
    {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int rules = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int perRuleJobs = args.length > 2 ? Integer.parseInt(args[2]) : rules;
        Path dir = Path.of(args.length > 3 ? args[3] : "target/bench-sigma");
        SparkSession spark = BenchJobs.start("dragnet-sigma-benchmark");
        try {
            Path lake = dir.resolve("lake");
            generate(spark, records).write().mode("overwrite").parquet(lake.resolve("bench_http/dt=" + DAY).toString());
            List<String> sigmaRules = new ArrayList<>();
            for (int r = 0; r < rules; r++) {
                sigmaRules.add(sigmaRule(r));
            }
            run(spark, dir.resolve("warm-up"), List.of(sigmaRules.get(0)), lake);
            double bareBefore = bareScan(spark, lake);
            Run fused = run(spark, dir.resolve("fused"), sigmaRules, lake);
            double bareAfter = bareScan(spark, lake);
            double bare = (bareBefore + bareAfter) / 2;
            double perRule = 0;
            long perRuleHits = 0;
            for (int r = 0; r < perRuleJobs; r++) {
                Run alone = run(spark, dir.resolve("rule-" + r), List.of(sigmaRules.get(r)), lake);
                perRule += alone.seconds();
                perRuleHits += alone.hits();
            }
            double perRuleAll = perRule * rules / perRuleJobs;
            System.out.printf("%-8s %10s %10s %12s %14s %14s %12s %12s%n", "rules", "records", "bare s", "fused s", "per-rule s", "per-rule/fused", "fused/bare", "fused hits");
            System.out.printf("%-8d %10d %10.1f %12.1f %14.1f %14.1f %12.2f %12d%n", rules, records, bare, fused.seconds(), perRuleAll, perRuleAll / fused.seconds(),
                    fused.seconds() / bare, fused.hits());
            System.out.printf("bare scan before / after the fused job: %.1f s / %.1f s; fused job stages (s): %s%n", bareBefore, bareAfter, fused.stageSeconds());
            if (perRuleJobs < rules) {
                System.out.printf("per-rule time measured on %d of the %d rules (every rule shape) and scaled to all %d%n", perRuleJobs, rules, rules);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("benchmark", "sigma-fused-vs-per-rule");
            json.put("records", records);
            json.put("rules", rules);
            json.put("perRuleJobsRun", perRuleJobs);
            json.put("bareScanSeconds", bare);
            json.put("bareScanSecondsBeforeAndAfter", List.of(bareBefore, bareAfter));
            json.put("fusedSeconds", fused.seconds());
            json.put("perRuleSeconds", perRuleAll);
            json.put("perRuleOverFused", perRuleAll / fused.seconds());
            json.put("fusedOverBareScan", fused.seconds() / bare);
            json.put("fusedHits", fused.hits());
            json.put("fusedStageSeconds", fused.stageSeconds());
            json.put("perRuleHitsOfRulesRun", perRuleHits);
            json.put("note", BenchJobs.hostNote(records)
                    + (perRuleJobs < rules ? "; per-rule time measured on " + perRuleJobs + " of the " + rules + " rules and scaled to all" : ""));
            BenchmarkResults.record(json, "SigmaFusedBenchmark " + String.join(" ", args), new java.io.PrintWriter(System.out, true));
        }
        finally {
            spark.stop();
        }
    }

    private static Dataset<Row> generate(SparkSession spark, long records)
    {
        return spark.range(records).select(
                expr("timestamp_seconds(1541116800 + pmod(id, 86400))").as("ts"),
                concat(lit("C"), col("id").cast("string")).as("uid"),
                expr("concat('172.16.', cast(pmod(id, 250) as string), '.', cast(pmod(hash(id, 4), 250) as string))").as("id.orig_h"),
                expr("concat('10.', cast(pmod(hash(id, 1), 256) as string), '.', cast(pmod(hash(id, 2), 256) as string), '.1')").as("id.resp_h"),
                expr("element_at(array('GET', 'GET', 'GET', 'POST', 'PUT', 'HEAD'), 1 + pmod(hash(id, 3), 6))").as("method"),
                expr("concat('host', cast(pmod(hash(id, 5), 20000) as string), element_at(array('.com', '.net', '.org', '.io', '.ru', '.top'), 1 + pmod(hash(id, 6), 6)))")
                        .as("host"),
                expr("concat('/', element_at(array('index', 'api', 'static', 'login', 'download'), 1 + pmod(hash(id, 7), 5)), '/', cast(pmod(hash(id, 8), 100000) as string), "
                        + "element_at(array('.html', '.php', '.js', '.exe', '', '.png'), 1 + pmod(hash(id, 9), 6)), '?q=', cast(pmod(hash(id, 10), 1000) as string))").as("uri"),
                expr("concat('Mozilla/5.0 (Windows NT 10.0; Win64; x64) build/', cast(pmod(hash(id, 11), 100000) as string), ' agent-', cast(pmod(hash(id, 12), 5000) as string))")
                        .as("user_agent"),
                expr("element_at(array(200, 200, 200, 301, 302, 404, 500), 1 + pmod(hash(id, 13), 7))").cast("long").as("status_code"));
    }

    /** Rule r, in the shapes SigmaHQ's proxy rules use; each matches a small, different slice of the day. */
    static String sigmaRule(int r)
    {
        String detection = switch (r % 5) {
            case 0 -> "  selection:\n    c-useragent|contains:\n      - ' agent-" + (r * 7 % 5000) + "x'\n      - 'build/" + (r * 13 % 100000) + " '\n  condition: selection\n";
            case 1 -> "  selection:\n    c-uri|endswith: '/" + (r * 31 % 100000) + ".exe?q=1'\n    cs-method: GET\n  condition: selection\n";
            case 2 -> "  selection:\n    cs-host: 'host" + (r * 17 % 20000) + ".*'\n  filter:\n    sc-status: 200\n  condition: selection and not filter\n";
            case 3 -> "  selection_a:\n    c-uri|startswith: '/login/" + (r * 11 % 1000) + "'\n  selection_b:\n    cs-method: [POST, PUT]\n  condition: all of selection_*\n";
            default -> "  selection:\n    c-useragent|re: 'build/" + (r * 19 % 1000) + "[0-9] agent-1'\n  condition: selection\n";
        };
        return "title: bench rule " + r + "\nid: 00000000-0000-4000-8000-" + String.format("%012d", r) + "\nstatus: stable\nlevel: medium\nlogsource:\n  category: proxy\n"
                + "detection:\n" + detection;
    }

    /** @param stageSeconds the job's own timing of its stages (scan, documents, summaries...) */
    private record Run(double seconds, long hits, Map<String, Double> stageSeconds) {}

    private static Run run(SparkSession spark, Path folder, List<String> rules, Path lake)
            throws IOException
    {
        Path rulesFolder = Files.createDirectories(folder.resolve("rules"));
        Files.writeString(rulesFolder.resolve("sources.yaml"), """
                sources:
                  bench_http:
                    format: parquet
                    time_field: ts
                    fields: {ts: timestamp, uid: string, id.orig_h: ip, id.resp_h: ip, method: string, host: string, uri: string, user_agent: string, status_code: long}
                    mapping: {"@timestamp": ts, event.id: uid, source.ip: id.orig_h, destination.ip: id.resp_h}
                """);
        Files.writeString(rulesFolder.resolve("pipeline.yaml"), """
                pipeline: bench-proxy
                logsources:
                  - logsource: {category: proxy}
                    sources: [bench_http]
                    topic: web
                    fields: {c-uri: uri, cs-host: host, c-useragent: user_agent, cs-method: method, sc-status: status_code}
                """);
        for (int i = 0; i < rules.size(); i++) {
            Files.writeString(rulesFolder.resolve("bench_" + i + ".yml"), rules.get(i));
        }
        BenchJobs.Timed timed = BenchJobs.run(spark, folder, rulesFolder, lake);
        JobSpec spec = timed.spec();
        double seconds = timed.seconds();
        Path documents = Path.of(java.net.URI.create(spec.outputs().documents()));
        long hits = Files.exists(documents) ? spark.read().parquet(documents.toString()).count() : 0;
        RunMetrics metrics = Json.mapper().readValue(Files.readString(Path.of(java.net.URI.create(spec.outputs().metrics()))), RunMetrics.class);
        Map<String, Double> stages = new LinkedHashMap<>();
        metrics.stages().forEach(stage -> stages.put(stage.name(), stage.durationMillis() / 1000.0));
        return new Run(seconds, hits, stages);
    }

    private static double bareScan(SparkSession spark, Path lake)
    {
        long start = System.nanoTime();
        spark.read().parquet(lake.resolve("bench_http/dt=" + DAY).toString()).write().format("noop").mode("overwrite").save();
        return (System.nanoTime() - start) / 1e9;
    }
}
