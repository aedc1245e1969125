package io.dragnet.rules.sigma;

import io.dragnet.rules.model.SourcePosition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A Sigma processing pipeline as data: for each Sigma logsource, the dragnet sources it reads, how Sigma field names
 * map to source fields, the fields keyword selections search and the topic its hits land in.
 *
 * @param userDefined true for pipelines from a rules folder: their entries win over built-in ones for the same logsource
 * @param placeholders values of {@code %name%} placeholders for the {@code expand} modifier
 */
public record SigmaPipeline(String name, int priority, boolean userDefined, List<LogsourceMapping> logsources, Map<String, List<String>> placeholders)
{
    public SigmaPipeline
    {
        requireNonNull(name, "name is null");
        logsources = List.copyOf(logsources);
        placeholders = Collections.unmodifiableMap(new LinkedHashMap<>(placeholders));
    }

    /** How a Sigma field's values are reshaped for the source field that holds them. */
    public enum Transform
    {
        /** the source field holds a comma-joined list (Zeek's set/vector): a value matches one element */
        LIST_ELEMENT,
        /** the source field holds the whole URI: the Sigma field is its query, the part after the first '?' */
        URI_QUERY,
        /** the source field holds the whole URI: the Sigma field is its path, the part before the first '?' */
        URI_PATH;

        public String keyword()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @param transform null when values compare with the field as they are */
    public record FieldMapping(String field, Transform transform)
    {
        public FieldMapping
        {
            requireNonNull(field, "field is null");
        }
    }

    /**
     * One logsource entry.
     *
     * @param match product/category/service values a rule's logsource must have (lower case); more keys are more specific
     * @param fieldsAsIs true when Sigma field names not in {@code fields} are the source's own names
     * @param keywordFields source fields a keyword (field-less) selection searches
     */
    public record LogsourceMapping(Map<String, String> match, List<String> sources, String topic, Map<String, FieldMapping> fields, boolean fieldsAsIs,
            List<String> keywordFields, String pipeline, SourcePosition position)
    {
        public LogsourceMapping
        {
            match = Collections.unmodifiableMap(new LinkedHashMap<>(match));
            sources = List.copyOf(sources);
            requireNonNull(topic, "topic is null");
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            keywordFields = List.copyOf(keywordFields);
            requireNonNull(pipeline, "pipeline is null");
            requireNonNull(position, "position is null");
        }

        /** True when every key of this entry has the rule's value for it. */
        public boolean matches(Map<String, String> logsource)
        {
            return match.entrySet().stream().allMatch(entry -> entry.getValue().equals(logsource.get(entry.getKey())));
        }

        public Optional<FieldMapping> field(String sigmaField)
        {
            FieldMapping mapped = fields.get(sigmaField);
            if (mapped != null) {
                return Optional.of(mapped);
            }
            return fieldsAsIs ? Optional.of(new FieldMapping(sigmaField, null)) : Optional.empty();
        }

        public String describe()
        {
            return match.entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue()).reduce((a, b) -> a + ", " + b).orElse("(any)");
        }
    }
}
