package io.dragnet.rules.model;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@code field|modifiers: values} — the field name as written (ECS-style or the source's raw name). */
public record FieldCondition(String field, List<Modifier> modifiers, List<Value> values, SourcePosition position)
        implements SelectionItem
{
    public FieldCondition
    {
        requireNonNull(field, "field is null");
        modifiers = List.copyOf(modifiers);
        values = List.copyOf(values);
        requireNonNull(position, "position is null");
    }

    public boolean has(Modifier modifier)
    {
        return modifiers.contains(modifier);
    }
}
