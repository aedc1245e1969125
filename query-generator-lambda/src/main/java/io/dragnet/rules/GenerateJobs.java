package io.dragnet.rules;

import io.dragnet.contracts.GenerateJobsResult;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.rules.storage.LocalObjectStore;
import io.dragnet.rules.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The first step of the daily run, in plain Java: load the rules folder, compile one fused job per source for the day,
 * write specs and IoC tables, and return the job list the workflow's Map state iterates. Broken rules are reported in
 * {@link GenerateJobsResult#problems()} while the good ones still run. Also writes the result as
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
        Compilation compilation = compiler.compile(compiler.load(request.rulesLocation()), context);
        new JobWriter(store).write(compilation);
        List<GenerateJobsResult.Job> jobs = compilation.jobs().stream()
                .map(job -> new GenerateJobsResult.Job(job.spec().source().name(), job.specLocation(), job.spec().rules().stream().map(JobSpec.RuleSpec::id).toList()))
                .toList();
        GenerateJobsResult result = new GenerateJobsResult(context.runId(), context.date().toString(), jobs.size(), jobs,
                compilation.problems().stream().map(Problem::toString).toList());
        store.write(Locations.join(context.runDirectory(), MANIFEST), (Json.write(result) + "\n").getBytes(StandardCharsets.UTF_8));
        return result;
    }
}
