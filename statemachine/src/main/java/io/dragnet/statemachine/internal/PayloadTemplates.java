package io.dragnet.statemachine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Parameters, ResultSelector and ItemSelector: a JSON template whose {@code "key.$"} fields take their value from a
 * path over the input, a path over the context object ({@code $$…}), or an intrinsic function.
 */
public final class PayloadTemplates
{
    private PayloadTemplates() {}

    public static JsonNode apply(JsonNode template, JsonNode input, JsonNode context)
    {
        if (template.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                if (key.endsWith(".$")) {
                    out.set(key.substring(0, key.length() - 2), evaluate(field.getValue().textValue(), input, context));
                }
                else {
                    out.set(key, apply(field.getValue(), input, context));
                }
            }
            return out;
        }
        if (template.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            template.forEach(element -> out.add(apply(element, input, context)));
            return out;
        }
        return template;
    }

    /** Checks every dynamic field; returns null when the template is valid, else what is wrong and where. */
    public static String problem(JsonNode template, String where)
    {
        if (template.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                String here = where + "." + key;
                if (key.endsWith(".$")) {
                    if (!field.getValue().isTextual()) {
                        return here + ": a field ending in '.$' must hold a path or an intrinsic function as a string";
                    }
                    String expression = field.getValue().textValue();
                    try {
                        if (Intrinsics.isIntrinsic(expression)) {
                            Intrinsics.checkSyntax(expression);
                        }
                        else if (expression.startsWith("$")) {
                            JsonPaths.checkSyntax(expression);
                        }
                        else {
                            return here + ": '" + expression + "' is neither a path (starting with $) nor an intrinsic function (States.…)";
                        }
                    }
                    catch (IllegalArgumentException e) {
                        return here + ": " + e.getMessage();
                    }
                }
                else {
                    String inner = problem(field.getValue(), here);
                    if (inner != null) {
                        return inner;
                    }
                }
            }
        }
        else if (template.isArray()) {
            for (int i = 0; i < template.size(); i++) {
                String inner = problem(template.get(i), where + "[" + i + "]");
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static JsonNode evaluate(String expression, JsonNode input, JsonNode context)
    {
        if (Intrinsics.isIntrinsic(expression)) {
            return Intrinsics.evaluate(expression, input, context);
        }
        return JsonPaths.read(input, context, expression);
    }
}
