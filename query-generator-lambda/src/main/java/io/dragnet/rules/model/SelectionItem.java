package io.dragnet.rules.model;

/** One condition inside a selection; all items of a selection clause must hold. */
public sealed interface SelectionItem
        permits FieldCondition, IocCondition
{
    SourcePosition position();
}
