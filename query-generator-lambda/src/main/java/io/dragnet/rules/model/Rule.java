package io.dragnet.rules.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One extraction rule as the researcher wrote it, with field names not yet mapped to any source.
 * Shaped like a Sigma rule (metadata, named selections, a condition) so Sigma rules can be carried later.
 * Three kinds: a record rule keeps or drops single records; an aggregate rule ({@code aggregation} set) reports
 * groups of the records its condition keeps; a correlation rule ({@code correlation} set, no sources, selections
 * or condition) reports groups of other rules' hits. {@code uuid} is the Sigma {@code id} of a rule converted from Sigma
 * (null otherwise); every document of the rule carries it as {@code rule.uuid}.
 * {@code notifyChannels} (the {@code notify:} key) names the alert channels of the sharing policy that hear of the
 * rule's new hits.
 */
public record Rule(
        String id,
        String title,
        String description,
        String topic,
        String owner,
        List<String> tags,
        Status status,
        Severity severity,
        List<String> sources,
        Map<String, Selection> selections,
        Condition condition,
        TimeWindow window,
        List<String> enrich,
        List<String> outputFields,
        List<String> summaryGroupBy,
        Aggregation aggregation,
        Correlation correlation,
        String uuid,
        List<NotifyChannel> notifyChannels,
        SourcePosition position)
{
    public Rule
    {
        requireNonNull(id, "id is null");
        requireNonNull(topic, "topic is null");
        tags = List.copyOf(tags);
        requireNonNull(status, "status is null");
        requireNonNull(severity, "severity is null");
        sources = List.copyOf(sources);
        selections = Collections.unmodifiableMap(new LinkedHashMap<>(selections));
        if (correlation == null) {
            requireNonNull(condition, "condition is null");
        }
        if (aggregation != null && correlation != null) {
            throw new IllegalArgumentException("rule " + id + " is both an aggregate and a correlation rule");
        }
        enrich = List.copyOf(enrich);
        outputFields = List.copyOf(outputFields);
        summaryGroupBy = List.copyOf(summaryGroupBy);
        notifyChannels = List.copyOf(notifyChannels);
        requireNonNull(position, "position is null");
    }

    /** A rule that alerts no channel. */
    public Rule(String id, String title, String description, String topic, String owner, List<String> tags, Status status, Severity severity,
            List<String> sources, Map<String, Selection> selections, Condition condition, TimeWindow window, List<String> enrich,
            List<String> outputFields, List<String> summaryGroupBy, Aggregation aggregation, Correlation correlation, String uuid, SourcePosition position)
    {
        this(id, title, description, topic, owner, tags, status, severity, sources, selections, condition, window, enrich, outputFields,
                summaryGroupBy, aggregation, correlation, uuid, List.of(), position);
    }

    /** A record rule. */
    public Rule(String id, String title, String description, String topic, String owner, List<String> tags, Status status, Severity severity,
            List<String> sources, Map<String, Selection> selections, Condition condition, TimeWindow window, List<String> enrich,
            List<String> outputFields, List<String> summaryGroupBy, SourcePosition position)
    {
        this(id, title, description, topic, owner, tags, status, severity, sources, selections, condition, window, enrich, outputFields,
                summaryGroupBy, null, null, null, List.of(), position);
    }

    public Kind kind()
    {
        return correlation != null ? Kind.CORRELATION : aggregation != null ? Kind.AGGREGATE : Kind.RECORD;
    }

    public enum Kind { RECORD, AGGREGATE, CORRELATION }
}
