package io.dragnet.statemachine.states;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.statemachine.StateMachine;

import java.util.List;

/**
 * An INLINE Map: {@code itemsPath} null means the effective input; {@code itemSelector} (ItemSelector, or the older
 * Parameters) null means each item as it is; {@code maxConcurrency} 0 means no limit.
 */
public record MapState(String name, DataFlow flow, String itemsPath, JsonNode itemSelector, StateMachine processor, int maxConcurrency,
                       List<Retrier> retry, List<Catcher> catchers, String next)
        implements State
{
    public MapState
    {
        retry = List.copyOf(retry);
        catchers = List.copyOf(catchers);
    }

    @Override
    public String type()
    {
        return "Map";
    }

    @Override
    public List<String> targets()
    {
        return Targets.of(next, catchers);
    }
}
