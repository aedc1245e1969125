package io.dragnet.statemachine.states;

import java.util.List;

public record SucceedState(String name, DataFlow flow)
        implements State
{
    @Override
    public String type()
    {
        return "Succeed";
    }

    @Override
    public List<String> targets()
    {
        return List.of();
    }
}
