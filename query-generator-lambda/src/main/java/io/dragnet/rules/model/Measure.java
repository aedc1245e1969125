package io.dragnet.rules.model;

import static java.util.Objects.requireNonNull;

/** One named measure of an aggregate rule: {@code hosts: count_distinct(destination.ip)}. */
public record Measure(String name, MeasureExpression expression, SourcePosition position)
{
    public Measure
    {
        requireNonNull(name, "name is null");
        requireNonNull(expression, "expression is null");
        requireNonNull(position, "position is null");
    }
}
