package io.dragnet.rules;

import io.dragnet.rules.model.SourcePosition;

import java.util.Comparator;

import static java.util.Objects.requireNonNull;

/**
 * Something wrong in a rule, source declaration or IoC file, told so the researcher can fix it:
 * where ({@code file:line:column}), which rule (null when the rule id is not known yet) and what was found versus expected.
 */
public record Problem(SourcePosition position, String ruleId, String message)
        implements Comparable<Problem>
{
    private static final Comparator<Problem> ORDER = Comparator.comparing(Problem::position)
            .thenComparing(Problem::message);

    public Problem
    {
        requireNonNull(position, "position is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public int compareTo(Problem other)
    {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString()
    {
        return position + ": " + (ruleId == null ? "" : "rule " + ruleId + ": ") + message;
    }
}
