package io.dragnet.statemachine.states;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** {@code result} is the fixed Result, null when absent; {@code next} is null when the state ends its machine. */
public record PassState(String name, DataFlow flow, JsonNode result, String next)
        implements State
{
    @Override
    public String type()
    {
        return "Pass";
    }

    @Override
    public List<String> targets()
    {
        return next == null ? List.of() : List.of(next);
    }
}
