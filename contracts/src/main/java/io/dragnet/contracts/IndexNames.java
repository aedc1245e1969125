package io.dragnet.contracts;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

/**
 * OpenSearch naming shared by the writers, the setup and the access policies.
 * Readers always query the alias {@code dragnet-<topic>-<yyyy.MM.dd>} (and {@code dragnet-<topic>} for all days);
 * each run writes a fresh concrete index {@code dragnet-<topic>-<yyyy.MM.dd>-<run>} that Publish switches in.
 * Documents about restricted assets go to the topic's restricted partition {@code <topic>_restricted}, a separate index
 * family: a group that may not see them holds no permission on those indices, so no query or aggregation can reach them
 * (document-level security inside one index does not hold through {@code global} and similar aggregations).
 * Sandbox runs (rules with {@code status: test}, or a rules folder without the topic's whole published rule set) write to
 * their own index family, {@code dragnet_sandbox-<partition>-<yyyy.MM.dd>-<run>}: no alias points at it, Publish never
 * touches it, and only the groups granted the topic's sandbox may read it.
 */
public final class IndexNames
{
    public static final String PREFIX = "dragnet";
    public static final String RUNS_INDEX = "dragnet-runs";
    public static final String VERDICTS_PREFIX = "dragnet-verdicts";
    /**
     * The export trail's mirror. Its name starts with {@code dragnet_}, not {@code dragnet-}, so no topic or ledger
     * pattern of an access policy can cover it: only the admin reads it (the policy parser refuses patterns that would).
     */
    public static final String EXPORT_TRAIL_INDEX = "dragnet_export_trail";
    public static final String RESTRICTED_SUFFIX = "_restricted";
    /** The index prefix of sandbox runs, in place of {@link #PREFIX}. */
    public static final String SANDBOX_PREFIX = "dragnet_sandbox";
    /** The {@code asset.criticality} value (compared lower-cased and trimmed) whose documents go to the restricted partition. */
    public static final String RESTRICTED_CRITICALITY = "restricted";
    private static final Pattern TOPIC = Pattern.compile("[a-z][a-z0-9_]{0,40}(" + RESTRICTED_SUFFIX + ")?");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");

    private IndexNames() {}

    public static String checkTopic(String topic)
    {
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("topic '" + topic + "' must match " + TOPIC.pattern());
        }
        return topic;
    }

    /** The partition of a topic that holds documents about restricted assets. */
    public static String restrictedTopic(String topic)
    {
        if (checkTopic(topic).endsWith(RESTRICTED_SUFFIX)) {
            throw new IllegalArgumentException("topic '" + topic + "' is already a restricted partition");
        }
        return topic + RESTRICTED_SUFFIX;
    }

    /** A topic and its restricted partition: the index families a topic's documents are written to. */
    public static List<String> partitions(String topic)
    {
        return List.of(checkTopic(topic), restrictedTopic(topic));
    }

    /** Whether an {@code asset.criticality} value marks a restricted asset (case and surrounding blanks ignored). */
    public static boolean isRestricted(String criticality)
    {
        return criticality != null && criticality.strip().equalsIgnoreCase(RESTRICTED_CRITICALITY);
    }

    public static String topicAlias(String topic)
    {
        return PREFIX + "-" + checkTopic(topic);
    }

    public static String dayAlias(String topic, LocalDate day)
    {
        return topicAlias(topic) + "-" + DAY.format(day);
    }

    public static String runIndex(String topic, LocalDate day, String runId)
    {
        return dayAlias(topic, day) + "-" + runId.toLowerCase().replaceAll("[^a-z0-9]", "");
    }

    /** Pattern covering every index of a topic, used by access roles and index templates. */
    public static String topicPattern(String topic)
    {
        return topicAlias(topic) + "-*";
    }

    /** Pattern covering every sandbox index of a topic partition ({@code dragnet_sandbox-<partition>-*}). */
    public static String sandboxPattern(String partition)
    {
        return SANDBOX_PREFIX + "-" + checkTopic(partition) + "-*";
    }

    /** The sandbox index a run writes for a topic partition and day. */
    public static String sandboxRunIndex(String partition, LocalDate day, String runId)
    {
        return SANDBOX_PREFIX + runIndex(partition, day, runId).substring(PREFIX.length());
    }
}
