package io.dragnet.opensearch.client;

import io.dragnet.contracts.IndexNames;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Publishing a run: one atomic {@code _aliases} call points the day alias ({@code dragnet-<topic>-<yyyy.MM.dd>}) and the
 * topic alias ({@code dragnet-<topic>}) at the run's fresh index and away from the day's previous index, so readers
 * never see a day twice or not at all. The previous index is left in place (retention or the caller deletes it).
 */
public final class IndexAliases
{
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

    private static List<String> indicesOf(OpenSearchClient client, String alias)
    {
        RestResponse current = OpenSearchRest.call(client, "GET", "/_alias/" + alias, null);
        return current.ok() ? new ArrayList<>(OpenSearchRest.parse(current.body()).keySet()) : new ArrayList<>();
    }
}
