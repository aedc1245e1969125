package io.dragnet.statemachine;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Routes a Task's Resource to the local code bound to it: exact resource ARNs ({@code arn:aws:states:::lambda:invoke},
 * {@code arn:aws:states:::elasticmapreduce:addStep.sync}…) first, then resources bound by prefix. Later bindings win,
 * which is how a test replaces one resource with a failing one.
 */
public final class TaskResources
{
    private final Map<String, TaskResource> exact;
    private final Map<String, TaskResource> prefixes;

    private TaskResources(Map<String, TaskResource> exact, Map<String, TaskResource> prefixes)
    {
        this.exact = Map.copyOf(exact);
        this.prefixes = Map.copyOf(prefixes);
    }

    public static TaskResources empty()
    {
        return new TaskResources(Map.of(), Map.of());
    }

    public TaskResources with(String resource, TaskResource binding)
    {
        Map<String, TaskResource> copy = new LinkedHashMap<>(exact);
        copy.put(requireNonNull(resource, "resource is null"), requireNonNull(binding, "binding is null"));
        return new TaskResources(copy, prefixes);
    }

    public TaskResources withPrefix(String prefix, TaskResource binding)
    {
        Map<String, TaskResource> copy = new LinkedHashMap<>(prefixes);
        copy.put(requireNonNull(prefix, "prefix is null"), requireNonNull(binding, "binding is null"));
        return new TaskResources(exact, copy);
    }

    public Optional<TaskResource> find(String resource)
    {
        TaskResource binding = exact.get(resource);
        if (binding != null) {
            return Optional.of(binding);
        }
        return prefixes.entrySet().stream()
                .filter(entry -> resource.startsWith(entry.getKey()))
                .max(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.length(), b.length())))
                .map(Map.Entry::getValue);
    }

    JsonNode invoke(String resource, JsonNode parameters, TaskResource.TaskInvocation invocation)
    {
        TaskResource binding = find(resource)
                .orElseThrow(() -> new StatesError("States.Runtime", "no local binding for resource '" + resource + "'"));
        return binding.invoke(resource, parameters, invocation);
    }
}
