package io.dragnet.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.DragnetException;
import io.dragnet.statemachine.internal.JsonPaths;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What the deployed definition's {@code ${Substitutions}} become on this machine, and which handler class answers for
 * each Lambda: {@code lambdas} maps a substitution name (GenerateJobsFunctionArn…) to a class implementing
 * {@code RequestHandler<Map<String,Object>,Map<String,Object>>}. The default is
 * {@code io/dragnet/statemachine/local-bindings.json}; classes are loaded by name, so this module compiles
 * against none of them.
 */
public record LocalBindings(Map<String, String> substitutions, Map<String, String> lambdas)
{
    public static final String DEFAULT_RESOURCE = "/io/dragnet/statemachine/local-bindings.json";

    public LocalBindings
    {
        substitutions = Map.copyOf(requireNonNull(substitutions, "substitutions is null"));
        lambdas = Map.copyOf(requireNonNull(lambdas, "lambdas is null"));
        for (String name : lambdas.keySet()) {
            if (!substitutions.containsKey(name)) {
                throw DragnetException.user("local bindings: lambda '" + name + "' has no substitution value");
            }
        }
    }

    public static LocalBindings defaults()
    {
        try (InputStream in = LocalBindings.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return parse(JsonPaths.mapper().readTree(in), DEFAULT_RESOURCE);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LocalBindings parse(JsonNode root, String source)
    {
        if (!root.path("substitutions").isObject() || !root.path("lambdas").isObject()) {
            throw DragnetException.user(source + ": expected {\"substitutions\": {...}, \"lambdas\": {...}}");
        }
        Map<String, String> substitutions = new LinkedHashMap<>();
        root.get("substitutions").fields().forEachRemaining(field -> substitutions.put(field.getKey(), field.getValue().asText()));
        Map<String, String> lambdas = new LinkedHashMap<>();
        root.get("lambdas").fields().forEachRemaining(field -> lambdas.put(field.getKey(), field.getValue().asText()));
        return new LocalBindings(substitutions, lambdas);
    }

    /** A copy where the Lambda bound to {@code substitutionName} is {@code handlerClass} (tests bind their own handlers). */
    public LocalBindings withLambda(String substitutionName, String handlerClass)
    {
        Map<String, String> copy = new LinkedHashMap<>(lambdas);
        copy.put(substitutionName, handlerClass);
        return new LocalBindings(substitutions, copy);
    }

    /** Function name or ARN (the substituted value) → handler class name. */
    public Map<String, String> handlersByFunction()
    {
        Map<String, String> byFunction = new LinkedHashMap<>();
        lambdas.forEach((name, handler) -> byFunction.put(substitutions.get(name), handler));
        return byFunction;
    }
}
