package io.dragnet.statemachine.states;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** One Catch entry: the errors it handles, where it goes, and where the error output lands (absent: replaces the input). */
public record Catcher(List<String> errorEquals, String next, PathField resultPath)
{
    public Catcher
    {
        errorEquals = List.copyOf(errorEquals);
        requireNonNull(next, "next is null");
        requireNonNull(resultPath, "resultPath is null");
    }
}
