package io.dragnet.statemachine.states;

import java.util.List;

/** Exactly one of {@code seconds}, {@code secondsPath}, {@code timestamp}, {@code timestampPath} is set. */
public record WaitState(String name, DataFlow flow, Long seconds, String secondsPath, String timestamp, String timestampPath, String next)
        implements State
{
    @Override
    public String type()
    {
        return "Wait";
    }

    @Override
    public List<String> targets()
    {
        return next == null ? List.of() : List.of(next);
    }
}
