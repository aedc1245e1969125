package io.dragnet.sparkjobs;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.IndexNames;
import io.dragnet.opensearch.client.IndexAliases;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Publishes a finished run: for every run index of the day ({@code dragnet-<topic>-<yyyy.MM.dd>-<run>}), one atomic
 * alias change points the day alias and the topic alias at it and away from the day's previous index; the previous
 * indexes are then deleted and the new one refreshed. Publishing the same run twice changes nothing.
 */
public final class RunPublisher
{
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");

    private final OpenSearchClient client;

    public RunPublisher(OpenSearchClient client)
    {
        this.client = requireNonNull(client, "client is null");
    }

    /** What was switched for one topic. */
    public record Published(String topic, String index, String dayAlias, String topicAlias, List<String> removed)
    {
        public Published
        {
            removed = List.copyOf(removed);
        }

        public Map<String, Object> toMap()
        {
            return Map.of("topic", topic, "index", index, "dayAlias", dayAlias, "topicAlias", topicAlias, "removed", removed);
        }
    }

    public List<Published> publish(LocalDate day, String runId)
    {
        List<Published> published = new ArrayList<>();
        for (String index : runIndexes(day, runId)) {
            String topic = topicOf(index, day, runId);
            List<String> previous = IndexAliases.publish(client, topic, day, index);
            for (String old : previous) {
                try {
                    client.indices().delete(request -> request.index(old));
                }
                catch (IOException e) {
                    throw DragnetException.external("cannot delete previous index " + old, e);
                }
            }
            try {
                client.indices().refresh(request -> request.index(index));
            }
            catch (IOException e) {
                throw DragnetException.external("cannot refresh " + index, e);
            }
            published.add(new Published(topic, index, IndexNames.dayAlias(topic, day), IndexNames.topicAlias(topic), previous));
        }
        return published;
    }

    /** The concrete indexes the run wrote for the day, sorted. */
    public List<String> runIndexes(LocalDate day, String runId)
    {
        String suffix = runSuffix(runId);
        String pattern = IndexNames.PREFIX + "-*-" + DAY.format(day) + "-" + suffix;
        try {
            TreeSet<String> names = new TreeSet<>(client.indices().get(request -> request.index(pattern).allowNoIndices(true).ignoreUnavailable(true)).result().keySet());
            names.removeIf(name -> topicOf(name, day, runId) == null);
            return List.copyOf(names);
        }
        catch (IOException e) {
            throw DragnetException.external("cannot list indexes " + pattern, e);
        }
    }

    /** The topic of a run index name, or null when the name is not a run index of that day and run. */
    static String topicOf(String index, LocalDate day, String runId)
    {
        String head = IndexNames.PREFIX + "-";
        String tail = "-" + DAY.format(day) + "-" + runSuffix(runId);
        if (!index.startsWith(head) || !index.endsWith(tail) || index.length() <= head.length() + tail.length()) {
            return null;
        }
        String topic = index.substring(head.length(), index.length() - tail.length());
        try {
            IndexNames.checkTopic(topic);
            return topic;
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String runSuffix(String runId)
    {
        String index = IndexNames.runIndex("x", LocalDate.of(2000, 1, 1), runId);
        return index.substring(index.lastIndexOf('-') + 1);
    }
}
