package io.dragnet.rules;

import io.dragnet.contracts.JobSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A source rules can read: its raw schema and the mapping from ECS-style names ({@code destination.ip}) to its raw
 * fields ({@code id.resp_h}). Rules may use either name; job specs always carry the raw one.
 *
 * @param format job spec format (zeek_tsv, zeek_json, parquet, csv, jsonl)
 * @param location partition location template; {@code {lake}}, {@code {source}} and {@code {date}} are replaced
 * @param fields raw field name → type (string, long, double, boolean, timestamp, ip), in schema order
 * @param mapping ECS-style name → raw field name; carried in job specs, where it also fills the documents' ECS fields
 * @param dataset value of {@code event.dataset} in output documents
 */
public record SourceDefinition(
        String name,
        String format,
        String location,
        String timeField,
        Map<String, String> fields,
        Map<String, String> mapping,
        String dataset)
{
    public static final String DEFAULT_LOCATION = "{lake}/{source}/dt={date}";
    public static final List<String> FORMATS = List.of("zeek_tsv", "zeek_json", "parquet", "csv", "jsonl");
    public static final List<String> TYPES = List.of("string", "long", "double", "boolean", "timestamp", "ip");

    public SourceDefinition
    {
        requireNonNull(name, "name is null");
        requireNonNull(format, "format is null");
        requireNonNull(location, "location is null");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        mapping = Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
    }

    /** The raw field a rule's field name refers to: a raw name as is, or an ECS-style name through the mapping. */
    public Optional<String> resolve(String fieldName)
    {
        if (fields.containsKey(fieldName)) {
            return Optional.of(fieldName);
        }
        return Optional.ofNullable(mapping.get(fieldName)).filter(fields::containsKey);
    }

    public String typeOf(String rawField)
    {
        return fields.get(rawField);
    }

    /** Every name a rule may use on this source, for did-you-mean. */
    public Set<String> knownNames()
    {
        Set<String> names = new LinkedHashSet<>(mapping.keySet());
        names.addAll(fields.keySet());
        return names;
    }

    public List<JobSpec.FieldSpec> schema()
    {
        List<JobSpec.FieldSpec> schema = new ArrayList<>();
        fields.forEach((field, type) -> schema.add(new JobSpec.FieldSpec(field, type)));
        return schema;
    }

    public String locationFor(String lake, String date)
    {
        return location.replace("{lake}", Locations.trimSlash(lake)).replace("{source}", name).replace("{date}", date);
    }
}
