package io.dragnet.statemachine.states;

import io.dragnet.statemachine.StateMachine;

import java.util.List;

public record ParallelState(String name, DataFlow flow, List<StateMachine> branches, List<Retrier> retry, List<Catcher> catchers, String next)
        implements State
{
    public ParallelState
    {
        branches = List.copyOf(branches);
        retry = List.copyOf(retry);
        catchers = List.copyOf(catchers);
    }

    @Override
    public String type()
    {
        return "Parallel";
    }

    @Override
    public List<String> targets()
    {
        return Targets.of(next, catchers);
    }
}
