package io.dragnet.statemachine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.statemachine.StatesError;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Evaluates the rules of a Choice state: And, Or, Not and the typed comparison operators. */
public final class ChoiceRules
{
    private static final List<String> TYPES = List.of("String", "Numeric", "Boolean", "Timestamp");
    private static final List<String> OPERATORS = List.of("GreaterThanEquals", "LessThanEquals", "GreaterThan", "LessThan", "Equals", "Matches");
    private static final List<String> TESTS = List.of("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp");

    private ChoiceRules() {}

    public static boolean matches(JsonNode rule, JsonNode input, JsonNode context)
    {
        if (rule.has("And")) {
            for (JsonNode inner : rule.get("And")) {
                if (!matches(inner, input, context)) {
                    return false;
                }
            }
            return true;
        }
        if (rule.has("Or")) {
            for (JsonNode inner : rule.get("Or")) {
                if (matches(inner, input, context)) {
                    return true;
                }
            }
            return false;
        }
        if (rule.has("Not")) {
            return !matches(rule.get("Not"), input, context);
        }
        String variable = rule.get("Variable").textValue();
        String operator = operatorOf(rule);
        JsonNode operand = rule.get(operator);
        if (operator.equals("IsPresent")) {
            return JsonPaths.exists(input, context, variable) == operand.booleanValue();
        }
        JsonNode value = JsonPaths.read(input, context, variable);
        if (TESTS.contains(operator)) {
            boolean actual = switch (operator) {
                case "IsNull" -> value.isNull();
                case "IsNumeric" -> value.isNumber();
                case "IsString" -> value.isTextual();
                case "IsBoolean" -> value.isBoolean();
                case "IsTimestamp" -> value.isTextual() && timestamp(value.textValue()) != null;
                default -> throw new IllegalStateException(operator);
            };
            return actual == operand.booleanValue();
        }
        if (operator.endsWith("Path")) {
            operand = JsonPaths.read(input, context, operand.textValue());
            operator = operator.substring(0, operator.length() - 4);
        }
        return compare(operator, value, operand);
    }

    /** The comparison or test field of a rule with a Variable; null when it has none or more than one. */
    public static String operatorOf(JsonNode rule)
    {
        String found = null;
        Iterator<Map.Entry<String, JsonNode>> fields = rule.fields();
        while (fields.hasNext()) {
            String name = fields.next().getKey();
            if (name.equals("Variable") || name.equals("Next") || name.equals("Comment")) {
                continue;
            }
            if (!isOperator(name) || found != null) {
                return null;
            }
            found = name;
        }
        return found;
    }

    public static boolean isOperator(String name)
    {
        if (TESTS.contains(name)) {
            return true;
        }
        String base = name.endsWith("Path") ? name.substring(0, name.length() - 4) : name;
        for (String type : TYPES) {
            if (base.startsWith(type)) {
                String operator = base.substring(type.length());
                if (operator.equals("Matches")) {
                    return type.equals("String") && !name.endsWith("Path");
                }
                return OPERATORS.contains(operator) && (!type.equals("Boolean") || operator.equals("Equals"));
            }
        }
        return false;
    }

    private static boolean compare(String operator, JsonNode value, JsonNode operand)
    {
        String type = TYPES.stream().filter(operator::startsWith).findFirst().orElseThrow();
        String comparison = operator.substring(type.length());
        switch (type) {
            case "String" -> {
                if (!value.isTextual() || !operand.isTextual()) {
                    return false;
                }
                if (comparison.equals("Matches")) {
                    return glob(operand.textValue()).matcher(value.textValue()).matches();
                }
                return holds(comparison, value.textValue().compareTo(operand.textValue()));
            }
            case "Numeric" -> {
                if (!value.isNumber() || !operand.isNumber()) {
                    return false;
                }
                return holds(comparison, value.decimalValue().compareTo(operand.decimalValue()));
            }
            case "Boolean" -> {
                return value.isBoolean() && operand.isBoolean() && value.booleanValue() == operand.booleanValue();
            }
            case "Timestamp" -> {
                OffsetDateTime left = value.isTextual() ? timestamp(value.textValue()) : null;
                OffsetDateTime right = operand.isTextual() ? timestamp(operand.textValue()) : null;
                if (left == null || right == null) {
                    return false;
                }
                return holds(comparison, left.toInstant().compareTo(right.toInstant()));
            }
            default -> throw new StatesError(StatesError.RUNTIME, "unknown comparison " + operator);
        }
    }

    private static boolean holds(String comparison, int order)
    {
        return switch (comparison) {
            case "Equals" -> order == 0;
            case "LessThan" -> order < 0;
            case "GreaterThan" -> order > 0;
            case "LessThanEquals" -> order <= 0;
            case "GreaterThanEquals" -> order >= 0;
            default -> throw new IllegalStateException(comparison);
        };
    }

    private static Pattern glob(String pattern)
    {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            }
            else if (c == '*') {
                regex.append(".*");
            }
            else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static OffsetDateTime timestamp(String text)
    {
        try {
            return OffsetDateTime.parse(text);
        }
        catch (DateTimeParseException e) {
            return null;
        }
    }
}
