package io.dragnet.rules.internal;

import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.PublishedRuns;
import io.dragnet.contracts.RunFolders;
import io.dragnet.rules.CompileContext;
import io.dragnet.rules.Problem;
import io.dragnet.rules.RuleSet;
import io.dragnet.rules.model.Correlation;
import io.dragnet.rules.model.PreviousDay;
import io.dragnet.rules.model.Rule;
import io.dragnet.rules.model.Status;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Compiles the correlation rules that passed their checks into the run's {@link CorrelationSpec}: for each, where the
 * hits of every rule it correlates are (the record documents or aggregate hits folders of the jobs that run them) and
 * how each group name reads from those hits. A correlation runs into the sandbox when it is a test rule, its topic
 * runs into the sandbox, or a rule it reads does. Correlations over rules that do not run are reported and left out.
 */
public final class CorrelationCompiler
{
    private CorrelationCompiler() {}

    /** The hits of one compiled rule: the kind of rule, the source folders it writes them to, whether into the sandbox. */
    private record Hits(String kind, List<SourceHits> folders, boolean sandbox)
    {
        List<String> sources()
        {
            return folders.stream().map(SourceHits::source).toList();
        }

        /** The folders holding these hits in one run's folders: per source for record and aggregate rules, the correlations folder for a correlation. */
        List<String> locations(RunFolders run)
        {
            if (kind.equals("correlation")) {
                return List.of(run.folder(RunFolders.CORRELATIONS, sandbox));
            }
            return folders.stream().map(folder -> run.sourceFolder(folder.folder(), folder.sandbox(), folder.source())).toList();
        }
    }

    /** One job's folder of a rule's hits: the kind of folder ({@link RunFolders#DOCUMENTS} or {@link RunFolders#AGGREGATES}), sandbox or not, and the source. */
    private record SourceHits(String folder, boolean sandbox, String source) {}

    /**
     * @param publishedRuns the record of published runs of a day, if Publish wrote one
     * @param warnings what the correlations will not see (a previous day without published runs)
     */
    public static Optional<CorrelationSpec> compile(List<RuleSet.LoadedRule> correlations, RuleSet ruleSet, List<JobSpec> jobs, CompileContext context,
            Set<String> sandboxTopics, Set<String> rulesWithProblems, Function<String, Optional<PublishedRuns>> publishedRuns, Consumer<Problem> problems,
            Consumer<Problem> warnings)
    {
        String date = context.date().toString();
        RunFolders run = new RunFolders(context.resultsLocation(), date, context.runId());
        CorrelationSpec.Outputs published = new CorrelationSpec.Outputs(IndexNames.PREFIX, run.folder(RunFolders.CORRELATIONS, false), run.folder(RunFolders.SUMMARIES, false));
        CorrelationSpec.Outputs sandboxed = new CorrelationSpec.Outputs(IndexNames.SANDBOX_PREFIX, run.folder(RunFolders.CORRELATIONS, true), run.folder(RunFolders.SUMMARIES, true));
        PreviousDayRuns previousDay = new PreviousDayRuns(context, publishedRuns);
        Map<String, Hits> hits = new LinkedHashMap<>();
        for (JobSpec job : jobs) {
            boolean sandbox = IndexNames.SANDBOX_PREFIX.equals(job.outputs().opensearchIndexPrefix());
            for (JobSpec.RuleSpec rule : job.rules()) {
                boolean aggregate = rule.aggregate() != null;
                Hits known = hits.get(rule.id());
                List<SourceHits> folders = new ArrayList<>(known == null ? List.of() : known.folders());
                folders.add(new SourceHits(aggregate ? RunFolders.AGGREGATES : RunFolders.DOCUMENTS, sandbox, job.source().name()));
                hits.put(rule.id(), new Hits(aggregate ? "aggregate" : "record", folders, sandbox || (known != null && known.sandbox())));
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
                    CorrelationSpec.Correlation spec = correlation(rule, hits, ruleSet, sandboxTopics, run, previousDay);
                    compiled.add(spec);
                    if (spec.previousDay() != null && !previousDay.known()) {
                        warnings.accept(new Problem(rule.correlation().position(), rule.id(), "correlation reads the hits of the previous day, but "
                                + previousDay.date() + " has no published run: windows that open before " + date + " are not seen"
                                + " (run " + previousDay.date() + " first, or write 'previous_day: ignore')"));
                    }
                    hits.put(rule.id(), new Hits("correlation", List.of(), spec.sandbox()));
                    left.remove(loaded);
                    progress = true;
                }
            }
        }
        for (RuleSet.LoadedRule loaded : left) {
            Correlation correlation = loaded.rule().correlation();
            List<String> missing = correlation.rules().stream().filter(id -> !hits.containsKey(id)).toList();
            problems.accept(new Problem(missing.isEmpty() ? correlation.position() : correlation.positionOf(missing.get(0)), loaded.rule().id(), "correlation reads the hits of " + missing
                    + ", which do not run in this run (a problem or no job); expected rules that run, so this correlation does not run either"));
        }
        if (compiled.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CorrelationSpec(CorrelationSpec.CURRENT_VERSION, context.runId(), date, compiled,
                run.metrics("correlations.metrics.json"), published, sandboxed));
    }

    /**
     * Which runs wrote the previous day's hits of a rule: this run when it covers that day too, else the runs the
     * day's published record counts for the rule.
     */
    private static final class PreviousDayRuns
    {
        private final CompileContext context;
        private final String date;
        private final Optional<PublishedRuns> record;

        PreviousDayRuns(CompileContext context, Function<String, Optional<PublishedRuns>> publishedRuns)
        {
            this.context = context;
            LocalDate previous = context.date().minusDays(1);
            this.date = previous.toString();
            this.record = previous.isBefore(context.runFrom()) ? publishedRuns.apply(date) : Optional.empty();
        }

        String date()
        {
            return date;
        }

        boolean known()
        {
            return inThisRun() || record.isPresent();
        }

        private boolean inThisRun()
        {
            return !context.date().minusDays(1).isBefore(context.runFrom());
        }

        List<String> runsOf(String ruleId)
        {
            if (inThisRun()) {
                return List.of(context.runId());
            }
            return record.map(published -> published.runs().stream().filter(run -> run.counts(ruleId)).map(PublishedRuns.Contribution::runId).toList())
                    .orElse(List.of());
        }

        /** The folders of the previous day's runs that wrote a rule's hits. */
        List<String> folders(String ruleId, Hits hits)
        {
            return runsOf(ruleId).stream().flatMap(runId -> hits.locations(new RunFolders(context.resultsLocation(), date, runId)).stream()).toList();
        }
    }

    private static CorrelationSpec.Correlation correlation(Rule rule, Map<String, Hits> hits, RuleSet ruleSet, Set<String> sandboxTopics, RunFolders run,
            PreviousDayRuns previousDay)
    {
        boolean readsPreviousDay = rule.correlation().previousDay() == PreviousDay.READ;
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
            List<String> previousHits = !readsPreviousDay ? List.of() : previousDay.folders(referenced, input);
            inputs.add(new CorrelationSpec.Input(referenced, input.kind(), input.kind().equals("correlation") ? List.of() : input.locations(run), groupFields, value, previousHits));
        }
        List<String> tags = new ArrayList<>(rule.tags());
        if (rule.status() == Status.TEST) {
            tags.add("status:test");
        }
        Map<String, Double> condition = correlation.condition() == null ? Map.of() : correlation.condition().bounds();
        CorrelationSpec.PreviousDay previous = !readsPreviousDay ? null
                : new CorrelationSpec.PreviousDay(previousDay.date(), previousDay.folders(rule.id(), new Hits("correlation", List.of(), sandbox)));
        return new CorrelationSpec.Correlation(rule.id(), rule.uuid(), rule.title(), rule.topic(), rule.severity().name().toLowerCase(Locale.ROOT), tags, sandbox,
                correlation.type().keyword(), correlation.timespan().toSeconds(), correlation.groupBy(), condition, inputs, previous);
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
