package io.dragnet.opensearch.client;

import io.dragnet.contracts.IndexNames;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Publishing a run: one atomic {@code _aliases} call points the day alias ({@code dragnet-<topic>-<yyyy.MM.dd>}) and the
 * topic alias ({@code dragnet-<topic>}) at the run's fresh index and away from the day's previous index, so readers
 * never see a day twice or not at all. The previous index is left in place (retention or the caller deletes it).
 * <p>
 * A backfill adds to a day instead of replacing it ({@link #publishBackfill}): its index joins the aliases with a filter
 * naming the rules it contributes ({@code {"terms": {"rule.id": [...]}}}), and the day's other indexes keep every other
 * rule's documents while theirs of those rules are filtered out (a published run index gets
 * {@code {"bool": {"must_not": [{"terms": {"rule.id": [...]}}]}}}; an earlier backfill index loses the rules from its
 * filter, and leaves the aliases when none is left). Readers of the aliases see each rule's hits once, from the latest
 * run that ran it. A later daily run of the day replaces all of it with its own index, as it always does.
 */
public final class IndexAliases
{
    private static final String RULE_ID = "rule.id";

    private IndexAliases() {}

    /** Returns the indices the day alias pointed at before. */
    public static List<String> publish(OpenSearchClient client, String topic, LocalDate day, String runIndex)
    {
        String dayAlias = IndexNames.dayAlias(topic, day);
        String topicAlias = IndexNames.topicAlias(topic);
        List<String> previous = indicesOf(client, dayAlias);
        previous.remove(runIndex);
        List<String> inTopic = indicesOf(client, topicAlias);
        List<Map<String, Object>> actions = new ArrayList<>();
        for (String index : previous) {
            actions.add(Map.of("remove", Map.of("index", index, "alias", dayAlias)));
            if (inTopic.contains(index)) {
                actions.add(Map.of("remove", Map.of("index", index, "alias", topicAlias)));
            }
        }
        actions.add(Map.of("add", Map.of("index", runIndex, "alias", dayAlias)));
        actions.add(Map.of("add", Map.of("index", runIndex, "alias", topicAlias)));
        OpenSearchRest.require(client, "POST", "/_aliases", Map.of("actions", actions));
        return List.copyOf(previous);
    }

    /**
     * Adds a backfill run's index to the day of a topic partition, contributing only {@code rules}' documents; the other
     * indexes of the day stop showing those rules. Returns the earlier backfill indexes left with no rule to contribute,
     * which are no longer behind any alias (the caller deletes them).
     */
    public static List<String> publishBackfill(OpenSearchClient client, String topic, LocalDate day, String backfillIndex, Collection<String> rules)
    {
        String dayAlias = IndexNames.dayAlias(topic, day);
        String topicAlias = IndexNames.topicAlias(topic);
        Set<String> backfilled = new TreeSet<>(rules);
        Map<String, Object> entries = entriesOf(client, dayAlias);
        entries.remove(backfillIndex);
        List<Map<String, Object>> actions = new ArrayList<>();
        List<String> superseded = new ArrayList<>();
        entries.forEach((index, entry) -> {
            Object filter = entry instanceof Map<?, ?> map ? map.get("filter") : null;
            List<String> contributed = ruleTerms(filter);
            if (contributed != null) {
                List<String> remaining = contributed.stream().filter(rule -> !backfilled.contains(rule)).sorted().toList();
                if (remaining.isEmpty()) {
                    actions.add(Map.of("remove", Map.of("index", index, "alias", dayAlias)));
                    actions.add(Map.of("remove", Map.of("index", index, "alias", topicAlias)));
                    superseded.add(index);
                }
                else if (remaining.size() < contributed.size()) {
                    addWithFilter(actions, index, dayAlias, topicAlias, contributes(remaining));
                }
            }
            else {
                Set<String> excluded = new TreeSet<>(excludedRuleTerms(filter));
                if (excluded.addAll(backfilled)) {
                    addWithFilter(actions, index, dayAlias, topicAlias, Map.of("bool", Map.of("must_not", List.of(contributes(List.copyOf(excluded))))));
                }
            }
        });
        addWithFilter(actions, backfillIndex, dayAlias, topicAlias, contributes(List.copyOf(backfilled)));
        OpenSearchRest.require(client, "POST", "/_aliases", Map.of("actions", actions));
        return List.copyOf(superseded);
    }

    private static void addWithFilter(List<Map<String, Object>> actions, String index, String dayAlias, String topicAlias, Map<String, Object> filter)
    {
        actions.add(Map.of("add", Map.of("index", index, "alias", dayAlias, "filter", filter)));
        actions.add(Map.of("add", Map.of("index", index, "alias", topicAlias, "filter", filter)));
    }

    private static Map<String, Object> contributes(List<String> rules)
    {
        return Map.of("terms", Map.of(RULE_ID, rules));
    }

    /** The rule ids of a backfill entry's filter {@code {"terms": {"rule.id": [...]}}}; null for any other entry. */
    private static List<String> ruleTerms(Object filter)
    {
        if (filter instanceof Map<?, ?> map && map.get("terms") instanceof Map<?, ?> terms && terms.get(RULE_ID) instanceof List<?> ids) {
            return ids.stream().map(String::valueOf).toList();
        }
        return null;
    }

    /** The rule ids a published run index's filter leaves out ({@code bool.must_not[].terms}); empty for no filter. */
    private static List<String> excludedRuleTerms(Object filter)
    {
        List<String> excluded = new ArrayList<>();
        if (filter instanceof Map<?, ?> map && map.get("bool") instanceof Map<?, ?> bool) {
            Object mustNot = bool.get("must_not");
            List<?> clauses = mustNot instanceof List<?> list ? list : mustNot == null ? List.of() : List.of(mustNot);
            clauses.forEach(clause -> {
                List<String> ids = ruleTerms(clause);
                if (ids != null) {
                    excluded.addAll(ids);
                }
            });
        }
        return excluded;
    }

    /** Index name → its entry of the alias ({@code {"filter": …}} when filtered), sorted by index. */
    private static Map<String, Object> entriesOf(OpenSearchClient client, String alias)
    {
        RestResponse current = OpenSearchRest.call(client, "GET", "/_alias/" + alias, null);
        Map<String, Object> entries = new TreeMap<>();
        if (current.ok()) {
            OpenSearchRest.parse(current.body()).forEach((index, value) -> entries.put(index,
                    value instanceof Map<?, ?> map && map.get("aliases") instanceof Map<?, ?> aliases ? aliases.get(alias) : null));
        }
        return entries;
    }

    private static List<String> indicesOf(OpenSearchClient client, String alias)
    {
        RestResponse current = OpenSearchRest.call(client, "GET", "/_alias/" + alias, null);
        return current.ok() ? new ArrayList<>(OpenSearchRest.parse(current.body()).keySet()) : new ArrayList<>();
    }
}
