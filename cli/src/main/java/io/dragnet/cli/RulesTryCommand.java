package io.dragnet.cli;

import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.RunIds;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.rules.Compilation;
import io.dragnet.rules.CompileContext;
import io.dragnet.rules.JobWriter;
import io.dragnet.rules.Locations;
import io.dragnet.rules.Problem;
import io.dragnet.rules.PublishedRuleSets;
import io.dragnet.rules.RuleCompiler;
import io.dragnet.rules.RuleSet;
import io.dragnet.sparkjobs.CorrelationJob;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.statemachine.local.SparkEngine;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectStore;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

/**
 * {@code dragnet rules try RULES --date D [--to D2] [--source S]}: runs a rules folder on the lake with a local Spark
 * session and prints, per day and rule, the hits, a few sample rows and where a daily run would send them (the
 * published day, or the topic's sandbox and why); correlation rules run after the day's jobs, over their hits (a
 * later day of the try reads the earlier day's as the previous day's). It never writes to OpenSearch and never touches published results:
 * its specs and files live under {@code <home>/work/try/<run>/}.
 */
@Command(name = "try", mixinStandardHelpOptions = true,
        description = "Run rules on the lake without publishing anything: hits per rule, sample rows, and where a daily run would send them. "
                + "Exits 1 when a rule is broken or a day has no data for a source, 2 on bad usage.")
public final class RulesTryCommand
        implements Callable<Integer>
{
    /** Fields shown for a sample row, when the document has them. */
    private static final List<String> SAMPLE_FIELDS = List.of("@timestamp", "source.ip", "source.port", "destination.ip", "destination.port",
            "network.transport", "dns.question.name", "url.full", "tls.server.name", "user_agent.original", "threat.indicator.value", "threat.indicator.provider");

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RULES", description = "Rules folder (dragnet and Sigma rules, sources.yaml).")
    private Path rules;

    @Option(names = "--date", required = true, paramLabel = "D", description = "First day, YYYY-MM-DD.")
    private String date;

    @Option(names = "--to", paramLabel = "D2", description = "Last day, YYYY-MM-DD (default: --date).")
    private String to;

    @Option(names = "--source", paramLabel = "S", description = "Only the jobs reading this source (e.g. zeek_dns).")
    private String source;

    @Option(names = "--samples", defaultValue = "3", description = "Sample rows per rule (default: ${DEFAULT-VALUE}).")
    private int samples;

    @Option(names = "--home", description = "State folder with lake/ and results/ (default: $DRAGNET_HOME or .dragnet).")
    private Path home;

    @Option(names = "--enrichment", description = "Enrichment folder (default: <home>/enrichment).")
    private Path enrichment;

    private final Clock clock;

    public RulesTryCommand()
    {
        this(Clock.systemUTC());
    }

    /** @param clock gives the run id, the second the try starts */
    public RulesTryCommand(Clock clock)
    {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        LocalDate first = day("--date", date);
        LocalDate last = to == null ? first : day("--to", to);
        if (last.isBefore(first)) {
            throw DragnetException.user("--to " + last + " is before --date " + first);
        }
        if (samples < 0) {
            throw DragnetException.user("--samples must be 0 or more, got " + samples);
        }
        DragnetHome dragnetHome = DragnetHome.fromOption(home);
        String runId = "try-" + RunIds.startedAt(clock.instant());
        Path scratch = dragnetHome.work().resolve("try").resolve(runId);
        ObjectStore store = new LocalObjectStore();
        RuleCompiler compiler = new RuleCompiler(store);
        RuleSet ruleSet = compiler.load(rules.toAbsolutePath().normalize().toUri().toString());
        PublishedRuleSets published = new PublishedRuleSets(store, dragnetHome.results().toUri().toString());
        Map<String, List<String>> partial = new TreeMap<>();
        java.util.Set<String> problems = new java.util.LinkedHashSet<>();

        out.println("trying " + rules + " on " + first + (last.equals(first) ? "" : " .. " + last) + " (lake " + dragnetHome.lake() + "); nothing is published");
        SparkEngine engine = new SparkEngine();
        engine.start();
        try {
            SparkSession spark = SparkSession.builder().getOrCreate();
            for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                // every day of the try is one run, so a correlation reads the previous day's hits from the try itself
                CompileContext context = new CompileContext(day, runId, Locations.normalize(dragnetHome.lake().toString()),
                        Locations.normalize(scratch.resolve("work").toString()), Locations.normalize(scratch.resolve("results").toString()),
                        Locations.normalize((enrichment != null ? enrichment : dragnetHome.root().resolve("enrichment")).toString()), List.of(), day, first);
                Compilation compilation = compiler.compile(ruleSet, context, topics -> {
                    partial.putAll(published.missing(topics));
                    return partial.keySet();
                });
                if (day.equals(first)) {
                    compilation.problems().stream().map(Problem::toString).forEach(problems::add);
                    compilation.warnings().forEach(warning -> out.println("warning: " + warning));
                    compilation.notes().forEach(note -> out.println("note: " + note));
                }
                out.println();
                out.println("== " + day);
                new JobWriter(store).write(compilation);
                boolean ran = false;
                for (Compilation.Job job : compilation.jobs()) {
                    JobSpec jobSpec = job.spec();
                    if (source != null && !jobSpec.source().name().equals(source)) {
                        continue;
                    }
                    ran = true;
                    if (!store.hasObjects(jobSpec.source().location())) {
                        String problem = "source " + jobSpec.source().name() + " has no data for " + day + " at " + jobSpec.source().location();
                        if (problems.add(problem)) {
                            out.println(problem);
                        }
                        continue;
                    }
                    JobSpec withoutIndex = new JobSpec(jobSpec.specVersion(), jobSpec.runId(), jobSpec.date(), jobSpec.source(), jobSpec.rules(), jobSpec.iocTables(),
                            jobSpec.enrichmentData(), new JobSpec.Outputs(null, jobSpec.outputs().summaries(), jobSpec.outputs().metrics(), jobSpec.outputs().rejects(),
                            jobSpec.outputs().documents(), jobSpec.outputs().aggregates()));
                    RunMetrics metrics = new ExtractionJob(null, StageListener.NONE).execute(spark, withoutIndex);
                    out.printf("%s: %,d records read, %,d rejected, %,d matched%n", jobSpec.source().name(), metrics.recordsRead(), metrics.recordsRejected(),
                            metrics.recordsMatched());
                    for (JobSpec.RuleSpec rule : jobSpec.rules()) {
                        out.printf("  %-40s %,8d hits  -> %s%n", rule.id(), metrics.matchedPerRule().getOrDefault(rule.id(), 0L),
                                destination(job, rule, day, partial));
                        if (samples > 0 && metrics.matchedPerRule().getOrDefault(rule.id(), 0L) > 0) {
                            List<String> rows = rule.aggregate() == null
                                    ? sampleRows(spark, withoutIndex.outputs().documents(), rule.id())
                                    : sampleWindows(spark, withoutIndex.outputs().aggregates(), rule.id());
                            rows.forEach(row -> out.println("      " + row));
                        }
                    }
                    out.println("  summaries: " + withoutIndex.outputs().summaries());
                }
                if (!ran && source != null) {
                    problems.add("no rule of " + rules + " reads source " + source);
                }
                if (compilation.correlations() != null) {
                    tryCorrelations(spark, out, compilation.correlations().spec(), day, partial);
                }
            }
        }
        finally {
            engine.stop();
        }
        if (!problems.isEmpty()) {
            out.println();
            out.println(problems.size() + (problems.size() == 1 ? " problem:" : " problems:"));
            problems.forEach(problem -> out.println("  - " + problem));
        }
        out.println("work files: " + scratch);
        out.flush();
        return problems.isEmpty() ? 0 : 1;
    }

    /** The day's correlation step over the hits the try's jobs wrote (indexing nothing): hits and sample windows per correlation rule. */
    private void tryCorrelations(SparkSession spark, PrintWriter out, CorrelationSpec correlations, LocalDate day, Map<String, List<String>> partial)
    {
        if (source != null) {
            out.println("correlations: not run with --source (they read the hits of every source's job)");
            return;
        }
        RunMetrics metrics = new CorrelationJob(null).execute(spark, correlations);
        out.println("correlations:");
        for (CorrelationSpec.Correlation correlation : correlations.correlations()) {
            long hits = metrics.matchedPerRule().getOrDefault(correlation.id(), 0L);
            String destination = correlation.sandbox()
                    ? "sandbox " + IndexNames.SANDBOX_PREFIX + "-" + correlation.topic() + "-" + DateTimeFormatter.ofPattern("yyyy.MM.dd").format(day) + "-<run>"
                            + (partial.containsKey(correlation.topic())
                                    ? " (this folder lacks " + String.join(", ", partial.get(correlation.topic())) + " of the topic's published rule set)"
                                    : " (status: test, or it reads a rule that runs into the sandbox)")
                    : "published day " + IndexNames.dayAlias(correlation.topic(), day);
            out.printf("  %-40s %,8d hits  -> %s%n", correlation.id(), hits, destination);
            if (samples > 0 && hits > 0) {
                String folder = (correlation.sandbox() ? correlations.sandbox() : correlations.published()).correlations();
                for (Row row : firstHits(spark, folder, correlation.id())
                        .select(col("`@timestamp`"), col("`window.end`"), col("`correlation.group`"), col("`correlation.rules`")).limit(samples).collectAsList()) {
                    out.println("      " + row.getTimestamp(0).toInstant() + " .. " + row.getTimestamp(1).toInstant() + " " + row.getString(2) + " rules=" + row.getList(3));
                }
            }
        }
    }

    /** Where a daily run of this folder would send the rule's documents. */
    private static String destination(Compilation.Job job, JobSpec.RuleSpec rule, LocalDate day, Map<String, List<String>> partial)
    {
        if (!job.sandbox()) {
            return "published day " + IndexNames.dayAlias(rule.topic(), day);
        }
        String index = IndexNames.SANDBOX_PREFIX + "-" + rule.topic() + "-" + DateTimeFormatter.ofPattern("yyyy.MM.dd").format(day) + "-<run>";
        return "sandbox " + index + (partial.containsKey(rule.topic())
                ? " (this folder lacks " + String.join(", ", partial.get(rule.topic())) + " of the topic's published rule set)"
                : " (status: test)");
    }

    private List<String> sampleRows(SparkSession spark, String documents, String ruleId)
    {
        List<String> rows = new ArrayList<>();
        for (Row row : firstHits(spark, documents, ruleId)
                .select(SAMPLE_FIELDS.stream().map(field -> col("`" + field + "`")).toArray(org.apache.spark.sql.Column[]::new)).limit(samples).collectAsList()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < SAMPLE_FIELDS.size(); i++) {
                if (!row.isNullAt(i)) {
                    cells.add(SAMPLE_FIELDS.get(i) + "=" + row.get(i));
                }
            }
            rows.add(String.join(" ", cells));
        }
        return rows;
    }

    /** An aggregate rule's first windows: start .. end, the group values, every measure and the sample event ids. */
    private List<String> sampleWindows(SparkSession spark, String aggregates, String ruleId)
    {
        List<String> rows = new ArrayList<>();
        for (Row row : firstHits(spark, aggregates, ruleId)
                .select(col("`@timestamp`"), col("`window.end`"), col("`aggregate.group`"), col("`aggregate.measures`"), col("`aggregate.samples`"))
                .limit(samples).collectAsList()) {
            rows.add(row.getTimestamp(0).toInstant() + " .. " + row.getTimestamp(1).toInstant() + " " + row.getString(2) + " " + row.getString(3)
                    + " samples=" + row.getList(4));
        }
        return rows;
    }

    /** A rule's hits in a folder of documents, earliest first; hits of the same instant by their deterministic id, so a try always shows the same ones. */
    private static Dataset<Row> firstHits(SparkSession spark, String folder, String ruleId)
    {
        return spark.read().parquet(folder).where(col("`rule.id`").equalTo(ruleId)).orderBy(col("`@timestamp`"), col("_id"));
    }

    private static LocalDate day(String option, String value)
    {
        try {
            return LocalDate.parse(value);
        }
        catch (DateTimeParseException e) {
            throw DragnetException.user(option + ": expected YYYY-MM-DD, got '" + value + "'");
        }
    }
}
