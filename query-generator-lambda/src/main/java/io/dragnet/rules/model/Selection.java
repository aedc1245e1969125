package io.dragnet.rules.model;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A named selection. Written as a map it is one clause (all items hold); written as a list of maps it is several
 * clauses of which any may hold (as in Sigma).
 */
public record Selection(String name, List<List<SelectionItem>> clauses, SourcePosition position)
{
    public Selection
    {
        requireNonNull(name, "name is null");
        clauses = clauses.stream().map(List::copyOf).toList();
        requireNonNull(position, "position is null");
    }
}
