package io.dragnet.contracts;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.Optional;

/**
 * The regular-expression dialect of rules ({@code field|re}): RE2 syntax, matched in time linear in the text by RE2/J,
 * so no pattern can backtrack catastrophically over a record. RE2 has no backreferences, lookahead or lookbehind,
 * possessive quantifiers or atomic groups; such patterns are refused when rules are validated. A match is found
 * anywhere in the text unless the pattern is anchored; case-insensitive unless the rule says {@code cased}.
 */
public final class RuleRegex
{
    private RuleRegex() {}

    /** Why the pattern is not valid RE2 syntax, or empty when it is. */
    public static Optional<String> problem(String pattern)
    {
        try {
            Pattern.compile(pattern);
            return Optional.empty();
        }
        catch (PatternSyntaxException e) {
            return Optional.of(e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
        }
    }

    /** @throws PatternSyntaxException when {@link #problem} would report one */
    public static Pattern compile(String pattern, boolean cased)
    {
        return Pattern.compile(pattern, cased ? 0 : Pattern.CASE_INSENSITIVE);
    }
}
