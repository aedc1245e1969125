package io.dragnet.rules;

import io.dragnet.contracts.JobSpec;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The compiler's output for one day: one job per source with every rule reading it fused, the IoC table files the jobs
 * reference, the problems (rules with problems are left out; the rest still compile) and notes such as skipped indicators.
 */
public record Compilation(List<Job> jobs, List<Problem> problems, List<String> notes)
{
    public Compilation
    {
        jobs = List.copyOf(jobs);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /**
     * @param specLocation where the spec is written
     * @param tables IoC table CSV bytes by location
     */
    public record Job(JobSpec spec, String specLocation, Map<String, byte[]> tables)
    {
        public Job
        {
            requireNonNull(spec, "spec is null");
            requireNonNull(specLocation, "specLocation is null");
            tables = Map.copyOf(tables);
        }
    }
}
