package io.dragnet.rules.internal;

import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.PublishedRuns;
import io.dragnet.rules.CompileContext;
import io.dragnet.rules.Locations;
import io.dragnet.rules.Problem;
import io.dragnet.rules.RuleSet;
import io.dragnet.rules.model.Correlation;
import io.dragnet.rules.model.Rule;
import io.dragnet.rules.model.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Compiles the correlation rules that passed their checks into the run's {@link CorrelationSpec}: for each, where the
 * hits of every rule it correlates are (the record documents or aggregate hits folders of the jobs that run them) and
 * how each group name reads from those hits. A correlation runs into the sandbox when it is a test rule, its topic
 * runs into the sandbox, or a rule it reads does. Correlations over rules that do not run are reported and left out.
 */
public final class CorrelationCompiler
{
    private CorrelationCompiler() {}

    /** Where the hits of one compiled rule are. */
    private record Hits(String kind, List<String> locations, List<String> sources, boolean sandbox) {}

    public static Optional<CorrelationSpec> compile(List<RuleSet.LoadedRule> correlations, RuleSet ruleSet, List<JobSpec> jobs, CompileContext context,
            Set<String> sandboxTopics, Set<String> rulesWithProblems, Consumer<Problem> problems)
    {
        Map<String, Hits> hits = new LinkedHashMap<>();
        for (JobSpec job : jobs) {
            boolean sandbox = IndexNames.SANDBOX_PREFIX.equals(job.outputs().opensearchIndexPrefix());
            for (JobSpec.RuleSpec rule : job.rules()) {
                boolean aggregate = rule.aggregate() != null;
                Hits known = hits.get(rule.id());
                List<String> locations = new ArrayList<>(known == null ? List.of() : known.locations());
                locations.add(aggregate ? job.outputs().aggregates() : job.outputs().documents());
                List<String> sources = new ArrayList<>(known == null ? List.of() : known.sources());
                sources.add(job.source().name());
                hits.put(rule.id(), new Hits(aggregate ? "aggregate" : "record", locations, sources, sandbox || (known != null && known.sandbox())));
            }
        }
        List<CorrelationSpec.Correlation> compiled = new ArrayList<>();
        List<RuleSet.LoadedRule> left = new ArrayList<>(correlations.stream()
                .filter(loaded -> loaded.valid() && loaded.rule().status() != Status.DISABLED && !rulesWithProblems.contains(loaded.rule().id())).toList());
        boolean progress = true;
        while (progress && !left.isEmpty()) {
            progress = false;
            for (RuleSet.LoadedRule loaded : List.copyOf(left)) {
                Rule rule = loaded.rule();
                if (rule.correlation().rules().stream().allMatch(hits::containsKey)) {
                    CorrelationSpec.Correlation spec = correlation(rule, hits, ruleSet, sandboxTopics);
                    compiled.add(spec);
                    hits.put(rule.id(), new Hits("correlation", List.of(), List.of(), spec.sandbox()));
                    left.remove(loaded);
                    progress = true;
                }
            }
        }
        for (RuleSet.LoadedRule loaded : left) {
            Correlation correlation = loaded.rule().correlation();
            List<String> missing = correlation.rules().stream().filter(id -> !hits.containsKey(id)).toList();
            problems.accept(new Problem(correlation.position(), loaded.rule().id(), "correlation reads the hits of " + missing
                    + ", which do not run in this run (a problem or no job); expected rules that run, so this correlation does not run either"));
        }
        if (compiled.isEmpty()) {
            return Optional.empty();
        }
        String results = context.resultsLocation();
        String date = context.date().toString();
        String run = PublishedRuns.runFolder(context.runId());
        return Optional.of(new CorrelationSpec(CorrelationSpec.CURRENT_VERSION, context.runId(), date, compiled,
                Locations.join(results, "runs", "dt=" + date, run, "correlations.metrics.json"),
                new CorrelationSpec.Outputs(IndexNames.PREFIX, Locations.join(results, "correlations", "dt=" + date, run)),
                new CorrelationSpec.Outputs(IndexNames.SANDBOX_PREFIX, Locations.join(results, "sandbox", "correlations", "dt=" + date, run))));
    }

    private static CorrelationSpec.Correlation correlation(Rule rule, Map<String, Hits> hits, RuleSet ruleSet, Set<String> sandboxTopics)
    {
        Correlation correlation = rule.correlation();
        boolean sandbox = rule.status() == Status.TEST || sandboxTopics.contains(rule.topic());
        List<CorrelationSpec.Input> inputs = new ArrayList<>();
        for (String referenced : correlation.rules()) {
            Hits input = hits.get(referenced);
            sandbox |= input.sandbox();
            List<CorrelationSpec.HitField> groupFields = new ArrayList<>();
            for (String group : correlation.groupBy()) {
                String field = correlation.aliases().containsKey(group) ? correlation.aliases().get(group).get(referenced) : group;
                groupFields.add(hitField(field, input, ruleSet));
            }
            CorrelationSpec.HitField value = correlation.condition() == null || correlation.condition().field() == null ? null
                    : hitField(correlation.condition().field(), input, ruleSet);
            inputs.add(new CorrelationSpec.Input(referenced, input.kind(), input.locations(), groupFields, value));
        }
        List<String> tags = new ArrayList<>(rule.tags());
        if (rule.status() == Status.TEST) {
            tags.add("status:test");
        }
        Map<String, Double> condition = correlation.condition() == null ? Map.of() : correlation.condition().bounds();
        return new CorrelationSpec.Correlation(rule.id(), rule.uuid(), rule.title(), rule.topic(), rule.severity().name().toLowerCase(Locale.ROOT), tags, sandbox,
                correlation.type().keyword(), correlation.timespan().toSeconds(), correlation.groupBy(), condition, inputs);
    }

    /** A field as the rule wrote it, with the source field it resolves to in the hits' sources (none for a correlation's group name). */
    private static CorrelationSpec.HitField hitField(String field, Hits hits, RuleSet ruleSet)
    {
        Set<String> raw = new LinkedHashSet<>();
        for (String source : hits.sources()) {
            ruleSet.catalog().find(source).flatMap(definition -> definition.resolve(field)).ifPresent(raw::add);
        }
        return new CorrelationSpec.HitField(field, raw.isEmpty() ? null : raw.iterator().next());
    }

    /** The ids of the rules a list of problems names. */
    public static Set<String> ruleIds(List<Problem> problems)
    {
        Set<String> ids = new LinkedHashSet<>();
        problems.forEach(problem -> {
            if (problem.ruleId() != null) {
                ids.add(problem.ruleId());
            }
        });
        return ids;
    }
}
