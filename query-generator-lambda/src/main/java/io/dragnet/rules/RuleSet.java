package io.dragnet.rules;

import io.dragnet.rules.model.Rule;
import io.dragnet.rules.sigma.SigmaRule;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A rules folder after parsing: the rules, where each came from, the sources they may read and every problem found so far;
 * {@code sigmaRules} holds each Sigma document as converted or refused (converted ones are also among {@code rules}).
 */
public record RuleSet(String location, SourceCatalog catalog, List<LoadedRule> rules, List<Problem> problems, List<SigmaRule> sigmaRules)
{
    public RuleSet
    {
        requireNonNull(location, "location is null");
        requireNonNull(catalog, "catalog is null");
        rules = List.copyOf(rules);
        problems = List.copyOf(problems);
        sigmaRules = List.copyOf(sigmaRules);
    }

    public RuleSet(String location, SourceCatalog catalog, List<LoadedRule> rules, List<Problem> problems)
    {
        this(location, catalog, rules, problems, List.of());
    }

    /**
     * @param file URI of the rule file, against which its IoC file paths resolve
     * @param valid false for a rule that already has problems: it is checked further, so all its problems show at once, but never compiled
     */
    public record LoadedRule(Rule rule, String file, boolean valid) {}

    /** The rules that will be compiled. */
    public List<LoadedRule> validRules()
    {
        return rules.stream().filter(LoadedRule::valid).toList();
    }
}
