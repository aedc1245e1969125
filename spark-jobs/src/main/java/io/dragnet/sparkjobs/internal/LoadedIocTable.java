package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.IocEntry;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** An IoC table of a job spec with its entries read. */
public record LoadedIocTable(String id, String kind, List<IocEntry> entries)
{
    public LoadedIocTable
    {
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        entries = List.copyOf(entries);
    }

    public List<String> values()
    {
        return entries.stream().map(IocEntry::value).toList();
    }
}
