package io.dragnet.rules;

import io.dragnet.contracts.GenerateJobsResult;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The first step of the daily run, in plain Java: load the rules folder, compile one fused job per source for the day,
 * write specs and IoC tables, and return the job list the workflow's Map state iterates. Broken rules are reported in
 * {@link GenerateJobsResult#problems()} while the good ones still run; so are sources without data for the day, when
 * the request asks to skip them, and a day without data in any source the rules read. Also writes the result as
 * {@code <run directory>/_jobs.json} for the record.
 */
public final class GenerateJobs
{
    public static final String MANIFEST = "_jobs.json";

    private final ObjectStore store;

    public GenerateJobs(ObjectStore store)
    {
        this.store = requireNonNull(store, "store is null");
    }

    /** For local runs (CLI, demo): files only. */
    public static GenerateJobsResult run(GenerateJobsRequest request)
    {
        return new GenerateJobs(new LocalObjectStore()).generate(request);
    }

    public GenerateJobsResult generate(GenerateJobsRequest request)
    {
        CompileContext context = request.context();
        RuleCompiler compiler = new RuleCompiler(store);
        Compilation compiled = compiler.compile(compiler.load(request.rulesLocation()), context);
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
                    + String.join(", ", compiled.jobs().stream().map(job -> job.spec().source().name()).toList()) + "): no rule ran");
        }
        Compilation compilation = new Compilation(runnable, compiled.problems(), compiled.notes());
        new JobWriter(store).write(compilation);
        List<GenerateJobsResult.Job> jobs = compilation.jobs().stream()
                .map(job -> new GenerateJobsResult.Job(job.spec().source().name(), job.specLocation(), job.spec().rules().stream().map(JobSpec.RuleSpec::id).toList()))
                .toList();
        List<String> problems = new ArrayList<>(compilation.problems().stream().map(Problem::toString).toList());
        problems.addAll(skipped);
        GenerateJobsResult result = new GenerateJobsResult(context.runId(), context.date().toString(), jobs.size(), jobs, problems);
        store.write(Locations.join(context.runDirectory(), MANIFEST), (Json.write(result) + "\n").getBytes(StandardCharsets.UTF_8));
        return result;
    }
}
