package io.dragnet.contracts;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * OpenSearch naming shared by the writers, the setup and the access policies.
 * Readers always query the alias {@code dragnet-<topic>-<yyyy.MM.dd>} (and {@code dragnet-<topic>} for all days);
 * each run writes a fresh concrete index {@code dragnet-<topic>-<yyyy.MM.dd>-<run>} that Publish switches in.
 */
public final class IndexNames
{
    public static final String PREFIX = "dragnet";
    public static final String RUNS_INDEX = "dragnet-runs";
    public static final String VERDICTS_PREFIX = "dragnet-verdicts";
    private static final Pattern TOPIC = Pattern.compile("[a-z][a-z0-9_]{0,40}");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");

    private IndexNames() {}

    public static String checkTopic(String topic)
    {
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("topic '" + topic + "' must match " + TOPIC.pattern());
        }
        return topic;
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
}
