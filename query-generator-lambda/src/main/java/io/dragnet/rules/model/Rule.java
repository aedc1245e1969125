package io.dragnet.rules.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One extraction rule as the researcher wrote it, with field names not yet mapped to any source.
 * Shaped like a Sigma rule (metadata, named selections, a condition) so Sigma rules can be carried later.
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
        requireNonNull(condition, "condition is null");
        enrich = List.copyOf(enrich);
        outputFields = List.copyOf(outputFields);
        summaryGroupBy = List.copyOf(summaryGroupBy);
        requireNonNull(position, "position is null");
    }
}
