package io.dragnet.statemachine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dragnet.contracts.DragnetException;
import io.dragnet.statemachine.internal.ChoiceRules;
import io.dragnet.statemachine.internal.JsonPaths;
import io.dragnet.statemachine.internal.PayloadTemplates;
import io.dragnet.statemachine.states.Catcher;
import io.dragnet.statemachine.states.ChoiceState;
import io.dragnet.statemachine.states.DataFlow;
import io.dragnet.statemachine.states.FailState;
import io.dragnet.statemachine.states.MapState;
import io.dragnet.statemachine.states.ParallelState;
import io.dragnet.statemachine.states.PassState;
import io.dragnet.statemachine.states.PathField;
import io.dragnet.statemachine.states.Retrier;
import io.dragnet.statemachine.states.State;
import io.dragnet.statemachine.states.SucceedState;
import io.dragnet.statemachine.states.TaskState;
import io.dragnet.statemachine.states.WaitState;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A validated Amazon States Language definition (JSONPath query language): the states by name, typed by their
 * {@code Type} ({@link State}), and where to start. {@link #parse} refuses what Step Functions would refuse, plus what
 * the local executor cannot run, naming the file, the state and the field; only a definition without problems becomes
 * typed states.
 */
public final class StateMachine
{
    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    private static final Set<String> TOP_LEVEL = Set.of("Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage");
    private static final Set<String> BRANCH_LEVEL = Set.of("Comment", "StartAt", "States", "ProcessorConfig", "QueryLanguage");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Pass", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result"),
            "Task", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Resource",
                    "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Retry", "Catch", "Credentials"),
            "Choice", Set.of("InputPath", "OutputPath", "Choices", "Default"),
            "Wait", Set.of("Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath"),
            "Succeed", Set.of("InputPath", "OutputPath"),
            "Fail", Set.of("Error", "ErrorPath", "Cause", "CausePath"),
            "Parallel", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Branches", "Retry", "Catch"),
            "Map", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ItemSelector", "ResultSelector", "ItemsPath",
                    "ItemProcessor", "Iterator", "MaxConcurrency", "Retry", "Catch", "Label"));

    private final String source;
    private final String startAt;
    private final Map<String, State> states;
    private final Integer timeoutSeconds;

    private StateMachine(String source, String startAt, Map<String, State> states, Integer timeoutSeconds)
    {
        this.source = requireNonNull(source, "source is null");
        this.startAt = requireNonNull(startAt, "startAt is null");
        this.states = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(states));
        this.timeoutSeconds = timeoutSeconds;
    }

    /** A definition as read, before its states are typed. */
    private record Outline(String startAt, Map<String, ObjectNode> states, Integer timeoutSeconds) {}

    /** Parses and validates; {@code source} names the file in error messages. */
    public static StateMachine parse(String json, String source)
    {
        JsonNode root;
        try {
            root = JsonPaths.mapper().readTree(json);
        }
        catch (JsonProcessingException e) {
            throw DragnetException.user(source + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr()
                    + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw DragnetException.user(source + ": a state machine definition must be a JSON object");
        }
        Matcher leftover = SUBSTITUTION.matcher(json);
        if (leftover.find()) {
            throw DragnetException.user(source + ": definition substitution ${" + leftover.group(1) + "} has no value (pass it in the local bindings)");
        }
        List<String> problems = new ArrayList<>();
        Outline outline = build((ObjectNode) root, source, "", TOP_LEVEL, problems);
        if (!problems.isEmpty()) {
            throw DragnetException.user(source + ": invalid state machine definition:\n  " + String.join("\n  ", problems));
        }
        return typed(outline, source);
    }

    /** Replaces every {@code ${Name}} with its value, as CloudFormation's DefinitionSubstitutions do. */
    public static String substitute(String text, Map<String, String> substitutions)
    {
        Matcher matcher = SUBSTITUTION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = substitutions.get(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group() : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The names of every {@code ${Name}} in a definition's text, in order of first appearance. */
    public static List<String> substitutionNames(String text)
    {
        Matcher matcher = SUBSTITUTION.matcher(text);
        List<String> names = new ArrayList<>();
        while (matcher.find()) {
            if (!names.contains(matcher.group(1))) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    public String source()
    {
        return source;
    }

    public String startAt()
    {
        return startAt;
    }

    /** The states in the order the definition lists them. */
    public Map<String, State> states()
    {
        return states;
    }

    public State state(String name)
    {
        return states.get(name);
    }

    /** The definition's own TimeoutSeconds, or null. */
    public Integer timeoutSeconds()
    {
        return timeoutSeconds;
    }

    /** The inner machine of a Map (ItemProcessor or Iterator) or one branch of a Parallel, already validated with its parent. */
    private static StateMachine nestedMachine(JsonNode definition, String source)
    {
        List<String> problems = new ArrayList<>();
        Outline outline = build((ObjectNode) definition, source, "nested", BRANCH_LEVEL, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("a nested machine validated with its parent has problems: " + problems);
        }
        return typed(outline, source);
    }

    private static StateMachine typed(Outline outline, String source)
    {
        Map<String, State> states = new LinkedHashMap<>();
        outline.states().forEach((name, node) -> states.put(name, typedState(name, node, source)));
        return new StateMachine(source, outline.startAt(), states, outline.timeoutSeconds());
    }

    private static State typedState(String name, ObjectNode node, String source)
    {
        String next = node.path("End").asBoolean(false) || !node.has("Next") ? null : node.get("Next").textValue();
        DataFlow flow = new DataFlow(pathField(node, "InputPath"), node.get("Parameters"), node.get("ResultSelector"),
                pathField(node, "ResultPath"), pathField(node, "OutputPath"));
        return switch (node.get("Type").textValue()) {
            case "Pass" -> new PassState(name, flow, node.get("Result"), next);
            case "Task" -> new TaskState(name, flow, node.get("Resource").textValue(),
                    node.has("TimeoutSeconds") ? node.get("TimeoutSeconds").intValue() : null, retriers(node), catchers(node), next);
            case "Choice" -> {
                List<ChoiceState.Choice> choices = new ArrayList<>();
                node.get("Choices").forEach(rule -> choices.add(new ChoiceState.Choice(rule, rule.get("Next").textValue())));
                yield new ChoiceState(name, flow, choices, node.has("Default") ? node.get("Default").textValue() : null);
            }
            case "Wait" -> new WaitState(name, flow, node.has("Seconds") ? node.get("Seconds").longValue() : null, text(node, "SecondsPath"),
                    text(node, "Timestamp"), text(node, "TimestampPath"), next);
            case "Succeed" -> new SucceedState(name, flow);
            case "Fail" -> new FailState(name, text(node, "Error"), text(node, "ErrorPath"), text(node, "Cause"), text(node, "CausePath"));
            case "Map" -> new MapState(name, new DataFlow(flow.inputPath(), null, flow.resultSelector(), flow.resultPath(), flow.outputPath()),
                    text(node, "ItemsPath"), node.has("ItemSelector") ? node.get("ItemSelector") : node.get("Parameters"),
                    nestedMachine(node.has("ItemProcessor") ? node.get("ItemProcessor") : node.get("Iterator"), source),
                    node.path("MaxConcurrency").asInt(0), retriers(node), catchers(node), next);
            case "Parallel" -> {
                List<StateMachine> branches = new ArrayList<>();
                node.get("Branches").forEach(branch -> branches.add(nestedMachine(branch, source)));
                yield new ParallelState(name, flow, branches, retriers(node), catchers(node), next);
            }
            default -> throw new IllegalStateException("validated type " + node.get("Type"));
        };
    }

    private static PathField pathField(ObjectNode node, String field)
    {
        if (!node.has(field)) {
            return PathField.ABSENT;
        }
        return node.get(field).isNull() ? PathField.DISCARD : PathField.of(node.get(field).textValue());
    }

    private static String text(ObjectNode node, String field)
    {
        return node.has(field) ? node.get(field).textValue() : null;
    }

    private static List<Retrier> retriers(ObjectNode node)
    {
        List<Retrier> retriers = new ArrayList<>();
        for (JsonNode entry : node.path("Retry")) {
            retriers.add(new Retrier(errorNames(entry), entry.path("IntervalSeconds").asDouble(1), entry.path("MaxAttempts").asInt(3),
                    entry.path("BackoffRate").asDouble(2.0), entry.has("MaxDelaySeconds") ? entry.get("MaxDelaySeconds").asDouble() : null));
        }
        return retriers;
    }

    private static List<Catcher> catchers(ObjectNode node)
    {
        List<Catcher> catchers = new ArrayList<>();
        for (JsonNode entry : node.path("Catch")) {
            catchers.add(new Catcher(errorNames(entry), entry.get("Next").textValue(), pathField((ObjectNode) entry, "ResultPath")));
        }
        return catchers;
    }

    private static List<String> errorNames(JsonNode entry)
    {
        List<String> names = new ArrayList<>();
        entry.get("ErrorEquals").forEach(name -> names.add(name.textValue()));
        return names;
    }

    private static Outline build(ObjectNode root, String source, String where, Set<String> allowedTop, List<String> problems)
    {
        String prefix = where.isEmpty() ? "" : where + ": ";
        unknownFields(root, allowedTop, prefix.isEmpty() ? "top level" : where, problems);
        if (root.has("QueryLanguage") && !root.get("QueryLanguage").asText().equals("JSONPath")) {
            problems.add(prefix + "QueryLanguage " + root.get("QueryLanguage") + " is not supported locally (JSONPath only)");
        }
        JsonNode statesNode = root.get("States");
        if (statesNode == null || !statesNode.isObject() || statesNode.isEmpty()) {
            problems.add(prefix + "'States' must be a non-empty object");
            return new Outline("", Map.of(), null);
        }
        JsonNode startNode = root.get("StartAt");
        String startAt = startNode != null && startNode.isTextual() ? startNode.textValue() : null;
        if (startAt == null) {
            problems.add(prefix + "'StartAt' must name a state");
        }
        else if (!statesNode.has(startAt)) {
            problems.add(prefix + "StartAt '" + startAt + "' is not a state in this States object");
        }
        Integer timeout = null;
        if (root.has("TimeoutSeconds")) {
            if (!root.get("TimeoutSeconds").canConvertToInt() || root.get("TimeoutSeconds").intValue() <= 0) {
                problems.add(prefix + "TimeoutSeconds must be a positive integer");
            }
            else {
                timeout = root.get("TimeoutSeconds").intValue();
            }
        }
        Map<String, ObjectNode> states = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = statesNode.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String name = entry.getKey();
            if (name.length() > 80) {
                problems.add(prefix + "state name '" + name + "' is longer than 80 characters");
            }
            if (!entry.getValue().isObject()) {
                problems.add(prefix + "state '" + name + "' must be an object");
                continue;
            }
            states.put(name, (ObjectNode) entry.getValue());
        }
        for (Map.Entry<String, ObjectNode> entry : states.entrySet()) {
            validateState(entry.getKey(), entry.getValue(), states.keySet(), source, prefix, problems);
        }
        if (startAt != null && states.containsKey(startAt)) {
            for (String unreachable : unreachable(startAt, states)) {
                problems.add(prefix + "state '" + unreachable + "' cannot be reached from StartAt '" + startAt + "'");
            }
        }
        return new Outline(startAt == null ? "" : startAt, states, timeout);
    }

    private static void validateState(String name, ObjectNode state, Set<String> names, String source, String prefix, List<String> problems)
    {
        String at = prefix + "state '" + name + "'";
        JsonNode typeNode = state.get("Type");
        String type = typeNode == null ? null : typeNode.asText();
        if (type == null || !FIELDS.containsKey(type)) {
            problems.add(at + ": Type must be one of " + new java.util.TreeSet<>(FIELDS.keySet()) + ", got " + typeNode);
            return;
        }
        Set<String> allowed = new HashSet<>(FIELDS.get(type));
        allowed.add("Type");
        allowed.add("Comment");
        unknownFields(state, allowed, at, problems);

        boolean terminal = type.equals("Succeed") || type.equals("Fail") || type.equals("Choice");
        if (!terminal) {
            boolean hasNext = state.has("Next");
            boolean end = state.path("End").asBoolean(false);
            if (hasNext == end) {
                problems.add(at + ": needs exactly one of 'Next' or 'End': true");
            }
            if (hasNext) {
                target(state.get("Next"), names, at + ".Next", problems);
            }
        }
        for (String pathField : List.of("InputPath", "OutputPath", "ItemsPath", "SecondsPath", "TimestampPath", "ErrorPath", "CausePath", "TimeoutSecondsPath")) {
            JsonNode value = state.get(pathField);
            if (value != null && !value.isNull()) {
                if (!value.isTextual()) {
                    problems.add(at + "." + pathField + ": must be a string path or null");
                }
                else {
                    checkPath(value.textValue(), at + "." + pathField, problems);
                }
            }
        }
        JsonNode resultPath = state.get("ResultPath");
        if (resultPath != null && !resultPath.isNull()) {
            checkReferencePath(resultPath, at + ".ResultPath", problems);
        }
        for (String templateField : List.of("Parameters", "ResultSelector", "ItemSelector")) {
            JsonNode template = state.get(templateField);
            if (template != null) {
                String problem = PayloadTemplates.problem(template, at + "." + templateField);
                if (problem != null) {
                    problems.add(problem);
                }
            }
        }
        retriersAndCatchers(state, names, at, problems);
        switch (type) {
            case "Task" -> {
                if (!state.path("Resource").isTextual() || state.get("Resource").textValue().isBlank()) {
                    problems.add(at + ": a Task needs a 'Resource' string");
                }
                positiveInteger(state, "TimeoutSeconds", at, problems);
                positiveInteger(state, "HeartbeatSeconds", at, problems);
            }
            case "Choice" -> {
                JsonNode choices = state.get("Choices");
                if (choices == null || !choices.isArray() || choices.isEmpty()) {
                    problems.add(at + ": a Choice needs a non-empty 'Choices' array");
                }
                else {
                    for (int i = 0; i < choices.size(); i++) {
                        JsonNode rule = choices.get(i);
                        String ruleAt = at + ".Choices[" + i + "]";
                        if (!rule.has("Next")) {
                            problems.add(ruleAt + ": needs 'Next'");
                        }
                        else {
                            target(rule.get("Next"), names, ruleAt + ".Next", problems);
                        }
                        checkRule(rule, ruleAt, problems);
                    }
                }
                if (state.has("Default")) {
                    target(state.get("Default"), names, at + ".Default", problems);
                }
            }
            case "Wait" -> {
                long given = List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath").stream().filter(state::has).count();
                if (given != 1) {
                    problems.add(at + ": a Wait needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath");
                }
                if (state.has("Seconds") && (!state.get("Seconds").canConvertToLong() || state.get("Seconds").longValue() < 0)) {
                    problems.add(at + ".Seconds: must be a non-negative integer");
                }
            }
            case "Fail" -> {
                if (state.has("Error") && state.has("ErrorPath")) {
                    problems.add(at + ": give Error or ErrorPath, not both");
                }
                if (state.has("Cause") && state.has("CausePath")) {
                    problems.add(at + ": give Cause or CausePath, not both");
                }
            }
            case "Parallel" -> {
                JsonNode branches = state.get("Branches");
                if (branches == null || !branches.isArray() || branches.isEmpty()) {
                    problems.add(at + ": a Parallel needs a non-empty 'Branches' array");
                }
                else {
                    for (int i = 0; i < branches.size(); i++) {
                        nested(branches.get(i), source, at + ".Branches[" + i + "]", problems);
                    }
                }
            }
            case "Map" -> {
                JsonNode processor = state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
                if (processor == null || state.has("ItemProcessor") && state.has("Iterator")) {
                    problems.add(at + ": a Map needs exactly one of 'ItemProcessor' or 'Iterator'");
                }
                else {
                    JsonNode mode = processor.path("ProcessorConfig").path("Mode");
                    if (!mode.isMissingNode() && !mode.asText().equals("INLINE")) {
                        problems.add(at + ".ItemProcessor.ProcessorConfig.Mode: only INLINE maps run locally, got " + mode);
                    }
                    nested(processor, source, at + (state.has("ItemProcessor") ? ".ItemProcessor" : ".Iterator"), problems);
                }
                if (state.has("Parameters") && state.has("ItemSelector")) {
                    problems.add(at + ": give ItemSelector or Parameters, not both");
                }
                if (state.has("MaxConcurrency") && (!state.get("MaxConcurrency").canConvertToInt() || state.get("MaxConcurrency").intValue() < 0)) {
                    problems.add(at + ".MaxConcurrency: must be a non-negative integer");
                }
            }
            default -> {
            }
        }
    }

    private static void nested(JsonNode definition, String source, String where, List<String> problems)
    {
        if (definition == null || !definition.isObject()) {
            problems.add(where + ": must be an object with StartAt and States");
            return;
        }
        build((ObjectNode) definition, source, where, BRANCH_LEVEL, problems);
    }

    private static void retriersAndCatchers(ObjectNode state, Set<String> names, String at, List<String> problems)
    {
        for (String field : List.of("Retry", "Catch")) {
            JsonNode list = state.get(field);
            if (list == null) {
                continue;
            }
            if (!list.isArray()) {
                problems.add(at + "." + field + ": must be an array");
                continue;
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode entry = list.get(i);
                String entryAt = at + "." + field + "[" + i + "]";
                JsonNode errors = entry.get("ErrorEquals");
                if (errors == null || !errors.isArray() || errors.isEmpty()) {
                    problems.add(entryAt + ": needs a non-empty 'ErrorEquals' array");
                    continue;
                }
                for (JsonNode error : errors) {
                    if (error.asText().equals(StatesError.ALL) && (errors.size() != 1 || i != list.size() - 1)) {
                        problems.add(entryAt + ": States.ALL must appear alone and in the last " + field + " entry");
                    }
                }
                if (field.equals("Retry")) {
                    unknownFields(entry, Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"), entryAt, problems);
                    if (entry.has("IntervalSeconds") && (!entry.get("IntervalSeconds").canConvertToInt() || entry.get("IntervalSeconds").intValue() < 1)) {
                        problems.add(entryAt + ".IntervalSeconds: must be a positive integer");
                    }
                    if (entry.has("MaxAttempts") && (!entry.get("MaxAttempts").canConvertToInt() || entry.get("MaxAttempts").intValue() < 0)) {
                        problems.add(entryAt + ".MaxAttempts: must be a non-negative integer");
                    }
                    if (entry.has("BackoffRate") && (!entry.get("BackoffRate").isNumber() || entry.get("BackoffRate").doubleValue() < 1.0)) {
                        problems.add(entryAt + ".BackoffRate: must be a number >= 1.0");
                    }
                }
                else {
                    unknownFields(entry, Set.of("ErrorEquals", "Next", "ResultPath", "Comment"), entryAt, problems);
                    if (!entry.has("Next")) {
                        problems.add(entryAt + ": needs 'Next'");
                    }
                    else {
                        target(entry.get("Next"), names, entryAt + ".Next", problems);
                    }
                    JsonNode resultPath = entry.get("ResultPath");
                    if (resultPath != null && !resultPath.isNull()) {
                        checkReferencePath(resultPath, entryAt + ".ResultPath", problems);
                    }
                }
            }
        }
    }

    private static void checkRule(JsonNode rule, String at, List<String> problems)
    {
        if (!rule.isObject()) {
            problems.add(at + ": a choice rule must be an object");
            return;
        }
        for (String combinator : List.of("And", "Or")) {
            if (rule.has(combinator)) {
                JsonNode inner = rule.get(combinator);
                if (!inner.isArray() || inner.isEmpty()) {
                    problems.add(at + "." + combinator + ": must be a non-empty array of rules");
                    return;
                }
                for (int i = 0; i < inner.size(); i++) {
                    checkRule(inner.get(i), at + "." + combinator + "[" + i + "]", problems);
                }
                return;
            }
        }
        if (rule.has("Not")) {
            checkRule(rule.get("Not"), at + ".Not", problems);
            return;
        }
        if (!rule.path("Variable").isTextual()) {
            problems.add(at + ": needs 'Variable' (or And, Or, Not)");
            return;
        }
        checkPath(rule.get("Variable").textValue(), at + ".Variable", problems);
        String operator = ChoiceRules.operatorOf(rule);
        if (operator == null) {
            problems.add(at + ": needs exactly one known comparison (StringEquals, NumericGreaterThan, IsPresent…)");
            return;
        }
        JsonNode operand = rule.get(operator);
        if (operator.endsWith("Path")) {
            if (!operand.isTextual()) {
                problems.add(at + "." + operator + ": must be a path string");
            }
            else {
                checkPath(operand.textValue(), at + "." + operator, problems);
            }
        }
        else if (operator.startsWith("Is") && !operand.isBoolean()) {
            problems.add(at + "." + operator + ": must be true or false");
        }
        else if (operator.startsWith("Numeric") && !operand.isNumber()) {
            problems.add(at + "." + operator + ": must be a number");
        }
        else if ((operator.startsWith("String") || operator.startsWith("Timestamp")) && !operand.isTextual()) {
            problems.add(at + "." + operator + ": must be a string");
        }
        else if (operator.startsWith("Boolean") && !operand.isBoolean()) {
            problems.add(at + "." + operator + ": must be true or false");
        }
    }

    private static void checkPath(String path, String at, List<String> problems)
    {
        if (!path.startsWith("$")) {
            problems.add(at + ": '" + path + "' must start with '$'");
            return;
        }
        try {
            JsonPaths.checkSyntax(path);
        }
        catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage());
        }
    }

    private static void checkReferencePath(JsonNode value, String at, List<String> problems)
    {
        if (!value.isTextual()) {
            problems.add(at + ": must be a reference path string or null");
            return;
        }
        try {
            JsonPaths.referenceSegments(value.textValue());
        }
        catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage());
        }
    }

    private static void positiveInteger(ObjectNode state, String field, String at, List<String> problems)
    {
        if (state.has(field) && (!state.get(field).canConvertToInt() || state.get(field).intValue() <= 0)) {
            problems.add(at + "." + field + ": must be a positive integer");
        }
    }

    private static void target(JsonNode next, Set<String> names, String at, List<String> problems)
    {
        if (!next.isTextual() || !names.contains(next.textValue())) {
            problems.add(at + ": " + next + " is not a state in this States object (states: " + String.join(", ", names) + ")");
        }
    }

    private static void unknownFields(JsonNode node, Set<String> allowed, String at, List<String> problems)
    {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                problems.add(at + ": unknown field '" + name + "' (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static List<String> unreachable(String startAt, Map<String, ObjectNode> states)
    {
        Set<String> seen = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(startAt));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            ObjectNode state = states.get(name);
            if (state == null || !seen.add(name)) {
                continue;
            }
            List<JsonNode> targets = new ArrayList<>();
            targets.add(state.get("Next"));
            targets.add(state.get("Default"));
            state.path("Choices").forEach(rule -> targets.add(rule.get("Next")));
            state.path("Catch").forEach(catcher -> targets.add(catcher.get("Next")));
            targets.stream().filter(node -> node != null && node.isTextual()).forEach(node -> pending.push(node.textValue()));
        }
        return states.keySet().stream().filter(name -> !seen.contains(name)).toList();
    }
}
