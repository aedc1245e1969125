package io.dragnet.statemachine.states;

import java.util.List;

/** Error and Cause as fixed strings, or read from the input through their paths; each pair has at most one set. */
public record FailState(String name, String error, String errorPath, String cause, String causePath)
        implements State
{
    @Override
    public String type()
    {
        return "Fail";
    }

    @Override
    public List<String> targets()
    {
        return List.of();
    }
}
