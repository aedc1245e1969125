package io.dragnet.rules;

import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.JobSpec;
import io.dragnet.rules.model.Status;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The compiler's output for one day: one job per source with every rule reading it fused, the IoC table files the jobs
 * reference, the problems (rules with problems are left out; the rest still compile) and notes such as skipped indicators.
 *
 * @param topics every topic's rules that compiled (or are disabled), by status
 * @param sandboxTopics the topics whose every rule runs into the sandbox (the folder lacks part of the topic's published rule set)
 * @param warnings malformed values skipped from IoC files, each positioned (the rule still runs with the rest)
 * @param correlations the run's correlation step, or null when no correlation rule runs
 */
public record Compilation(List<Job> jobs, List<Problem> problems, List<String> notes, Map<String, TopicRules> topics, Set<String> sandboxTopics,
                          List<Problem> warnings, CorrelationJob correlations)
{
    public Compilation
    {
        jobs = List.copyOf(jobs);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        topics = Map.copyOf(topics);
        sandboxTopics = Set.copyOf(sandboxTopics);
        warnings = List.copyOf(warnings);
    }

    /** The same compilation with other jobs (those left after skipping sources without data). */
    public Compilation withJobs(List<Job> kept)
    {
        return new Compilation(kept, problems, notes, topics, sandboxTopics, warnings, correlations);
    }

    /** Rule ids of one topic that compiled, by status: active rules publish, test rules run into the sandbox, disabled rules do not run. */
    public record TopicRules(String topic, Set<String> active, Set<String> test, Set<String> disabled)
    {
        public TopicRules
        {
            active = Set.copyOf(new TreeSet<>(active));
            test = Set.copyOf(new TreeSet<>(test));
            disabled = Set.copyOf(new TreeSet<>(disabled));
        }

        static TopicRules of(String topic, String id, Status status)
        {
            return switch (status) {
                case ACTIVE -> new TopicRules(topic, Set.of(id), Set.of(), Set.of());
                case TEST -> new TopicRules(topic, Set.of(), Set.of(id), Set.of());
                case DISABLED -> new TopicRules(topic, Set.of(), Set.of(), Set.of(id));
            };
        }

        TopicRules plus(TopicRules other)
        {
            return new TopicRules(topic, union(active, other.active), union(test, other.test), union(disabled, other.disabled));
        }

        /** Every rule id of the topic this folder accounts for, whatever its status. */
        public Set<String> accounted()
        {
            return union(union(active, test), disabled);
        }

        private static Set<String> union(Set<String> a, Set<String> b)
        {
            Set<String> union = new TreeSet<>(a);
            union.addAll(b);
            return union;
        }
    }

    /** The correlation step's spec and where it is written (beside the job specs, {@link CorrelationSpec#FILE_NAME}). */
    public record CorrelationJob(CorrelationSpec spec, String specLocation)
    {
        public CorrelationJob
        {
            requireNonNull(spec, "spec is null");
            requireNonNull(specLocation, "specLocation is null");
        }
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

        /** Writes to the sandbox index family instead of the day's published index. */
        public boolean sandbox()
        {
            return IndexNames.SANDBOX_PREFIX.equals(spec.outputs().opensearchIndexPrefix());
        }
    }
}
