package io.dragnet.contracts;

import java.util.List;

/**
 * What GenerateJobs returns to the workflow: the job list its Map state iterates, plus the rules it could not compile.
 * Shape in JSON: {@code {"runId", "date", "jobCount", "jobs":[{"source","specLocation","rules"}], "problems":[…]}}.
 */
public record GenerateJobsResult(String runId, String date, int jobCount, List<Job> jobs, List<String> problems)
{
    public GenerateJobsResult
    {
        jobs = List.copyOf(jobs);
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public record Job(String source, String specLocation, List<String> rules)
    {
        public Job
        {
            rules = List.copyOf(rules);
        }
    }
}
