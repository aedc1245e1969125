package io.dragnet.rules.sigma;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A Sigma string value: literal text and the wildcards {@code *} (any run of characters) and {@code ?} (one character).
 * In rule text a backslash escapes {@code *}, {@code ?} and itself; before any other character it is a plain backslash.
 */
public record SigmaString(List<Part> parts)
{
    public sealed interface Part {}

    public record Text(String text) implements Part
    {
        public Text
        {
            requireNonNull(text, "text is null");
        }
    }

    public enum Wildcard implements Part { ANY_RUN, ONE }

    /** How the simplest dragnet comparison can express a pattern. */
    public enum Shape { EQUALS, CONTAINS, STARTSWITH, ENDSWITH, PATTERN }

    public SigmaString
    {
        List<Part> merged = new ArrayList<>();
        for (Part part : parts) {
            if (part instanceof Text text && text.text().isEmpty()) {
                continue;
            }
            if (part instanceof Text text && !merged.isEmpty() && merged.get(merged.size() - 1) instanceof Text previous) {
                merged.set(merged.size() - 1, new Text(previous.text() + text.text()));
            }
            else {
                merged.add(part);
            }
        }
        parts = List.copyOf(merged);
    }

    public static SigmaString parse(String raw)
    {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() && (raw.charAt(i + 1) == '*' || raw.charAt(i + 1) == '?' || raw.charAt(i + 1) == '\\')) {
                text.append(raw.charAt(++i));
            }
            else if (c == '*' || c == '?') {
                parts.add(new Text(text.toString()));
                text.setLength(0);
                parts.add(c == '*' ? Wildcard.ANY_RUN : Wildcard.ONE);
            }
            else {
                text.append(c);
            }
        }
        parts.add(new Text(text.toString()));
        return new SigmaString(parts);
    }

    public static SigmaString literal(String text)
    {
        return new SigmaString(List.of(new Text(text)));
    }

    public boolean hasWildcards()
    {
        return parts.stream().anyMatch(Wildcard.class::isInstance);
    }

    /** The text of a value without wildcards. */
    public String text()
    {
        if (hasWildcards()) {
            throw new IllegalStateException("value has wildcards: " + this);
        }
        return parts.isEmpty() ? "" : ((Text) parts.get(0)).text();
    }

    public SigmaString withLeadingRun()
    {
        List<Part> all = new ArrayList<>();
        if (parts.isEmpty() || parts.get(0) != Wildcard.ANY_RUN) {
            all.add(Wildcard.ANY_RUN);
        }
        all.addAll(parts);
        return new SigmaString(all);
    }

    public SigmaString withTrailingRun()
    {
        List<Part> all = new ArrayList<>(parts);
        if (parts.isEmpty() || parts.get(parts.size() - 1) != Wildcard.ANY_RUN) {
            all.add(Wildcard.ANY_RUN);
        }
        return new SigmaString(all);
    }

    /** EQUALS/CONTAINS/STARTSWITH/ENDSWITH when the pattern is a literal with at most a leading and a trailing {@code *}; else PATTERN. */
    public Shape shape()
    {
        boolean leading = !parts.isEmpty() && parts.get(0) == Wildcard.ANY_RUN;
        boolean trailing = parts.size() > 1 && parts.get(parts.size() - 1) == Wildcard.ANY_RUN;
        List<Part> inner = parts.subList(leading ? 1 : 0, parts.size() - (trailing ? 1 : 0));
        if (inner.size() != 1 || !(inner.get(0) instanceof Text)) {
            return inner.isEmpty() && !leading ? Shape.EQUALS : Shape.PATTERN;
        }
        if (leading && trailing) {
            return Shape.CONTAINS;
        }
        return leading ? Shape.ENDSWITH : trailing ? Shape.STARTSWITH : Shape.EQUALS;
    }

    /** The literal between the leading and trailing {@code *} of a non-PATTERN shape. */
    public String core()
    {
        return parts.stream().filter(Text.class::isInstance).map(part -> ((Text) part).text()).findFirst().orElse("");
    }

    /**
     * A regular expression (no anchors) matching what the pattern matches.
     *
     * @param anyRun what {@code *} becomes, e.g. {@code .*}
     * @param one what {@code ?} becomes, e.g. {@code .}
     */
    public String regex(String anyRun, String one)
    {
        StringBuilder regex = new StringBuilder();
        for (Part part : parts) {
            if (part == Wildcard.ANY_RUN) {
                regex.append(anyRun);
            }
            else if (part == Wildcard.ONE) {
                regex.append(one);
            }
            else {
                regex.append(quote(((Text) part).text()));
            }
        }
        return regex.toString();
    }

    /** Escapes each regex metacharacter on its own (no \\Q…\\E), so the text reads the same in Java's and RE2's dialects. */
    static String quote(String text)
    {
        StringBuilder quoted = new StringBuilder();
        text.codePoints().forEach(c -> {
            if ("\\.[]{}()*+-?^$|".indexOf(c) >= 0) {
                quoted.append('\\');
            }
            if (c == '\n') {
                quoted.append("\\n");
            }
            else if (c == '\r') {
                quoted.append("\\r");
            }
            else if (c == '\t') {
                quoted.append("\\t");
            }
            else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.toString();
    }

    /** The pattern in Sigma's own notation, with escapes. */
    @Override
    public String toString()
    {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            if (part == Wildcard.ANY_RUN) {
                text.append('*');
            }
            else if (part == Wildcard.ONE) {
                text.append('?');
            }
            else {
                text.append(((Text) part).text().replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?"));
            }
        }
        return text.toString();
    }
}
