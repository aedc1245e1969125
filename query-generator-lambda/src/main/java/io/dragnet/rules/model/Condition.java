package io.dragnet.rules.model;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** The parsed {@code condition} expression over selection names. */
public sealed interface Condition
{
    record And(List<Condition> children) implements Condition
    {
        public And
        {
            children = List.copyOf(children);
        }
    }

    record Or(List<Condition> children) implements Condition
    {
        public Or
        {
            children = List.copyOf(children);
        }
    }

    record Not(Condition child) implements Condition
    {
        public Not
        {
            requireNonNull(child, "child is null");
        }
    }

    record Reference(String selection, SourcePosition position) implements Condition
    {
        public Reference
        {
            requireNonNull(selection, "selection is null");
        }
    }

    /**
     * {@code 1 of sel_*}, {@code all of them}: {@code pattern} is a selection name with {@code *} wildcards,
     * or "them" for every selection.
     */
    record Quantified(boolean all, String pattern, SourcePosition position) implements Condition
    {
        public Quantified
        {
            requireNonNull(pattern, "pattern is null");
        }
    }
}
