package io.dragnet.statemachine.states;

import java.util.ArrayList;
import java.util.List;

final class Targets
{
    private Targets() {}

    static List<String> of(String next, List<Catcher> catchers)
    {
        List<String> targets = new ArrayList<>();
        if (next != null) {
            targets.add(next);
        }
        catchers.forEach(catcher -> targets.add(catcher.next()));
        return List.copyOf(targets);
    }
}
