package io.dragnet.rules;

import io.dragnet.contracts.Backfill;
import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.GenerateJobsResult;
import io.dragnet.contracts.ImportSpec;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.ZeekLogNames;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The first step of the daily run, in plain Java: load the rules folder, compile one fused job per source for the day,
 * write specs and IoC tables, and return the job list the workflow's Map state iterates. Broken rules are reported in
 * {@link GenerateJobsResult#problems()} while the good ones still run; so are sources without data for the day, when
 * the request asks to skip them, and a day without data in any source the rules read. Rules with {@code status: test},
 * and every rule of a topic whose published rule set this folder lacks part of ({@link PublishedRuleSets}), run into
 * the sandbox and are listed in {@link GenerateJobsResult#sandbox()}. Also writes the result as
 * {@code <run directory>/_jobs.json} for the record. A request with a {@link Backfill} compiles the folder for every day of
 * its range into one job list (see {@link #generate}).
 */
public final class GenerateJobs
{
    public static final String MANIFEST = "_jobs.json";
    public static final String IMPORT_SPEC = "_import.json";

    private final ObjectStore store;
    private final boolean recordsRuleSets;

    /**
     * @param recordsRuleSets whether a run of a topic's whole rule set records it as the topic's published rule set
     *         ({@link PublishedRuleSets}): the workflow's step does, a compile for inspection does not
     */
    public GenerateJobs(ObjectStore store, boolean recordsRuleSets)
    {
        this.store = requireNonNull(store, "store is null");
        this.recordsRuleSets = recordsRuleSets;
    }

    /** For local inspection (dragnet rules compile): files only, and no published rule set is recorded. */
    public static GenerateJobsResult run(GenerateJobsRequest request)
    {
        return new GenerateJobs(new LocalObjectStore(), false).generate(request);
    }

    public GenerateJobsResult generate(GenerateJobsRequest request)
    {
        if (request.backfill() != null) {
            return backfill(request, request.backfill());
        }
        CompileContext context = request.context();
        RuleCompiler compiler = new RuleCompiler(store);
        PublishedRuleSets published = new PublishedRuleSets(store, context.resultsLocation());
        Map<String, List<String>> partial = new TreeMap<>();
        RuleSet rules = compiler.load(request.rulesLocation());
        Compilation compiled = compiler.compile(rules, context, topics -> {
            partial.putAll(published.missing(topics));
            return partial.keySet();
        });
        // the daily run imports its day whenever raw logs are there: a re-run takes files that arrived late
        RawDay raw = rawDay(request, rules, context);
        Day day = runnable(compiled, context, request.skipSourcesWithoutData(), List.of(), raw.sources());
        if (recordsRuleSets) {
            published.record(day.compilation(), context);
        }
        List<String> problems = new ArrayList<>(day.compilation().problems().stream().map(Problem::toString).toList());
        problems.addAll(day.skipped());
        return finish(context, day.jobs(), problems, sandboxReport(day.compilation(), partial, context),
                day.compilation().warnings().stream().map(Problem::toString).toList(), correlations(day.compilation()), raw.imports());
    }

    /**
     * A backfill: the folder compiled for each day of the range (feeds as of the request's day), every day's jobs in one
     * list for the one cluster. Only test rules go to the sandbox: a backfill folder holds the new rules, not a topic's
     * whole rule set, and publishes only their hits (Publish adds them to each day beside the published documents).
     * Nothing is recorded as a published rule set.
     */
    private GenerateJobsResult backfill(GenerateJobsRequest request, Backfill backfill)
    {
        CompileContext asOf = request.context();
        RuleCompiler compiler = new RuleCompiler(store);
        RuleSet rules = compiler.load(request.rulesLocation());
        Set<String> problems = new LinkedHashSet<>();
        for (String source : backfill.sources()) {
            if (rules.catalog().find(source).isEmpty()) {
                throw DragnetException.user("backfill source '" + source + "' is not declared in the sources catalog; expected one of "
                        + rules.catalog().names());
            }
        }
        List<GenerateJobsResult.Job> jobs = new ArrayList<>();
        List<GenerateJobsResult.Correlations> correlations = new ArrayList<>();
        List<GenerateJobsResult.Import> imports = new ArrayList<>();
        Set<String> sandbox = new LinkedHashSet<>();
        Set<String> warnings = new LinkedHashSet<>();
        for (LocalDate date : backfill.days()) {
            CompileContext context = asOf.backfillDay(date, backfill.from());
            Compilation compiled = compiler.compile(rules, context, RuleCompiler.TopicGate.PUBLISH_ALL);
            RawDay raw = rawDay(request, rules, context);
            // a backfill imports only the past days a source it reads has not been imported for
            boolean needsImport = compiled.jobs().stream()
                    .map(job -> job.spec().source())
                    .anyMatch(source -> (backfill.sources().isEmpty() || backfill.sources().contains(source.name()))
                            && raw.sources().contains(source.name()) && !store.hasObjects(source.location()));
            Day day = runnable(compiled, context, request.skipSourcesWithoutData(), backfill.sources(), needsImport ? raw.sources() : Set.of());
            if (needsImport) {
                imports.addAll(raw.imports());
            }
            jobs.addAll(day.jobs());
            correlations.addAll(correlations(day.compilation()));
            day.compilation().problems().forEach(problem -> problems.add(problem.toString()));
            problems.addAll(day.skipped());
            sandbox.addAll(sandboxReport(day.compilation(), Map.of(), context));
            day.compilation().warnings().forEach(warning -> warnings.add(warning.toString()));
        }
        if (!backfill.sources().isEmpty() && jobs.isEmpty() && problems.isEmpty()) {
            problems.add("no rule of " + request.rulesLocation() + " reads " + String.join(", ", backfill.sources()) + ": nothing to backfill");
        }
        CompileContext first = asOf.backfillDay(backfill.from(), backfill.from());
        return finish(first, jobs, List.copyOf(problems), List.copyOf(sandbox), List.copyOf(warnings), correlations, imports);
    }

    /** One day's compilation with the jobs that will run (sources without data left out when asked), written to the store. */
    private record Day(Compilation compilation, List<GenerateJobsResult.Job> jobs, List<String> skipped) {}

    /** @param importedSources sources whose raw logs the run imports into the day before its jobs run: they have data */
    private Day runnable(Compilation compiled, CompileContext context, boolean skipSourcesWithoutData, List<String> onlySources, Set<String> importedSources)
    {
        List<Compilation.Job> runnable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Compilation.Job> selected = compiled.jobs().stream()
                .filter(job -> onlySources.isEmpty() || onlySources.contains(job.spec().source().name()))
                .toList();
        for (Compilation.Job job : selected) {
            JobSpec.SourceSpec source = job.spec().source();
            if (skipSourcesWithoutData && !importedSources.contains(source.name()) && !store.hasObjects(source.location())) {
                skipped.add("source " + source.name() + " has no data for " + context.date() + " at " + source.location() + "; its job was skipped (rules "
                        + String.join(", ", job.spec().rules().stream().map(JobSpec.RuleSpec::id).toList()) + ")");
            }
            else {
                runnable.add(job);
            }
        }
        if (runnable.isEmpty() && !skipped.isEmpty()) {
            skipped.add("no data for " + context.date() + " in any source the rules read ("
                    + String.join(", ", selected.stream().map(job -> job.spec().source().name()).distinct().toList()) + "): no rule ran");
        }
        Compilation compilation = compiled.withJobs(runnable);
        new JobWriter(store).write(compilation);
        List<GenerateJobsResult.Job> jobs = compilation.jobs().stream()
                .map(job -> new GenerateJobsResult.Job(job.spec().source().name(), job.specLocation(), job.spec().rules().stream().map(JobSpec.RuleSpec::id).toList(),
                        job.sandbox(), job.spec().date(), rulesByTopic(job.spec())))
                .toList();
        return new Day(compilation, jobs, skipped);
    }

    /** The day's correlation step, when a correlation rule runs; its published rule ids by topic. */
    private static List<GenerateJobsResult.Correlations> correlations(Compilation compilation)
    {
        if (compilation.correlations() == null) {
            return List.of();
        }
        CorrelationSpec spec = compilation.correlations().spec();
        Map<String, List<String>> topics = new TreeMap<>();
        spec.correlations().stream()
                .filter(correlation -> !correlation.sandbox())
                .forEach(correlation -> topics.computeIfAbsent(correlation.topic(), topic -> new ArrayList<>()).add(correlation.id()));
        return List.of(new GenerateJobsResult.Correlations(spec.date(), compilation.correlations().specLocation(), topics));
    }

    private static Map<String, List<String>> rulesByTopic(JobSpec spec)
    {
        Map<String, List<String>> topics = new TreeMap<>();
        spec.rules().forEach(rule -> topics.computeIfAbsent(rule.topic(), topic -> new ArrayList<>()).add(rule.id()));
        return topics;
    }

    /** A day's raw Zeek logs: the sources they hold and the import step that brings them into the lake (none without logs). */
    private record RawDay(Set<String> sources, List<GenerateJobsResult.Import> imports)
    {
        static final RawDay NONE = new RawDay(Set.of(), List.of());
    }

    /**
     * The raw logs of the context's day under the request's raw location ({@code <raw>/<day>/}, recursively, files named
     * like Zeek logs); when there are any, the day's {@link ImportSpec} is written into the run directory.
     */
    private RawDay rawDay(GenerateJobsRequest request, RuleSet rules, CompileContext context)
    {
        if (request.rawLocation() == null) {
            return RawDay.NONE;
        }
        String rawLocation = Locations.normalize(request.rawLocation());
        String dayLocation = ImportSpec.dayLocation(rawLocation, context.date().toString());
        Set<String> sources = new TreeSet<>();
        for (String file : store.list(dayLocation)) {
            ZeekLogNames.source(file.substring(file.lastIndexOf('/') + 1)).ifPresent(sources::add);
        }
        if (sources.isEmpty()) {
            return RawDay.NONE;
        }
        ImportSpec spec = new ImportSpec(ImportSpec.VERSION, context.date().toString(), rawLocation, context.lakeLocation(), rules.catalog().schemas());
        String specLocation = Locations.join(context.runDirectory(), IMPORT_SPEC);
        store.write(specLocation, (Json.write(spec) + "\n").getBytes(StandardCharsets.UTF_8));
        return new RawDay(sources, List.of(new GenerateJobsResult.Import(context.date().toString(), specLocation)));
    }

    private GenerateJobsResult finish(CompileContext context, List<GenerateJobsResult.Job> jobs, List<String> problems, List<String> sandbox, List<String> warnings,
                                      List<GenerateJobsResult.Correlations> correlations, List<GenerateJobsResult.Import> imports)
    {
        GenerateJobsResult result = new GenerateJobsResult(context.runId(), context.date().toString(), jobs.size(), jobs, problems, sandbox, warnings,
                correlations, imports);
        store.write(Locations.join(context.runDirectory(), MANIFEST), (Json.write(result) + "\n").getBytes(StandardCharsets.UTF_8));
        return result;
    }

    /** One line per topic that ran into the sandbox as a whole, and per test rule of a topic that did not. */
    static List<String> sandboxReport(Compilation compilation, Map<String, List<String>> partial, CompileContext context)
    {
        List<String> report = new ArrayList<>();
        partial.forEach((topic, missing) -> report.add("topic " + topic + ": this rules folder lacks " + String.join(", ", missing)
                + " of the topic's published rule set, so its rules ran into the sandbox index " + IndexNames.sandboxRunIndex(topic, context.date(), context.runId())
                + " and the published day is unchanged (retire a rule with status: disabled)"));
        compilation.topics().values().stream()
                .filter(rules -> !partial.containsKey(rules.topic()))
                .forEach(rules -> rules.test().stream().sorted().forEach(id -> report.add("rule " + id + " (status: test) ran into the sandbox index "
                        + IndexNames.sandboxRunIndex(rules.topic(), context.date(), context.runId()))));
        return report;
    }
}
