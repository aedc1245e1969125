package io.dragnet.rules;

import io.dragnet.contracts.GenerateJobsResult;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The first step of the daily run, in plain Java: load the rules folder, compile one fused job per source for the day,
 * write specs and IoC tables, and return the job list the workflow's Map state iterates. Broken rules are reported in
 * {@link GenerateJobsResult#problems()} while the good ones still run; so are sources without data for the day, when
 * the request asks to skip them, and a day without data in any source the rules read. Rules with {@code status: test},
 * and every rule of a topic whose published rule set this folder lacks part of ({@link PublishedRuleSets}), run into
 * the sandbox and are listed in {@link GenerateJobsResult#sandbox()}. Also writes the result as
 * {@code <run directory>/_jobs.json} for the record.
 */
public final class GenerateJobs
{
    public static final String MANIFEST = "_jobs.json";

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
        CompileContext context = request.context();
        RuleCompiler compiler = new RuleCompiler(store);
        PublishedRuleSets published = new PublishedRuleSets(store, context.resultsLocation());
        Map<String, List<String>> partial = new TreeMap<>();
        Compilation compiled = compiler.compile(compiler.load(request.rulesLocation()), context, topics -> {
            partial.putAll(published.missing(topics));
            return partial.keySet();
        });
        List<Compilation.Job> runnable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Compilation.Job job : compiled.jobs()) {
            JobSpec.SourceSpec source = job.spec().source();
            if (request.skipSourcesWithoutData() && !store.hasObjects(source.location())) {
                skipped.add("source " + source.name() + " has no data for " + context.date() + " at " + source.location() + "; its job was skipped (rules "
                        + String.join(", ", job.spec().rules().stream().map(JobSpec.RuleSpec::id).toList()) + ")");
            }
            else {
                runnable.add(job);
            }
        }
        if (runnable.isEmpty() && !skipped.isEmpty()) {
            skipped.add("no data for " + context.date() + " in any source the rules read ("
                    + String.join(", ", compiled.jobs().stream().map(job -> job.spec().source().name()).distinct().toList()) + "): no rule ran");
        }
        Compilation compilation = compiled.withJobs(runnable);
        new JobWriter(store).write(compilation);
        if (recordsRuleSets) {
            published.record(compilation, context);
        }
        List<GenerateJobsResult.Job> jobs = compilation.jobs().stream()
                .map(job -> new GenerateJobsResult.Job(job.spec().source().name(), job.specLocation(), job.spec().rules().stream().map(JobSpec.RuleSpec::id).toList(),
                        job.sandbox()))
                .toList();
        List<String> problems = new ArrayList<>(compilation.problems().stream().map(Problem::toString).toList());
        problems.addAll(skipped);
        GenerateJobsResult result = new GenerateJobsResult(context.runId(), context.date().toString(), jobs.size(), jobs, problems,
                sandboxReport(compilation, partial, context), compilation.warnings().stream().map(Problem::toString).toList(),
                compilation.correlations() == null ? null : compilation.correlations().specLocation());
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
