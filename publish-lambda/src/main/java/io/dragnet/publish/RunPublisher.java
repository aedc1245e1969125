package io.dragnet.publish;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.IndexNames;
import io.dragnet.opensearch.client.IndexAliases;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.indices.IndexSettings;
import org.opensearch.client.opensearch.indices.IndexState;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Publishes a finished run: for every run index of the day ({@code dragnet-<topic>-<yyyy.MM.dd>-<run>}), one atomic
 * alias change points the day alias and the topic alias at it and away from the day's previous index; the previous
 * indexes are then deleted and the new one refreshed, and unpublished indexes of older runs, of any day, are swept.
 * Publishing the same run twice changes nothing. A backfill run adds its rules' hits to each day it covers instead
 * ({@link #publishBackfill}).
 */
public final class RunPublisher
{
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");
    /** {@code dragnet-<topic>-<yyyy.MM.dd>-<run>}: the day and the run suffix. */
    private static final Pattern RUN_INDEX = Pattern.compile(Pattern.quote(IndexNames.PREFIX) + "-.+-(\\d{4}\\.\\d{2}\\.\\d{2})-([a-z0-9]+)");

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
            delete(previous, "previous index");
            refresh(index);
            published.add(new Published(topic, index, IndexNames.dayAlias(topic, day), IndexNames.topicAlias(topic), previous));
        }
        sweepUnpublished(day, runId);
        return published;
    }

    /**
     * Publishes a backfill: for every day and topic partition the run wrote, its index joins the day and topic aliases
     * contributing only the run's rules of that topic ({@link IndexAliases#publishBackfill}); every other rule's published
     * documents stay as they were. Earlier backfill indexes left with nothing to contribute are deleted. Every day is
     * published before the sweep, so none of this run's indexes is taken for debris.
     *
     * @param rulesByTopic the run's published (not sandbox) rule ids by topic
     */
    public List<Published> publishBackfill(Collection<LocalDate> days, String runId, Map<String, ? extends Collection<String>> rulesByTopic)
    {
        List<Published> published = new ArrayList<>();
        TreeSet<LocalDate> sorted = new TreeSet<>(days);
        for (LocalDate day : sorted) {
            for (String index : runIndexes(day, runId)) {
                String partition = topicOf(index, day, runId);
                String topic = partition.endsWith(IndexNames.RESTRICTED_SUFFIX) ? partition.substring(0, partition.length() - IndexNames.RESTRICTED_SUFFIX.length()) : partition;
                Collection<String> rules = rulesByTopic.get(topic);
                if (rules == null || rules.isEmpty()) {
                    continue;
                }
                List<String> superseded = IndexAliases.publishBackfill(client, partition, day, index, rules);
                delete(superseded, "superseded backfill index");
                refresh(index);
                published.add(new Published(partition, index, IndexNames.dayAlias(partition, day), IndexNames.topicAlias(partition), superseded));
            }
        }
        if (!sorted.isEmpty()) {
            sweepUnpublished(sorted.first(), runId);
        }
        return published;
    }

    private void delete(List<String> indexes, String what)
    {
        for (String index : indexes) {
            try {
                client.indices().delete(request -> request.index(index));
            }
            catch (IOException e) {
                throw DragnetException.external("cannot delete " + what + " " + index, e);
            }
        }
    }

    private void refresh(String index)
    {
        try {
            client.indices().refresh(request -> request.index(index));
        }
        catch (IOException e) {
            throw DragnetException.external("cannot refresh " + index, e);
        }
    }

    /**
     * Deletes the run indexes of any day that no alias points at and that were created before this run's first index:
     * what killed or failed runs left, this day's or another's. Readers never saw them through the aliases, but a
     * wildcard such as {@code dragnet-c2-*} would. An index created after this run's (a later run, still writing) is
     * kept, and so are sandbox indexes ({@code dragnet_sandbox-*}), which are never published.
     *
     * @return the deleted indexes, sorted
     */
    public List<String> sweepUnpublished(LocalDate day, String runId)
    {
        Map<String, IndexState> indexes = runIndexesOfEveryDay();
        long oldestOfThisRun = indexes.entrySet().stream()
                .filter(entry -> topicOf(entry.getKey(), day, runId) != null)
                .mapToLong(entry -> creationMillis(entry.getValue()))
                .min()
                .orElse(Long.MAX_VALUE);
        List<String> debris = indexes.entrySet().stream()
                .filter(entry -> topicOf(entry.getKey(), day, runId) == null)
                .filter(entry -> entry.getValue().aliases().isEmpty())
                .filter(entry -> creationMillis(entry.getValue()) < oldestOfThisRun)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        delete(debris, "unpublished index");
        return debris;
    }

    /** Every run index, of any day and run: {@code dragnet-<topic>-<yyyy.MM.dd>-<run>}. */
    private Map<String, IndexState> runIndexesOfEveryDay()
    {
        String pattern = IndexNames.PREFIX + "-*";
        try {
            Map<String, IndexState> indexes = new TreeMap<>(client.indices().get(request -> request.index(pattern).allowNoIndices(true).ignoreUnavailable(true)).result());
            indexes.keySet().removeIf(name -> !isRunIndex(name));
            return indexes;
        }
        catch (IOException e) {
            throw DragnetException.external("cannot list indexes " + pattern, e);
        }
    }

    /** Whether the name is a run index of some day and run: {@code dragnet-<topic>-<yyyy.MM.dd>-<run>}. */
    static boolean isRunIndex(String index)
    {
        Matcher matcher = RUN_INDEX.matcher(index);
        if (!matcher.matches()) {
            return false;
        }
        try {
            LocalDate day = LocalDate.parse(matcher.group(1), DAY);
            return topicOf(index, day, matcher.group(2)) != null;
        }
        catch (DateTimeParseException e) {
            return false;
        }
    }

    private static long creationMillis(IndexState state)
    {
        IndexSettings settings = state.settings();
        String created = settings == null ? null : settings.index() != null && settings.index().creationDate() != null ? settings.index().creationDate() : settings.creationDate();
        return created == null ? Long.MAX_VALUE : Long.parseLong(created);
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
