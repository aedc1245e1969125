package io.dragnet.sparkjobs.lake;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.sparkjobs.internal.FieldType;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The field types of a Zeek JSON log that declares none, from its first records: {@code ts} and ISO-8601 text are
 * times, integers long, other numbers double, true/false boolean, IPv4/IPv6 literals ip, arrays and everything else
 * string (Zeek's comma-joined text). A field seen with two kinds becomes double when both are numbers, else string.
 */
final class JsonFieldInference
{
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

    private final Map<String, FieldType> types = new LinkedHashMap<>();

    void add(JsonNode record)
    {
        Iterator<Map.Entry<String, JsonNode>> fields = record.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            FieldType seen = kind(field.getKey(), field.getValue());
            if (seen == null) {
                types.putIfAbsent(field.getKey(), null);
                continue;
            }
            types.merge(field.getKey(), seen, JsonFieldInference::merge);
        }
    }

    /** Field → type in first-seen order; fields only ever null are strings. */
    Map<String, FieldType> types()
    {
        Map<String, FieldType> result = new LinkedHashMap<>();
        types.forEach((name, type) -> result.put(name, type == null ? FieldType.STRING : type));
        return result;
    }

    private static FieldType kind(String name, JsonNode value)
    {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return FieldType.BOOLEAN;
        }
        if (value.isNumber()) {
            if (name.equals("ts")) {
                return FieldType.TIMESTAMP;
            }
            return value.isIntegralNumber() ? FieldType.LONG : FieldType.DOUBLE;
        }
        if (value.isTextual()) {
            String text = value.asText();
            if (isInstant(text)) {
                return FieldType.TIMESTAMP;
            }
            if (IPV4.matcher(text).matches() || (text.indexOf(':') >= 0 && IPV6.matcher(text).matches() && text.length() >= 2)) {
                return FieldType.IP;
            }
        }
        return FieldType.STRING;
    }

    private static boolean isInstant(String text)
    {
        if (text.length() < 20 || text.charAt(4) != '-' || text.indexOf('T') != 10) {
            return false;
        }
        try {
            Instant.parse(text);
            return true;
        }
        catch (DateTimeParseException e) {
            return false;
        }
    }

    private static FieldType merge(FieldType a, FieldType b)
    {
        if (a == b) {
            return a;
        }
        if ((a == FieldType.LONG && b == FieldType.DOUBLE) || (a == FieldType.DOUBLE && b == FieldType.LONG)) {
            return FieldType.DOUBLE;
        }
        return FieldType.STRING;
    }
}
