package io.dragnet.rules;

import io.dragnet.rules.model.Rule;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A rules folder after parsing: the rules that parsed, where each came from, the sources they may read and every
 * problem found so far (a rule with a problem is not in {@code rules}).
 */
public record RuleSet(String location, SourceCatalog catalog, List<LoadedRule> rules, List<Problem> problems)
{
    public RuleSet
    {
        requireNonNull(location, "location is null");
        requireNonNull(catalog, "catalog is null");
        rules = List.copyOf(rules);
        problems = List.copyOf(problems);
    }

    /** @param file URI of the rule file, against which its IoC file paths resolve */
    public record LoadedRule(Rule rule, String file) {}
}
