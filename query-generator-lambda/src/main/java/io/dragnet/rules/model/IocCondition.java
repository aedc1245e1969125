package io.dragnet.rules.model;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Indicators of one kind, inline and from files, matched against {@code fields} (or the kind's default fields
 * that the source has).
 */
public record IocCondition(IocKind kind, List<String> fields, List<Value> values, List<IocFileReference> files, boolean cased, SourcePosition position)
        implements SelectionItem
{
    public IocCondition
    {
        requireNonNull(kind, "kind is null");
        fields = List.copyOf(fields);
        values = List.copyOf(values);
        files = List.copyOf(files);
        requireNonNull(position, "position is null");
    }
}
