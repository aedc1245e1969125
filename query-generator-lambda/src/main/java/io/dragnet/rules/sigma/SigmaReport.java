package io.dragnet.rules.sigma;

import io.dragnet.rules.model.Rule;
import io.dragnet.rules.Compilation;
import io.dragnet.rules.Problem;
import io.dragnet.rules.RuleSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What became of a folder's Sigma rules: those that compile (with the sources each reads) and those refused, grouped
 * by reason. A rule that converts but that the compiler rejects (a value that does not fit its source field) is
 * refused with the compiler's message.
 */
public record SigmaReport(List<Converted> converted, Map<String, List<String>> refusedByReason, Map<String, List<Problem>> problemsByRule)
{
    public SigmaReport
    {
        converted = List.copyOf(converted);
        refusedByReason = Collections.unmodifiableMap(new TreeMap<>(refusedByReason));
        problemsByRule = Collections.unmodifiableMap(new TreeMap<>(problemsByRule));
    }

    public record Converted(String id, String title, List<String> sources)
    {
        public Converted
        {
            requireNonNull(id, "id is null");
            sources = List.copyOf(sources);
        }
    }

    public static SigmaReport of(RuleSet ruleSet, Compilation compilation)
    {
        Map<String, List<Problem>> compileProblems = new TreeMap<>();
        for (Problem problem : compilation.problems()) {
            if (problem.ruleId() != null) {
                compileProblems.computeIfAbsent(problem.ruleId(), id -> new ArrayList<>()).add(problem);
            }
        }
        List<Converted> converted = new ArrayList<>();
        Map<String, List<String>> refused = new TreeMap<>();
        Map<String, List<Problem>> problems = new TreeMap<>();
        for (SigmaRule sigma : ruleSet.sigmaRules()) {
            if (!sigma.converted()) {
                sigma.refusals().stream().map(SigmaRule.Refusal::reason).distinct()
                        .forEach(reason -> refused.computeIfAbsent(reason, key -> new ArrayList<>()).add(sigma.id()));
                problems.put(sigma.id(), sigma.refusals().stream().map(SigmaRule.Refusal::problem).toList());
                continue;
            }
            List<Problem> rejected = compileProblems.getOrDefault(sigma.id(), List.of());
            if (!rejected.isEmpty()) {
                rejected.stream().map(problem -> "compiler: " + problem.message()).distinct()
                        .forEach(reason -> refused.computeIfAbsent(reason, key -> new ArrayList<>()).add(sigma.id()));
                problems.put(sigma.id(), rejected);
                continue;
            }
            Rule rule = sigma.rule().orElseThrow();
            // a correlation reads no source: it reads the hits of the rules it correlates
            converted.add(new Converted(sigma.id(), sigma.metadata().title(), rule.correlation() == null ? rule.sources()
                    : rule.correlation().rules().stream().map(id -> "hits of " + id).toList()));
        }
        converted.sort(java.util.Comparator.comparing(Converted::id));
        refused.values().forEach(Collections::sort);
        return new SigmaReport(converted, refused, problems);
    }

    public int refusedCount()
    {
        return problemsByRule.size();
    }

    /** The table {@code dragnet sigma check} prints. */
    public String table()
    {
        StringBuilder out = new StringBuilder();
        out.append("Sigma rules: ").append(converted.size() + refusedCount()).append(", converted ").append(converted.size())
                .append(", refused ").append(refusedCount()).append('\n');
        if (!refusedByReason.isEmpty()) {
            out.append("\nrefused, by reason (rules)\n");
            refusedByReason.forEach((reason, ids) -> {
                out.append(String.format("%4d  %s%n", ids.size(), reason));
                ids.forEach(id -> out.append("        ").append(id).append('\n'));
            });
        }
        if (!converted.isEmpty()) {
            int width = converted.stream().mapToInt(rule -> rule.id().length()).max().orElse(0);
            out.append("\nconverted").append(" ".repeat(Math.max(1, width - 7))).append("sources\n");
            converted.forEach(rule -> out.append(String.format("  %-" + width + "s  %s%n", rule.id(), String.join(", ", rule.sources()))));
        }
        return out.toString();
    }
}
