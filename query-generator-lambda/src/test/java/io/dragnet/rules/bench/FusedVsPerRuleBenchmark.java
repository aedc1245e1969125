package io.dragnet.rules.bench;

import io.dragnet.contracts.JobSpec;
import io.dragnet.rules.Compilation;
import io.dragnet.rules.CompileContext;
import io.dragnet.rules.JobWriter;
import io.dragnet.rules.Locations;
import io.dragnet.rules.RuleCompiler;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.contracts.Json;
import io.dragnet.sparkjobs.internal.KeywordUdf;
import io.dragnet.storage.BenchmarkResults;
import io.dragnet.storage.LocalObjectStore;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

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
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.udf;

/**
 * Fused vs one job per rule, through the real compiler and Spark backend: a generated day of connection records
 * (Parquet source declared in sources.yaml), R rules that each sweep the same 100 k-address IoC feed plus a rule-specific
 * port, compiled once into a fused job and once per rule. Both sides do the full job (scan, match, documents, summaries,
 * metrics), after one warm-up job. Then 1,000 keywords: the Aho-Corasick UDF against Spark's OR of LIKE (contains) on the same rows, timed
 * with a noop sink. Prints a table and one JSON line.
 *
 * <p>Usage: {@code FusedVsPerRuleBenchmark [records=10000000] [rules=1,10,50,100] [iocs=100000] [keywords=1000, 0 to skip] [dir]}
 */
public final class FusedVsPerRuleBenchmark
{
    private static final LocalDate DAY = BenchJobs.DAY;

    private FusedVsPerRuleBenchmark() {}

    public static void main(String[] args)
            throws IOException
    {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        List<Integer> ruleCounts = new ArrayList<>();
        for (String count : (args.length > 1 ? args[1] : "1,10,50,100").split(",")) {
            ruleCounts.add(Integer.parseInt(count));
        }
        int iocs = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int keywords = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
        Path dir = Path.of(args.length > 4 ? args[4] : "target/bench-fused");
        SparkSession spark = BenchJobs.start("dragnet-fused-benchmark");
        try {
            Path lake = dir.resolve("lake");
            Dataset<Row> day = BenchJobs.connDay(spark, records).drop("id");
            day.write().mode("overwrite").parquet(lake.resolve("bench_conn/dt=" + DAY).toString());
            Path iocFile = dir.resolve("iocs/feed.txt");
            Files.createDirectories(iocFile.getParent());
            StringBuilder feed = new StringBuilder();
            for (int i = 0; i < iocs; i++) {
                long address = (i * 2_654_435_761L) % (1L << 24);
                feed.append("10.").append(address >> 16).append('.').append((address >> 8) & 255).append('.').append(address & 255).append('\n');
            }
            Files.writeString(iocFile, feed.toString());

            // warm-up: class loading, JIT and the first Parquet scan would otherwise be charged to the first measurement
            run(spark, dir.resolve("warm-up"), List.of(rule(0, iocFile)), lake);
            List<Map<String, Object>> rows = new ArrayList<>();
            System.out.printf("%-6s %10s %12s %14s %12s %14s %8s%n", "rules", "records", "fused s", "fused rec/s", "per-rule s", "per-rule rec/s", "ratio");
            for (int rules : ruleCounts) {
                Path folder = dir.resolve("rules-" + rules);
                List<String> yaml = new ArrayList<>();
                for (int r = 0; r < rules; r++) {
                    yaml.add(rule(r, iocFile));
                }
                double fused = run(spark, folder.resolve("fused"), yaml, lake);
                double perRule = 0;
                for (int r = 0; r < rules; r++) {
                    perRule += run(spark, folder.resolve("rule-" + r), List.of(yaml.get(r)), lake);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("rules", rules);
                row.put("records", records);
                row.put("fusedSeconds", fused);
                row.put("fusedRecordsPerSecond", Math.round(records / fused));
                row.put("perRuleSeconds", perRule);
                row.put("perRuleRecordsPerSecond", Math.round(records / perRule));
                row.put("ratio", perRule / fused);
                rows.add(row);
                System.out.printf("%-6d %10d %12.1f %14d %12.1f %14d %8.1f%n", rules, records, fused, Math.round(records / fused), perRule, Math.round(records / perRule), perRule / fused);
            }

            Map<String, Object> keywordRow = Map.of();
            if (keywords > 0) {
                keywordRow = keywords(spark, spark.read().parquet(lake.resolve("bench_conn/dt=" + DAY).toString()), keywords, records);
                System.out.printf("%nkeywords %d over %d rows: Aho-Corasick %.1f s, OR of LIKE %.1f s, ratio %.1f%n", keywords, records,
                        keywordRow.get("ahoCorasickSeconds"), keywordRow.get("orOfLikeSeconds"), keywordRow.get("ratio"));
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("benchmark", "fused-vs-per-rule");
            json.put("iocs", iocs);
            json.put("rows", rows);
            json.put("keywords", keywordRow);
            BenchmarkResults.record(json, "FusedVsPerRuleBenchmark " + String.join(" ", args), new java.io.PrintWriter(System.out, true));
        }
        finally {
            spark.stop();
        }
    }

    private static String rule(int index, Path iocFile)
    {
        return "id: bench-" + index + "\ntitle: bench rule " + index + "\ntopic: c2\nowner: bench\nsources: [bench_conn]\nmatch:\n"
                + "  feed:\n    ioc: ip\n    fields: [destination.ip]\n    files: ['" + iocFile.toAbsolutePath() + "']\n"
                + "  port:\n    destination.port: " + (index * 7 % 1000) + "\n"
                + "  condition: feed and port\n";
    }

    private static double run(SparkSession spark, Path folder, List<String> rules, Path lake)
            throws IOException
    {
        return BenchJobs.run(spark, folder, """
                sources:
                  bench_conn:
                    format: parquet
                    time_field: ts
                    fields: {ts: timestamp, uid: string, id.orig_h: ip, id.orig_p: long, id.resp_h: ip, id.resp_p: long, proto: string, user_agent: string}
                    mapping: {"@timestamp": ts, event.id: uid, source.ip: id.orig_h, destination.ip: id.resp_h, destination.port: id.resp_p, user_agent.original: user_agent}
                """, rules, lake);
    }

    private static Map<String, Object> keywords(SparkSession spark, Dataset<Row> rows, int count, long records)
    {
        List<String> keywords = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keywords.add("agent-" + (i * 5 + 3) + "x");
        }
        keywords.set(0, "agent-42");
        UserDefinedFunction ahoCorasick = udf(new KeywordUdf(keywords, false), DataTypes.BooleanType);
        Column userAgent = col("user_agent");
        double udfSeconds = noop(rows.filter(ahoCorasick.apply(userAgent)));
        Column orOfLike = lit(false);
        Column folded = lower(userAgent);
        for (String keyword : keywords) {
            orOfLike = orOfLike.or(folded.contains(lit(keyword.toLowerCase())));
        }
        double likeSeconds = noop(rows.filter(orOfLike));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("keywords", count);
        result.put("records", records);
        result.put("ahoCorasickSeconds", udfSeconds);
        result.put("orOfLikeSeconds", likeSeconds);
        result.put("ratio", likeSeconds / udfSeconds);
        return result;
    }

    private static double noop(Dataset<Row> rows)
    {
        long start = System.nanoTime();
        rows.write().format("noop").mode("overwrite").save();
        return (System.nanoTime() - start) / 1e9;
    }
}
