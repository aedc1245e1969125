package io.dragnet.sparkjobs.internal;

import static java.util.Objects.requireNonNull;

/**
 * Literal text that every match of an RE2 pattern holds, read from the pattern's text, so that {@link RuleMatcher}
 * runs a pattern only over records that hold it. The reading is conservative: it understands a pattern without
 * alternation as a sequence of atoms (literal characters, escaped punctuation, {@code .}, character classes, the
 * classes {@code \d \w \s} and their negations, the assertions {@code ^ $ \b \B \A \z}, leading inline flags) with
 * their quantifiers, and stops at the first thing it does not understand (a group, a Unicode class, a non-ASCII
 * character...): what it found before that still holds, because without alternation every atom it passed that no
 * quantifier makes optional is part of every match.
 *
 * @param prefix text every match starts with, at the very start of the pattern (no assertion before it); "" when none
 * @param required the longest text every match contains; "" when none
 */
record RegexLiterals(String prefix, String required)
{
    private static final RegexLiterals NONE = new RegexLiterals("", "");

    RegexLiterals
    {
        requireNonNull(prefix, "prefix is null");
        requireNonNull(required, "required is null");
    }

    /**
     * @param cased whether the pattern is matched as written; when not, inline {@code (?i)} changes nothing, and when it
     * is, inline {@code (?i)} makes the literals case-insensitive, so none is returned
     */
    static RegexLiterals of(String pattern, boolean cased)
    {
        if (pattern.indexOf('|') >= 0) {
            return NONE;
        }
        Reader reader = new Reader(pattern);
        int position = reader.leadingFlags(cased);
        if (position < 0) {
            return NONE;
        }
        return reader.read(position);
    }

    /** One left-to-right pass over the pattern's atoms, collecting runs of required literal characters. */
    private static final class Reader
    {
        private final String pattern;
        private final StringBuilder run = new StringBuilder();
        private String prefix = "";
        private String required = "";
        /** true while the current run started at the pattern's start, with nothing before it */
        private boolean runAtStart = true;

        Reader(String pattern)
        {
            this.pattern = pattern;
        }

        /**
         * The position after leading inline flags such as {@code (?s)}, or -1 when they make the literals unusable; a
         * group that is not only flags is left for {@link #read}, which stops there.
         */
        int leadingFlags(boolean cased)
        {
            int position = 0;
            while (pattern.startsWith("(?", position)) {
                int close = pattern.indexOf(')', position);
                String flags = close < 0 ? "" : pattern.substring(position + 2, close);
                if (flags.isEmpty() || !flags.chars().allMatch(c -> "imsU".indexOf(c) >= 0)) {
                    return position;
                }
                if (cased && flags.indexOf('i') >= 0) {
                    return -1;
                }
                position = close + 1;
            }
            return position;
        }

        RegexLiterals read(int start)
        {
            int position = start;
            while (position < pattern.length()) {
                char c = pattern.charAt(position);
                int next;
                if (c == '\\') {
                    if (position + 1 >= pattern.length()) {
                        break;
                    }
                    char escaped = pattern.charAt(position + 1);
                    next = position + 2;
                    if (escaped < 0x80 && !Character.isLetterOrDigit(escaped)) {
                        next = literal(escaped, next);
                    }
                    else if ("dDwWsS".indexOf(escaped) >= 0) {
                        next = other(next);
                    }
                    else if ("bBAz".indexOf(escaped) >= 0) {
                        endRun();
                    }
                    else {
                        break;
                    }
                }
                else if (c == '^' || c == '$') {
                    endRun();
                    next = position + 1;
                }
                else if (c == '.') {
                    next = other(position + 1);
                }
                else if (c == '[') {
                    int close = classEnd(position);
                    if (close < 0) {
                        break;
                    }
                    next = other(close + 1);
                }
                else if (c == '(' || c == ')' || c == '*' || c == '+' || c == '?' || c == '{' || c >= 0x80) {
                    break;
                }
                else {
                    next = literal(c, position + 1);
                }
                if (next < 0) {
                    break;
                }
                position = next;
            }
            endRun();
            return new RegexLiterals(prefix, required);
        }

        /** A literal character at {@code after - 1}: kept in the run unless a quantifier makes it optional; the next position, or -1 to stop. */
        private int literal(char c, int after)
        {
            Quantifier quantifier = quantifier(after);
            if (quantifier == null) {
                return -1;
            }
            if (quantifier.minimum() > 0) {
                run.append(c);
            }
            if (quantifier.end() > after) {
                // repeated or optional: what follows does not directly follow this one character
                endRun();
            }
            return quantifier.end();
        }

        /** An atom that is no literal (any character, a class): ends the run; the next position, or -1 to stop. */
        private int other(int after)
        {
            endRun();
            Quantifier quantifier = quantifier(after);
            return quantifier == null ? -1 : quantifier.end();
        }

        private void endRun()
        {
            if (runAtStart && !run.isEmpty() && prefix.isEmpty()) {
                prefix = run.toString();
            }
            if (run.length() > required.length()) {
                required = run.toString();
            }
            run.setLength(0);
            runAtStart = false;
        }

        private record Quantifier(int minimum, int end) {}

        /** The quantifier at {@code position} (none: minimum 1, ending where it starts), or null when it is not one this reader knows. */
        private Quantifier quantifier(int position)
        {
            if (pattern.startsWith("(?", position)) {
                // RE2 applies a quantifier after inline flags to the atom before them
                return null;
            }
            if (position >= pattern.length()) {
                return new Quantifier(1, position);
            }
            char c = pattern.charAt(position);
            int minimum;
            int end;
            if (c == '*' || c == '?') {
                minimum = 0;
                end = position + 1;
            }
            else if (c == '+') {
                minimum = 1;
                end = position + 1;
            }
            else if (c == '{') {
                int close = pattern.indexOf('}', position);
                if (close < 0 || !pattern.substring(position + 1, close).matches("[0-9]+(,[0-9]*)?")) {
                    return null;
                }
                String bounds = pattern.substring(position + 1, close);
                int comma = bounds.indexOf(',');
                minimum = Integer.parseInt(comma < 0 ? bounds : bounds.substring(0, comma)) > 0 ? 1 : 0;
                end = close + 1;
            }
            else {
                return new Quantifier(1, position);
            }
            if (end < pattern.length() && pattern.charAt(end) == '?') {
                end++;
            }
            if (end < pattern.length() && "*+?{".indexOf(pattern.charAt(end)) >= 0 || pattern.startsWith("(?", end)) {
                return null;
            }
            return new Quantifier(minimum, end);
        }

        /** The position of the ']' closing the class opened at {@code open}, or -1 when the class is not one this reader knows. */
        private int classEnd(int open)
        {
            int position = open + 1;
            if (position < pattern.length() && pattern.charAt(position) == '^') {
                position++;
            }
            if (position < pattern.length() && pattern.charAt(position) == ']') {
                position++;
            }
            while (position < pattern.length()) {
                char c = pattern.charAt(position);
                if (c == ']') {
                    return position;
                }
                if (c == '[') {
                    return -1;
                }
                position += c == '\\' ? 2 : 1;
            }
            return -1;
        }
    }
}
