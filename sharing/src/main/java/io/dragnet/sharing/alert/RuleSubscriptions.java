package io.dragnet.sharing.alert;

import io.dragnet.contracts.DragnetException;
import io.dragnet.rules.Problem;
import io.dragnet.rules.RuleSet;
import io.dragnet.rules.internal.Suggestions;
import io.dragnet.rules.model.NotifyChannel;
import io.dragnet.rules.model.Rule;
import io.dragnet.sharing.SharingPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which alert channels each rule subscribes with its {@code notify:} key. A channel hears of the new hits of the rules
 * that name it and of the rules its own {@code rules:} globs match in the sharing policy.
 *
 * @param channelsByRule rule id → the channel names its {@code notify:} lists
 */
public record RuleSubscriptions(Map<String, Set<String>> channelsByRule)
{
    public static final RuleSubscriptions NONE = new RuleSubscriptions(Map.of());

    public RuleSubscriptions
    {
        channelsByRule = channelsByRule.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> Set.copyOf(entry.getValue())));
    }

    /** Whether {@code channel} is sent the new hits of {@code ruleId}. */
    public boolean sends(SharingPolicy.Channel channel, String ruleId)
    {
        return SharingPolicy.matchesAny(channel.rules(), ruleId) || channelsByRule.getOrDefault(ruleId, Set.of()).contains(channel.name());
    }

    /**
     * The subscriptions of every rule of {@code rules}, checked against the channels {@code policy} declares.
     *
     * @throws DragnetException (user) listing, at its {@code file:line:column}, every channel name the policy does not
     *         declare and every channel whose recipient may not receive the rule's topic
     */
    public static RuleSubscriptions of(RuleSet rules, SharingPolicy policy)
    {
        List<Problem> problems = problems(rules, policy);
        if (!problems.isEmpty()) {
            throw DragnetException.user("rules in " + rules.location() + " notify channels the sharing policy cannot alert (" + problems.size() + " problem(s)):\n"
                    + problems.stream().sorted().map(Problem::toString).collect(Collectors.joining("\n")));
        }
        Map<String, Set<String>> byRule = new TreeMap<>();
        for (RuleSet.LoadedRule loaded : rules.rules()) {
            for (NotifyChannel channel : loaded.rule().notifyChannels()) {
                byRule.computeIfAbsent(loaded.rule().id(), id -> new TreeSet<>()).add(channel.name());
            }
        }
        return new RuleSubscriptions(byRule);
    }

    /** Every {@code notify:} entry of {@code rules} that {@code policy} cannot honour, at its position. */
    public static List<Problem> problems(RuleSet rules, SharingPolicy policy)
    {
        List<Problem> problems = new ArrayList<>();
        Set<String> declared = new TreeSet<>(policy.channels().keySet());
        for (RuleSet.LoadedRule loaded : rules.rules()) {
            Rule rule = loaded.rule();
            for (NotifyChannel named : rule.notifyChannels()) {
                SharingPolicy.Channel channel = policy.channels().get(named.name());
                if (channel == null) {
                    problems.add(new Problem(named.position(), rule.id(), "unknown channel '" + named.name() + "'; expected one of the sharing policy's channels "
                            + declared + Suggestions.didYouMean(named.name(), declared)));
                    continue;
                }
                Set<String> topics = policy.recipient(channel.recipient()).orElseThrow().topics();
                if (!topics.contains(rule.topic())) {
                    problems.add(new Problem(named.position(), rule.id(), "channel '" + named.name() + "' alerts recipient " + channel.recipient()
                            + ", which does not receive topic " + rule.topic() + " " + new TreeSet<>(topics) + "; expected a channel whose recipient receives it"));
                }
            }
        }
        return problems;
    }
}
