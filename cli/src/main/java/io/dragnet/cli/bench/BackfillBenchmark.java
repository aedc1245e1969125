package io.dragnet.cli.bench;

import io.dragnet.contracts.Backfill;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.EnvironmentVariable;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunFolders;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.sparkjobs.bench.ConnDayGenerator;
import io.dragnet.sparkjobs.bench.ExtractionBenchmark;
import io.dragnet.sparkjobs.lake.ImportSummary;
import io.dragnet.sparkjobs.lake.ZeekLakeImporter;
import io.dragnet.statemachine.BackfillCommand;
import io.dragnet.statemachine.DailyRun;
import io.dragnet.statemachine.ExecutionResult;
import io.dragnet.storage.BenchmarkHost;
import io.dragnet.storage.BenchmarkResults;
import io.dragnet.storage.FileTrees;
import io.dragnet.storage.RepositoryPaths;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A new IoC rule over N past days, two ways, through the real daily workflow with the local executor: N daily runs of
 * one day each (N GenerateJobs, N clusters, N Publish and RecordRunCost) against one backfill execution covering the N
 * days (one GenerateJobs, one cluster running every day's job, one Publish). The days are generated Zeek conn days,
 * imported as Parquet first; both ways must find the same hits per rule. Run with {@code OPENSEARCH_AUTH=disabled}
 * (what is timed is the workflow and Spark, not indexing). Locally a cluster is a Spark session; on EMR each run also
 * waits for its own cluster to be provisioned, which this does not measure. Prints a table and a JSON line.
 *
 * <p>{@code OPENSEARCH_AUTH=disabled java ${spark.jvm.flags} -Xmx3g -cp "cli/target/classes:cli/target/lib/*" io.dragnet.cli.bench.BackfillBenchmark [--days 30] [--records-per-day 100000] [--dir D]}
 */
public final class BackfillBenchmark
{
    private static final LocalDate FIRST_DAY = LocalDate.parse("2018-10-01");

    private BackfillBenchmark() {}

    public static void main(String[] args)
            throws IOException
    {
        int days = Integer.parseInt(ExtractionBenchmark.option(args, "--days", "30"));
        long recordsPerDay = Long.parseLong(ExtractionBenchmark.option(args, "--records-per-day", "100000"));
        Path directory = Path.of(ExtractionBenchmark.option(args, "--dir", "target/backfill-benchmark")).toAbsolutePath();
        if (!EnvironmentVariable.OPENSEARCH_AUTH.read().filter("disabled"::equals).isPresent()) {
            throw new IllegalStateException("run with OPENSEARCH_AUTH=disabled: this benchmark times the workflow and Spark, not indexing");
        }
        FileTrees.deleteRecursively(directory);
        DragnetHome home = new DragnetHome(directory.resolve("home"));
        List<String> iocs = ConnDayGenerator.iocAddresses(10_000, 7);
        Path rules = Files.createDirectories(directory.resolve("rules"));
        Files.createDirectories(directory.resolve("iocs"));
        ConnDayGenerator.writeIocs(directory.resolve("iocs/new-c2.csv"), iocs);
        Files.writeString(rules.resolve("new-c2-hosts.yaml"), """
                id: new-c2-hosts
                title: Connections to the new C2 feed's hosts
                topic: c2
                owner: c2-research@dragnet.example
                severity: high
                sources: [zeek_conn]
                match:
                  known:
                    ioc: ip
                    files: [../iocs/new-c2.csv]
                  condition: known
                """);
        Files.writeString(rules.resolve("c2-port-449.yaml"), """
                id: c2-port-449
                title: Connections to port 449
                topic: c2
                owner: c2-research@dragnet.example
                severity: medium
                sources: [zeek_conn]
                match:
                  port:
                    destination.port: 449
                  condition: port
                """);

        long generateStart = System.nanoTime();
        Backfill range = new Backfill(FIRST_DAY, FIRST_DAY.plusDays(days - 1), List.of());
        Path raw = directory.resolve("raw");
        for (LocalDate day : range.days()) {
            ConnDayGenerator.writeDay(raw.resolve(day.toString()), day, recordsPerDay, 2, iocs, day.toEpochDay());
        }
        ImportSummary imported = new ZeekLakeImporter(Map.of()).importLogs(raw, home.lake(), ZeekLakeImporter.Selection.ALL);
        if (!imported.complete() || imported.records() != recordsPerDay * days) {
            throw new IllegalStateException("the import did not take every generated record: " + imported);
        }
        FileTrees.deleteRecursively(raw);
        double generateSeconds = ExtractionBenchmark.seconds(generateStart);
        Path definition = RepositoryPaths.root().resolve("statemachine/daily-run.asl.json");
        String enrichment = RepositoryPaths.root().resolve("samples/enrichment").toUri().toString();
        PrintWriter timeline = new PrintWriter(Files.newBufferedWriter(directory.resolve("timeline.log")), true);

        // warm-up: a two-day backfill, so neither way pays the JVM's first compilations alone
        run(home, definition, FIRST_DAY, Map.of("runId", "warm-up", "rulesLocation", rules.toUri().toString(), "enrichmentLocation", enrichment,
                "backfill", BackfillCommand.input(new Backfill(FIRST_DAY, FIRST_DAY.plusDays(1), List.of()))), timeline);

        long singleStart = System.nanoTime();
        for (LocalDate day : range.days()) {
            run(home, definition, day, Map.of("runId", "single-" + day, "rulesLocation", rules.toUri().toString(), "enrichmentLocation", enrichment), timeline);
        }
        double singleSeconds = ExtractionBenchmark.seconds(singleStart);

        long backfillStart = System.nanoTime();
        run(home, definition, range.to(), Map.of("runId", "backfill", "rulesLocation", rules.toUri().toString(), "enrichmentLocation", enrichment,
                "backfill", BackfillCommand.input(range)), timeline);
        double backfillSeconds = ExtractionBenchmark.seconds(backfillStart);
        timeline.close();

        Map<String, Long> singleHits = new TreeMap<>();
        Map<String, Long> backfillHits = new TreeMap<>();
        for (LocalDate day : range.days()) {
            matched(home, day, "single-" + day).forEach((rule, count) -> singleHits.merge(rule, count, Long::sum));
            matched(home, day, "backfill").forEach((rule, count) -> backfillHits.merge(rule, count, Long::sum));
        }
        if (!singleHits.equals(backfillHits) || singleHits.isEmpty()) {
            throw new IllegalStateException("the two ways disagree: daily runs " + singleHits + ", backfill " + backfillHits);
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "backfill");
        result.put("days", days);
        result.put("records_per_day", recordsPerDay);
        result.put("rules", 2);
        result.put("iocs", iocs.size());
        result.put("single_day_runs_seconds", ExtractionBenchmark.round(singleSeconds));
        result.put("single_day_runs", days);
        result.put("backfill_seconds", ExtractionBenchmark.round(backfillSeconds));
        result.put("backfill_runs", 1);
        result.put("single_over_backfill", ExtractionBenchmark.round(singleSeconds / backfillSeconds));
        result.put("seconds_per_day_single", ExtractionBenchmark.round(singleSeconds / days));
        result.put("seconds_per_day_backfill", ExtractionBenchmark.round(backfillSeconds / days));
        result.put("matched_per_rule", backfillHits);
        result.put("generate_and_import_seconds", ExtractionBenchmark.round(generateSeconds));
        result.put("note", "load average " + BenchmarkHost.loadAverage());
        PrintWriter out = new PrintWriter(System.out, true);
        out.printf("%-26s %12s %10s%n", "way", "seconds", "per day");
        out.printf("%-26s %12.1f %10.2f%n", days + " daily runs (1 day each)", singleSeconds, singleSeconds / days);
        out.printf("%-26s %12.1f %10.2f%n", "1 backfill (" + days + " days)", backfillSeconds, backfillSeconds / days);
        out.printf("ratio %.2f×; hits per rule (both ways) %s%n", singleSeconds / backfillSeconds, backfillHits);
        BenchmarkResults.record(result, "OPENSEARCH_AUTH=disabled java -cp \"cli/target/classes:cli/target/lib/*\" io.dragnet.cli.bench.BackfillBenchmark "
                + String.join(" ", args), out);
    }

    private static void run(DragnetHome home, Path definition, LocalDate date, Map<String, Object> input, PrintWriter timeline)
    {
        ExecutionResult result = new DailyRun(timeline, false).run(home, date, definition, input);
        if (!result.complete()) {
            throw new IllegalStateException("run " + input.get("runId") + " did not complete: " + result.status() + " " + result.problems() + " (see the timeline log)");
        }
    }

    private static Map<String, Long> matched(DragnetHome home, LocalDate day, String runId)
            throws IOException
    {
        Map<String, Long> matched = new TreeMap<>();
        Path folder = home.results().resolve(RunFolders.relative(RunFolders.RUNS, day.toString(), runId));
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".metrics.json")).toList()) {
                Json.read(file, RunMetrics.class).matchedPerRule().forEach((rule, count) -> matched.merge(rule, count, Long::sum));
            }
        }
        return matched;
    }

}
