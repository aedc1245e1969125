package io.dragnet.statemachine.states;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code choices} in order, each a choice rule (evaluated by the executor's choice rules) and where it leads;
 * {@code defaultNext} null when absent.
 */
public record ChoiceState(String name, DataFlow flow, List<Choice> choices, String defaultNext)
        implements State
{
    public record Choice(JsonNode rule, String next) {}

    public ChoiceState
    {
        choices = List.copyOf(choices);
    }

    @Override
    public String type()
    {
        return "Choice";
    }

    @Override
    public List<String> targets()
    {
        List<String> targets = new ArrayList<>();
        choices.forEach(choice -> targets.add(choice.next()));
        if (defaultNext != null) {
            targets.add(defaultNext);
        }
        return List.copyOf(targets);
    }
}
