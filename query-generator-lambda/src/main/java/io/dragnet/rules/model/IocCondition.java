package io.dragnet.rules.model;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Indicators of one kind, inline and from files, matched against {@code fields} (or the kind's default fields
 * that the source has).
 *
 * @param minConfidence indicators from files below this confidence (0-100), or without one, are left out; null to keep all
 */
public record IocCondition(IocKind kind, List<String> fields, List<Value> values, List<IocFileReference> files, boolean cased, Integer minConfidence,
                           SourcePosition position)
        implements SelectionItem
{
    public IocCondition(IocKind kind, List<String> fields, List<Value> values, List<IocFileReference> files, boolean cased, SourcePosition position)
    {
        this(kind, fields, values, files, cased, null, position);
    }

    public IocCondition
    {
        requireNonNull(kind, "kind is null");
        fields = List.copyOf(fields);
        values = List.copyOf(values);
        files = List.copyOf(files);
        requireNonNull(position, "position is null");
    }
}
