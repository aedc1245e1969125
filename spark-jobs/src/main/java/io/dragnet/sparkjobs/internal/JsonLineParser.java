package io.dragnet.sparkjobs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Parses JSON-lines records (Zeek's JSON writer or a generic source): one object per line, keys are the field names
 * as written (Zeek's {@code id.orig_h} is a flat key). Arrays become comma-joined text like Zeek TSV sets.
 */
public final class JsonLineParser
        implements LineParser
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<String> fields;
    private final List<FieldType> types;

    public JsonLineParser(List<String> fields, List<FieldType> types)
    {
        this.fields = List.copyOf(requireNonNull(fields, "fields is null"));
        this.types = List.copyOf(requireNonNull(types, "types is null"));
    }

    @Override
    public List<String> fields()
    {
        return fields;
    }

    @Override
    public List<FieldType> types()
    {
        return types;
    }

    @Override
    public boolean isMetadata(String line)
    {
        return line.isBlank();
    }

    @Override
    public ParsedLine parse(String line)
    {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        }
        catch (JsonProcessingException e) {
            return ParsedLine.rejected("expected one JSON object per line: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return ParsedLine.rejected("expected one JSON object per line");
        }
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = node.get(fields.get(i));
            if (value == null || value.isNull()) {
                continue;
            }
            String text;
            if (value.isArray()) {
                StringBuilder joined = new StringBuilder();
                for (JsonNode element : value) {
                    if (!joined.isEmpty()) {
                        joined.append(',');
                    }
                    joined.append(element.asText());
                }
                text = joined.toString();
            }
            else if (value.isContainerNode()) {
                text = value.toString();
            }
            else {
                text = value.asText();
            }
            try {
                values[i] = types.get(i).parse(text);
            }
            catch (IllegalArgumentException e) {
                return ParsedLine.rejected("field '" + fields.get(i) + "' (" + types.get(i).name().toLowerCase() + "): " + e.getMessage());
            }
        }
        return ParsedLine.parsed(values);
    }
}
