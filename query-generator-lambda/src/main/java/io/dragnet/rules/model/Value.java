package io.dragnet.rules.model;

import static java.util.Objects.requireNonNull;

/**
 * One literal as written in a rule. {@code text} is null for YAML null; {@code quoted} tells a YAML string from a
 * number or boolean so type checks can say what was found.
 */
public record Value(String text, Type type, SourcePosition position)
{
    public enum Type { STRING, NUMBER, BOOLEAN, NULL }

    public Value
    {
        requireNonNull(type, "type is null");
        requireNonNull(position, "position is null");
    }
}
