package io.dragnet.contracts;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What GenerateJobs returns to the workflow: the job list its Map state iterates, what it could not do, and what runs
 * into the sandbox. Shape in JSON: {@code {"runId", "date", "jobCount", "jobs":[{"source","specLocation","rules","sandbox","date","topics"}],
 * "problems":[…], "sandbox":[…], "warnings":[…], "correlations":[…], "imports":[{"date","specLocation"}]}}.
 *
 * @param problems what the researcher asked for that will not run: broken rules with positions, skipped sources, a day without data
 * @param sandbox one line per topic or test rule whose documents go to the sandbox index family instead of the published day
 * @param warnings positioned warnings whose rules still run: malformed values skipped from IoC files, correlation
 *         windows that a day without a published previous run cannot fill
 * @param correlations the correlation steps, run after every job: one per day that has correlation rules (a daily run has
 *         at most one, a backfill one per day); empty when no correlation rule runs
 * @param imports the raw-log imports the cluster runs before any job ({@link ImportSpec}): one per day whose raw Zeek
 *         logs are to become the lake's Parquet day; empty when the request names no raw location
 */
public record GenerateJobsResult(String runId, String date, int jobCount, List<Job> jobs, List<String> problems, List<String> sandbox, List<String> warnings,
                                 List<Correlations> correlations, List<Import> imports)
{
    /** A run without correlations. */
    public GenerateJobsResult(String runId, String date, int jobCount, List<Job> jobs, List<String> problems, List<String> sandbox, List<String> warnings)
    {
        this(runId, date, jobCount, jobs, problems, sandbox, warnings, List.of(), List.of());
    }

    public GenerateJobsResult
    {
        jobs = List.copyOf(jobs);
        problems = problems == null ? List.of() : List.copyOf(problems);
        sandbox = sandbox == null ? List.of() : List.copyOf(sandbox);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        correlations = correlations == null ? List.of() : List.copyOf(correlations);
        imports = imports == null ? List.of() : List.copyOf(imports);
    }

    /**
     * @param sandbox the job writes to the sandbox index family; Publish never switches it in
     * @param date the day the job reads (a backfill's jobs cover several days)
     * @param topics the job's rule ids by topic (what a backfill publishes into each topic's day)
     */
    public record Job(String source, String specLocation, List<String> rules, boolean sandbox, String date, Map<String, List<String>> topics)
    {
        public Job
        {
            rules = List.copyOf(rules);
            topics = topics == null ? Map.of() : Map.copyOf(topics);
        }
    }

    /**
     * One correlation step: the {@link CorrelationSpec} of a day.
     *
     * @param date the day whose hits it reads
     * @param topics its published (not sandbox) correlation rule ids by topic (what a backfill publishes into each topic's day)
     */
    public record Correlations(String date, String specLocation, Map<String, List<String>> topics)
    {
        public Correlations
        {
            topics = topics == null ? Map.of() : Map.copyOf(topics);
        }
    }

    /** One import step: the {@link ImportSpec} of a day. */
    public record Import(String date, String specLocation)
    {
        public Import
        {
            requireNonNull(date, "date is null");
            requireNonNull(specLocation, "specLocation is null");
        }
    }
}
