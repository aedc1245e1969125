package io.dragnet.statemachine;

import io.dragnet.contracts.Backfill;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunFolders;
import io.dragnet.contracts.RunMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * {@code dragnet backfill --from D1 --to D2 --rules R [--source S]}: one execution of the daily workflow with a
 * {@code backfill} input, so one cluster runs every day and source of the range (not one daily run per day), and
 * Publish adds the folder's rules' hits to each day beside the published documents of every other rule.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Run a rules folder over past days in one workflow execution and one cluster (statemachine/daily-run.asl.json with a backfill input): "
                + "each day's hits of these rules become searchable behind the day's aliases, other rules' published documents stay as they are. "
                + "Feeds (feed:<name>) are read as of --feeds-as-of, so a new indicator is searched for in the past. Exits 1 when the run failed or a day or source did not run.")
public final class BackfillCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--from", required = true, description = "First day, YYYY-MM-DD.")
    private LocalDate from;

    @Option(names = "--to", required = true, description = "Last day (inclusive), YYYY-MM-DD.")
    private LocalDate to;

    @Option(names = "--rules", required = true, description = "Rules folder to backfill (typically the new rules only).")
    private Path rules;

    @Option(names = "--source", split = ",", description = "Only these sources (repeatable or comma-separated); default every source the rules read.")
    private List<String> sources = new ArrayList<>();

    @Option(names = "--feeds-as-of", description = "Day whose feed snapshots the rules read; default today (UTC).")
    private LocalDate feedsAsOf;

    @Option(names = "--home", description = "State folder with lake/ and results/ (default: $DRAGNET_HOME or .dragnet).")
    private Path home;

    @Option(names = "--definition", description = "ASL file to run (default: statemachine/daily-run.asl.json, else the bundled copy).")
    private Path definition;

    @Option(names = "--input", description = "Override a workflow input key, e.g. --input enrichmentLocation=file:///path/enrichment (repeatable).")
    private Map<String, String> input = new LinkedHashMap<>();

    private final Clock clock;

    public BackfillCommand()
    {
        this(Clock.systemUTC());
    }

    /** @param clock gives the default --feeds-as-of, today in UTC */
    public BackfillCommand(Clock clock)
    {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Integer call()
    {
        if (!Files.isDirectory(rules)) {
            throw DragnetException.user("--rules " + rules + ": no such folder; expected a folder of rule YAML files");
        }
        Backfill backfill = new Backfill(from, to, sources);
        PrintWriter out = spec.commandLine().getOut();
        DragnetHome home = DragnetHome.fromOption(this.home);
        LocalDate asOf = feedsAsOf != null ? feedsAsOf : LocalDate.now(clock);
        String runId = runId(backfill);
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("runId", runId);
        overrides.put("rulesLocation", rules.toAbsolutePath().toUri().toString());
        overrides.put("backfill", input(backfill));
        overrides.putAll(input);
        ExecutionResult result = new DailyRun(out, false).run(home, asOf, definition, overrides);
        printHits(out, home, backfill, result.output() == null ? runId : result.output().path("runId").asText(runId));
        if (!result.leakedClusters().isEmpty()) {
            out.println("the workflow definition left clusters running: " + result.leakedClusters());
        }
        out.flush();
        return DailyCommand.exitCode(result);
    }

    /** The execution input's {@code backfill} value. */
    public static Map<String, Object> input(Backfill backfill)
    {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("from", backfill.from().toString());
        value.put("to", backfill.to().toString());
        value.put("sources", backfill.sources());
        return value;
    }

    static String runId(Backfill backfill)
    {
        return "backfill-" + DateTimeFormatter.BASIC_ISO_DATE.format(backfill.from()) + "-" + DateTimeFormatter.BASIC_ISO_DATE.format(backfill.to()) + "-"
                + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Hits per rule and day, from the run's metrics files ({@code <results>/runs/dt=<day>/run=<run>/*.metrics.json}). */
    private static void printHits(PrintWriter out, DragnetHome home, Backfill backfill, String runId)
    {
        Map<String, Map<LocalDate, Long>> hits = new TreeMap<>();
        for (LocalDate day : backfill.days()) {
            Path folder = home.results().resolve(RunFolders.relative(RunFolders.RUNS, day.toString(), runId));
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".metrics.json")).sorted().toList()) {
                    RunMetrics metrics = Json.read(file, RunMetrics.class);
                    metrics.matchedPerRule().forEach((rule, count) -> hits.computeIfAbsent(rule, key -> new TreeMap<>()).merge(day, count, Long::sum));
                }
            }
            catch (IOException e) {
                throw DragnetException.external("cannot list run metrics in " + folder, e);
            }
        }
        if (hits.isEmpty()) {
            return;
        }
        out.println("hits per rule and day (run " + runId + "):");
        hits.forEach((rule, byDay) -> {
            out.println("  " + rule + ": " + byDay.values().stream().mapToLong(Long::longValue).sum() + " hits on " + byDay.values().stream().filter(count -> count > 0).count()
                    + " of " + byDay.size() + (byDay.size() == 1 ? " day" : " days"));
            byDay.forEach((day, count) -> out.println("    " + day + "  " + count));
        });
    }
}
