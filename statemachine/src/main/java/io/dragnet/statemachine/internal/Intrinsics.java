package io.dragnet.statemachine.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dragnet.statemachine.StatesError;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The intrinsic functions of the Amazon States Language ({@code States.Format('…{}', $.a)} and friends): parsed from
 * the text of a {@code "key.$"} value, arguments evaluated against the state input and the context object.
 */
public final class Intrinsics
{
    private static final Set<String> FUNCTIONS = Set.of(
            "States.Format", "States.StringToJson", "States.JsonToString", "States.Array", "States.ArrayPartition",
            "States.ArrayContains", "States.ArrayRange", "States.ArrayGetItem", "States.ArrayLength", "States.ArrayUnique",
            "States.Base64Encode", "States.Base64Decode", "States.Hash", "States.JsonMerge", "States.MathRandom",
            "States.MathAdd", "States.StringSplit", "States.UUID");

    private Intrinsics() {}

    public static boolean isIntrinsic(String text)
    {
        return text.startsWith("States.");
    }

    /** Parses without evaluating; throws IllegalArgumentException naming the problem. */
    public static void checkSyntax(String text)
    {
        new Parser(text).parseWhole();
    }

    public static JsonNode evaluate(String text, JsonNode input, JsonNode context)
    {
        Call call;
        try {
            call = new Parser(text).parseWhole();
        }
        catch (IllegalArgumentException e) {
            throw new StatesError(StatesError.INTRINSIC_FAILURE, e.getMessage());
        }
        return call.evaluate(input, context);
    }

    private sealed interface Argument
            permits Literal, PathArgument, Call {}

    private record Literal(JsonNode value)
            implements Argument {}

    private record PathArgument(String path)
            implements Argument {}

    private record Call(String name, List<Argument> arguments)
            implements Argument
    {
        JsonNode evaluate(JsonNode input, JsonNode context)
        {
            List<JsonNode> values = new ArrayList<>();
            for (Argument argument : arguments) {
                if (argument instanceof Literal literal) {
                    values.add(literal.value());
                }
                else if (argument instanceof PathArgument path) {
                    values.add(JsonPaths.read(input, context, path.path()));
                }
                else {
                    values.add(((Call) argument).evaluate(input, context));
                }
            }
            return apply(name, values);
        }
    }

    private static JsonNode apply(String name, List<JsonNode> args)
    {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (name) {
            case "States.Format" -> {
                atLeast(name, args, 1);
                String template = text(name, args.get(0));
                StringBuilder out = new StringBuilder();
                int next = 1;
                for (int i = 0; i < template.length(); i++) {
                    char c = template.charAt(i);
                    if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                        if (next >= args.size()) {
                            throw failure(name, "the template has more {} than arguments");
                        }
                        JsonNode value = args.get(next++);
                        out.append(value.isTextual() ? value.textValue() : value.toString());
                        i++;
                    }
                    else {
                        out.append(c);
                    }
                }
                if (next != args.size()) {
                    throw failure(name, "the template has fewer {} than arguments");
                }
                return TextNode.valueOf(out.toString());
            }
            case "States.StringToJson" -> {
                exactly(name, args, 1);
                try {
                    return JsonPaths.mapper().readTree(text(name, args.get(0)));
                }
                catch (JsonProcessingException e) {
                    throw failure(name, "the argument is not JSON: " + e.getOriginalMessage());
                }
            }
            case "States.JsonToString" -> {
                exactly(name, args, 1);
                return TextNode.valueOf(args.get(0).toString());
            }
            case "States.Array" -> {
                ArrayNode array = nodes.arrayNode();
                args.forEach(array::add);
                return array;
            }
            case "States.ArrayPartition" -> {
                exactly(name, args, 2);
                ArrayNode source = array(name, args.get(0));
                int size = integer(name, args.get(1));
                if (size <= 0) {
                    throw failure(name, "the chunk size must be positive");
                }
                ArrayNode out = nodes.arrayNode();
                ArrayNode chunk = null;
                for (int i = 0; i < source.size(); i++) {
                    if (i % size == 0) {
                        chunk = out.addArray();
                    }
                    chunk.add(source.get(i));
                }
                return out;
            }
            case "States.ArrayContains" -> {
                exactly(name, args, 2);
                for (JsonNode element : array(name, args.get(0))) {
                    if (element.equals(args.get(1))) {
                        return BooleanNode.TRUE;
                    }
                }
                return BooleanNode.FALSE;
            }
            case "States.ArrayRange" -> {
                exactly(name, args, 3);
                int start = integer(name, args.get(0));
                int end = integer(name, args.get(1));
                int step = integer(name, args.get(2));
                if (step == 0) {
                    throw failure(name, "the step must not be 0");
                }
                ArrayNode out = nodes.arrayNode();
                for (int i = start; step > 0 ? i <= end : i >= end; i += step) {
                    out.add(i);
                    if (out.size() > 1000) {
                        throw failure(name, "more than 1000 elements");
                    }
                }
                return out;
            }
            case "States.ArrayGetItem" -> {
                exactly(name, args, 2);
                ArrayNode source = array(name, args.get(0));
                int index = integer(name, args.get(1));
                if (index < 0 || index >= source.size()) {
                    throw failure(name, "index " + index + " is outside the array of " + source.size());
                }
                return source.get(index);
            }
            case "States.ArrayLength" -> {
                exactly(name, args, 1);
                return IntNode.valueOf(array(name, args.get(0)).size());
            }
            case "States.ArrayUnique" -> {
                exactly(name, args, 1);
                Set<JsonNode> seen = new LinkedHashSet<>();
                array(name, args.get(0)).forEach(seen::add);
                ArrayNode out = nodes.arrayNode();
                seen.forEach(out::add);
                return out;
            }
            case "States.Base64Encode" -> {
                exactly(name, args, 1);
                return TextNode.valueOf(Base64.getEncoder().encodeToString(text(name, args.get(0)).getBytes(StandardCharsets.UTF_8)));
            }
            case "States.Base64Decode" -> {
                exactly(name, args, 1);
                try {
                    return TextNode.valueOf(new String(Base64.getDecoder().decode(text(name, args.get(0))), StandardCharsets.UTF_8));
                }
                catch (IllegalArgumentException e) {
                    throw failure(name, "not Base64: " + e.getMessage());
                }
            }
            case "States.Hash" -> {
                exactly(name, args, 2);
                String algorithm = switch (text(name, args.get(1))) {
                    case "MD5" -> "MD5";
                    case "SHA-1" -> "SHA-1";
                    case "SHA-256" -> "SHA-256";
                    case "SHA-384" -> "SHA-384";
                    case "SHA-512" -> "SHA-512";
                    default -> throw failure(name, "unknown algorithm '" + args.get(1).asText() + "' (MD5, SHA-1, SHA-256, SHA-384, SHA-512)");
                };
                JsonNode value = args.get(0);
                String data = value.isTextual() ? value.textValue() : value.toString();
                try {
                    byte[] digest = MessageDigest.getInstance(algorithm).digest(data.getBytes(StandardCharsets.UTF_8));
                    return TextNode.valueOf(HexFormat.of().formatHex(digest));
                }
                catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
            case "States.JsonMerge" -> {
                exactly(name, args, 3);
                if (!args.get(0).isObject() || !args.get(1).isObject()) {
                    throw failure(name, "both arguments must be objects");
                }
                if (args.get(2).asBoolean(false)) {
                    throw failure(name, "deep merge is not supported by Step Functions (the third argument must be false)");
                }
                ObjectNode merged = ((ObjectNode) args.get(0)).deepCopy();
                Iterator<Map.Entry<String, JsonNode>> fields = args.get(1).fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    merged.set(field.getKey(), field.getValue());
                }
                return merged;
            }
            case "States.MathRandom" -> {
                if (args.size() < 2 || args.size() > 3) {
                    throw failure(name, "takes 2 or 3 arguments");
                }
                int start = integer(name, args.get(0));
                int end = integer(name, args.get(1));
                return IntNode.valueOf(ThreadLocalRandom.current().nextInt(start, end));
            }
            case "States.MathAdd" -> {
                exactly(name, args, 2);
                return numberNode(number(name, args.get(0)).add(number(name, args.get(1))));
            }
            case "States.StringSplit" -> {
                exactly(name, args, 2);
                String value = text(name, args.get(0));
                String delimiters = text(name, args.get(1));
                ArrayNode out = nodes.arrayNode();
                StringBuilder current = new StringBuilder();
                for (char c : value.toCharArray()) {
                    if (delimiters.indexOf(c) >= 0) {
                        if (!current.isEmpty()) {
                            out.add(current.toString());
                        }
                        current.setLength(0);
                    }
                    else {
                        current.append(c);
                    }
                }
                if (!current.isEmpty()) {
                    out.add(current.toString());
                }
                return out;
            }
            case "States.UUID" -> {
                exactly(name, args, 0);
                return TextNode.valueOf(UUID.randomUUID().toString());
            }
            default -> throw failure(name, "unknown intrinsic function");
        }
    }

    /** Numbers as Jackson's parser would read them (int when it fits), so that equality matches parsed JSON. */
    private static JsonNode numberNode(BigDecimal number)
    {
        try {
            return JsonPaths.mapper().readTree(number.stripTrailingZeros().scale() <= 0 ? number.toBigIntegerExact().toString() : number.toPlainString());
        }
        catch (JsonProcessingException | ArithmeticException e) {
            return DecimalNode.valueOf(number);
        }
    }

    private static void exactly(String name, List<JsonNode> args, int count)
    {
        if (args.size() != count) {
            throw failure(name, "takes " + count + " argument(s), got " + args.size());
        }
    }

    private static void atLeast(String name, List<JsonNode> args, int count)
    {
        if (args.size() < count) {
            throw failure(name, "takes at least " + count + " argument(s), got " + args.size());
        }
    }

    private static String text(String name, JsonNode value)
    {
        if (!value.isTextual()) {
            throw failure(name, "expected a string, got " + JsonPaths.abbreviate(value));
        }
        return value.textValue();
    }

    private static ArrayNode array(String name, JsonNode value)
    {
        if (!value.isArray()) {
            throw failure(name, "expected an array, got " + JsonPaths.abbreviate(value));
        }
        return (ArrayNode) value;
    }

    private static BigDecimal number(String name, JsonNode value)
    {
        if (!value.isNumber()) {
            throw failure(name, "expected a number, got " + JsonPaths.abbreviate(value));
        }
        return value.decimalValue();
    }

    private static int integer(String name, JsonNode value)
    {
        if (!value.isIntegralNumber() && !(value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0)) {
            throw failure(name, "expected an integer, got " + JsonPaths.abbreviate(value));
        }
        return value.intValue();
    }

    private static StatesError failure(String name, String message)
    {
        return new StatesError(StatesError.INTRINSIC_FAILURE, name + ": " + message);
    }

    /** Recursive descent over {@code States.Name(arg, arg…)}; string literals in single quotes with \' \{ \} \\ escapes. */
    private static final class Parser
    {
        private final String text;
        private int position;

        Parser(String text)
        {
            this.text = text;
        }

        Call parseWhole()
        {
            Call call = parseCall();
            skipSpaces();
            if (position != text.length()) {
                throw error("unexpected text after the closing ')'");
            }
            return call;
        }

        private Call parseCall()
        {
            skipSpaces();
            int start = position;
            while (position < text.length() && (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '.')) {
                position++;
            }
            String name = text.substring(start, position);
            if (!FUNCTIONS.contains(name)) {
                throw error("'" + name + "' is not an intrinsic function");
            }
            expect('(');
            List<Argument> arguments = new ArrayList<>();
            skipSpaces();
            if (peek() == ')') {
                position++;
                return new Call(name, arguments);
            }
            while (true) {
                arguments.add(parseArgument());
                skipSpaces();
                char c = peek();
                position++;
                if (c == ')') {
                    return new Call(name, arguments);
                }
                if (c != ',') {
                    throw error("expected ',' or ')'");
                }
            }
        }

        private Argument parseArgument()
        {
            skipSpaces();
            char c = peek();
            if (c == '\'') {
                return new Literal(TextNode.valueOf(parseString()));
            }
            if (c == '$') {
                int start = position;
                int depth = 0;
                boolean quoted = false;
                while (position < text.length()) {
                    char d = text.charAt(position);
                    if (d == '\'' && (position == 0 || text.charAt(position - 1) != '\\')) {
                        quoted = !quoted;
                    }
                    else if (!quoted && (d == '[' || d == '(')) {
                        depth++;
                    }
                    else if (!quoted && (d == ']' || d == ')')) {
                        if (depth == 0) {
                            break;
                        }
                        depth--;
                    }
                    else if (!quoted && depth == 0 && (d == ',' || Character.isWhitespace(d))) {
                        break;
                    }
                    position++;
                }
                String path = text.substring(start, position);
                try {
                    JsonPaths.checkSyntax(path);
                }
                catch (IllegalArgumentException e) {
                    throw error(e.getMessage());
                }
                return new PathArgument(path);
            }
            if (text.startsWith("States.", position)) {
                return parseCall();
            }
            int start = position;
            while (position < text.length() && text.charAt(position) != ',' && text.charAt(position) != ')') {
                position++;
            }
            String token = text.substring(start, position).trim();
            return switch (token) {
                case "null" -> new Literal(NullNode.getInstance());
                case "true" -> new Literal(BooleanNode.TRUE);
                case "false" -> new Literal(BooleanNode.FALSE);
                default -> {
                    try {
                        BigDecimal number = new BigDecimal(token);
                        yield new Literal(numberNode(number));
                    }
                    catch (NumberFormatException | ArithmeticException e) {
                        throw error("'" + token + "' is not a string, number, boolean, null, path or function call");
                    }
                }
            };
        }

        private String parseString()
        {
            expect('\'');
            StringBuilder out = new StringBuilder();
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (c == '\\' && position < text.length()) {
                    out.append(text.charAt(position++));
                }
                else if (c == '\'') {
                    return out.toString();
                }
                else {
                    out.append(c);
                }
            }
            throw error("unterminated string literal");
        }

        private void expect(char c)
        {
            skipSpaces();
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            position++;
        }

        private char peek()
        {
            if (position >= text.length()) {
                throw error("unexpected end");
            }
            return text.charAt(position);
        }

        private void skipSpaces()
        {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        private IllegalArgumentException error(String message)
        {
            return new IllegalArgumentException("intrinsic '" + text + "' at character " + (position + 1) + ": " + message);
        }
    }
}
