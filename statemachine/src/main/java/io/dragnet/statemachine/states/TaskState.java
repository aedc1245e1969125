package io.dragnet.statemachine.states;

import java.util.List;

/** {@code timeoutSeconds} null when absent; {@code next} null when the state ends its machine. */
public record TaskState(String name, DataFlow flow, String resource, Integer timeoutSeconds, List<Retrier> retry, List<Catcher> catchers, String next)
        implements State
{
    public TaskState
    {
        retry = List.copyOf(retry);
        catchers = List.copyOf(catchers);
    }

    @Override
    public String type()
    {
        return "Task";
    }

    @Override
    public List<String> targets()
    {
        return Targets.of(next, catchers);
    }
}
