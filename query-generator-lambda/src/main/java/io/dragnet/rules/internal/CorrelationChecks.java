package io.dragnet.rules.internal;

import io.dragnet.rules.Problem;
import io.dragnet.rules.RuleSet;
import io.dragnet.rules.SourceDefinition;
import io.dragnet.rules.model.Aggregation;
import io.dragnet.rules.model.Correlation;
import io.dragnet.rules.model.Rule;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.rules.model.Status;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks of correlation rules that need the whole rule set: every referenced rule exists and is compiled, no rule
 * correlates itself through a chain, and every {@code group_by} field (directly or through an alias) and a
 * value_count's field is present in the hits of each correlated rule: any field of a record rule's source, the group
 * fields of an aggregate rule, the group fields of a correlation rule.
 */
public final class CorrelationChecks
{
    private CorrelationChecks() {}

    public static void check(List<RuleSet.LoadedRule> correlations, RuleSet ruleSet, Consumer<Problem> problems)
    {
        Map<String, Rule> byId = new LinkedHashMap<>();
        ruleSet.rules().forEach(loaded -> byId.put(loaded.rule().id(), loaded.rule()));
        for (RuleSet.LoadedRule loaded : correlations) {
            Rule rule = loaded.rule();
            Correlation correlation = rule.correlation();
            for (String referenced : correlation.rules()) {
                Rule target = byId.get(referenced);
                if (target == null) {
                    problems.accept(new Problem(correlation.positionOf(referenced), rule.id(), "correlation refers to rule '" + referenced
                            + "', which no rule file defines; expected a rule id of this folder" + Suggestions.didYouMean(referenced, byId.keySet())));
                    continue;
                }
                if (target.status() == Status.DISABLED) {
                    problems.accept(new Problem(correlation.positionOf(referenced), rule.id(), "correlation refers to rule '" + referenced
                            + "', which is disabled; expected an active or test rule (its hits are what is correlated)"));
                }
                for (String group : correlation.groupBy()) {
                    String field = correlation.aliases().containsKey(group) ? correlation.aliases().get(group).get(referenced) : group;
                    if (field == null) {
                        problems.accept(new Problem(correlation.positionOf(group), rule.id(), "alias '" + group + "' names no field for rule '" + referenced
                                + "'; expected an entry '" + referenced + ": <field>' under aliases." + group));
                    }
                    else {
                        checkField(rule, target, field, "group_by field", correlation.positionOf(group), ruleSet, problems);
                    }
                }
                if (correlation.condition() != null && correlation.condition().field() != null) {
                    checkField(rule, target, correlation.condition().field(), "value_count field", correlation.condition().position(), ruleSet, problems);
                }
            }
            cycle(rule.id(), byId).ifPresent(path -> problems.accept(new Problem(correlation.position(), rule.id(),
                    "correlation chain returns to itself (" + String.join(" -> ", path) + "); expected rules that do not refer back")));
        }
    }

    private static void checkField(Rule correlation, Rule target, String field, String what, SourcePosition position, RuleSet ruleSet, Consumer<Problem> problems)
    {
        Set<String> known = fieldsOfHits(target, ruleSet);
        if (!known.contains(field)) {
            problems.accept(new Problem(position, correlation.id(), what + " '" + field + "' is not in the hits of rule '"
                    + target.id() + "'; expected one of its fields" + (target.kind() == Rule.Kind.RECORD ? "" : " " + known)
                    + Suggestions.didYouMean(field, known) + " (or an alias mapping it per rule)"));
        }
    }

    /** The field names a rule's hits carry, as rules may write them. */
    public static Set<String> fieldsOfHits(Rule rule, RuleSet ruleSet)
    {
        Set<String> fields = new LinkedHashSet<>();
        switch (rule.kind()) {
            case RECORD -> rule.sources().forEach(source -> ruleSet.catalog().find(source).map(SourceDefinition::knownNames).ifPresent(fields::addAll));
            case AGGREGATE -> {
                for (Aggregation.FieldReference field : rule.aggregation().groupBy()) {
                    fields.add(field.name());
                    for (String source : rule.sources()) {
                        ruleSet.catalog().find(source).flatMap(definition -> definition.resolve(field.name())).ifPresent(fields::add);
                    }
                }
            }
            case CORRELATION -> fields.addAll(rule.correlation().groupBy());
        }
        return fields;
    }

    private static java.util.Optional<List<String>> cycle(String start, Map<String, Rule> byId)
    {
        List<String> path = new ArrayList<>();
        path.add(start);
        return walk(start, start, byId, path, new HashSet<>());
    }

    private static java.util.Optional<List<String>> walk(String start, String current, Map<String, Rule> byId, List<String> path, Set<String> seen)
    {
        Rule rule = byId.get(current);
        if (rule == null || rule.correlation() == null || !seen.add(current)) {
            return java.util.Optional.empty();
        }
        for (String next : rule.correlation().rules()) {
            path.add(next);
            if (next.equals(start)) {
                return java.util.Optional.of(List.copyOf(path));
            }
            java.util.Optional<List<String>> found = walk(start, next, byId, path, seen);
            if (found.isPresent()) {
                return found;
            }
            path.remove(path.size() - 1);
        }
        return java.util.Optional.empty();
    }
}
