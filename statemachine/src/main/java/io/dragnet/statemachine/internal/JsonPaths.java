package io.dragnet.statemachine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.dragnet.statemachine.StatesError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSONPath as the Amazon States Language uses it, over Jackson trees, with Jayway JsonPath doing the evaluation.
 * Paths starting with {@code $$} read the context object. Reference paths (ResultPath) are the simple subset
 * ({@code $.a.b}, {@code $['a']}, {@code $.a[0]}) that can also be written to.
 */
public final class JsonPaths
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Configuration CONFIGURATION = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(MAPPER))
            .mappingProvider(new JacksonMappingProvider(MAPPER))
            .build();
    private static final Map<String, JsonPath> COMPILED = new ConcurrentHashMap<>();

    private JsonPaths() {}

    public static ObjectMapper mapper()
    {
        return MAPPER;
    }

    /** Throws IllegalArgumentException with the reason when {@code path} is not a JSONPath the executor can evaluate. */
    public static void checkSyntax(String path)
    {
        compile(stripContext(path));
    }

    public static boolean isContextPath(String path)
    {
        return path.startsWith("$$");
    }

    /** Reads {@code path}; a path that selects nothing is a States.Runtime error, as on AWS. */
    public static JsonNode read(JsonNode document, JsonNode context, String path)
    {
        JsonNode target = isContextPath(path) ? context : document;
        String effective = stripContext(path);
        if (effective.equals("$")) {
            return target;
        }
        JsonPath compiled = compile(effective);
        if (indexesPastAnArray(target, effective)) {
            throw StatesError.runtime("the JSONPath '" + path + "' could not be found in the input '" + abbreviate(target) + "'");
        }
        try {
            Object value = compiled.read(target, CONFIGURATION);
            return value instanceof JsonNode node ? node : MAPPER.valueToTree(value);
        }
        catch (PathNotFoundException e) {
            throw StatesError.runtime("the JSONPath '" + path + "' could not be found in the input '" + abbreviate(target) + "'");
        }
    }

    /**
     * Whether a simple path ({@code $.a.b[2]}) names an array element past the array's end. Jackson's arrays answer
     * such an index with no value instead of an error, which the JSONPath library then reports as a null it found.
     */
    private static boolean indexesPastAnArray(JsonNode target, String path)
    {
        List<Object> segments;
        try {
            segments = referenceSegments(path);
        }
        catch (IllegalArgumentException e) {
            return false;
        }
        JsonNode current = target;
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                if (!current.isArray()) {
                    return false;
                }
                if (index >= current.size()) {
                    return true;
                }
                current = current.get(index);
            }
            else {
                current = current.path((String) segment);
                if (current.isMissingNode()) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Whether {@code path} selects a value (used by IsPresent). */
    public static boolean exists(JsonNode document, JsonNode context, String path)
    {
        try {
            JsonNode value = read(document, context, path);
            return !(compile(stripContext(path)).isDefinite() == false && value.isArray() && value.isEmpty());
        }
        catch (StatesError e) {
            return false;
        }
    }

    /** Returns a copy of {@code document} with {@code value} placed at the reference path, creating objects on the way. */
    public static JsonNode write(JsonNode document, String referencePath, JsonNode value)
    {
        List<Object> segments = referenceSegments(referencePath);
        if (segments.isEmpty()) {
            return value;
        }
        if (!document.isObject() && !(segments.get(0) instanceof Integer && document.isArray())) {
            throw StatesError.runtime("cannot apply ResultPath '" + referencePath + "' to a non-object input '" + abbreviate(document) + "'");
        }
        JsonNode root = document.deepCopy();
        JsonNode current = root;
        for (int i = 0; i < segments.size(); i++) {
            Object segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (segment instanceof String field) {
                if (!current.isObject()) {
                    throw StatesError.runtime("ResultPath '" + referencePath + "' crosses a non-object value at '" + field + "'");
                }
                ObjectNode object = (ObjectNode) current;
                if (last) {
                    object.set(field, value);
                }
                else {
                    JsonNode next = object.get(field);
                    if (next == null || next.isNull()) {
                        next = object.putObject(field);
                    }
                    current = next;
                }
            }
            else {
                int index = (Integer) segment;
                if (!current.isArray() || index >= current.size()) {
                    throw StatesError.runtime("ResultPath '" + referencePath + "' names array element " + index + " that does not exist");
                }
                ArrayNode array = (ArrayNode) current;
                if (last) {
                    array.set(index, value);
                }
                else {
                    current = array.get(index);
                }
            }
        }
        return root;
    }

    /** Splits a reference path into field names and array indexes; throws IllegalArgumentException when it is not one. */
    public static List<Object> referenceSegments(String path)
    {
        if (!path.startsWith("$") || path.startsWith("$$")) {
            throw new IllegalArgumentException("a reference path must start with '$'");
        }
        List<Object> segments = new ArrayList<>();
        int i = 1;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                String name = path.substring(i + 1, end);
                if (name.isEmpty() || name.equals("*") || name.contains("..")) {
                    throw new IllegalArgumentException("'" + path + "' is not a reference path (empty or wildcard segment)");
                }
                segments.add(name);
                i = end;
            }
            else if (c == '[') {
                int end = path.indexOf(']', i);
                if (end < 0) {
                    throw new IllegalArgumentException("'" + path + "' has an unclosed '['");
                }
                String inside = path.substring(i + 1, end).trim();
                if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'") || inside.startsWith("\"") && inside.endsWith("\""))) {
                    segments.add(inside.substring(1, inside.length() - 1));
                }
                else if (inside.matches("\\d+")) {
                    segments.add(Integer.parseInt(inside));
                }
                else {
                    throw new IllegalArgumentException("'" + path + "' is not a reference path ('[" + inside + "]' is not a name or an index)");
                }
                i = end + 1;
            }
            else {
                throw new IllegalArgumentException("'" + path + "' is not a reference path (unexpected '" + c + "')");
            }
        }
        return segments;
    }

    public static JsonNode nullNode()
    {
        return NullNode.getInstance();
    }

    public static ObjectNode object()
    {
        return JsonNodeFactory.instance.objectNode();
    }

    public static String abbreviate(JsonNode node)
    {
        String text = node == null ? "null" : node.toString();
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    private static String stripContext(String path)
    {
        return path.startsWith("$$") ? path.substring(1) : path;
    }

    private static JsonPath compile(String path)
    {
        JsonPath cached = COMPILED.get(path);
        if (cached != null) {
            return cached;
        }
        try {
            JsonPath compiled = JsonPath.compile(path);
            COMPILED.put(path, compiled);
            return compiled;
        }
        catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + path + "' is not a valid JSONPath: " + e.getMessage(), e);
        }
    }
}
