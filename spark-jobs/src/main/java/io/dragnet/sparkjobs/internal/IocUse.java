package io.dragnet.sparkjobs.internal;

import static java.util.Objects.requireNonNull;

/** One (IoC table, source field) pair referenced by an IocMatch node; each pair becomes one joined column. */
public record IocUse(String table, String field)
{
    public IocUse
    {
        requireNonNull(table, "table is null");
        requireNonNull(field, "field is null");
    }
}
