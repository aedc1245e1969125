package io.dragnet.rules.internal;

import java.util.Optional;

/**
 * Literals travel to Spark as data, so quotes, backticks, SQL fragments or {@code ${jndi:...}} match literally.
 * Two things are refused because no log value can hold them: NUL characters (Zeek escapes them as \x00) and
 * values longer than {@link #MAX_CHARACTERS}.
 */
public final class LiteralChecks
{
    public static final int MAX_CHARACTERS = 65_536;

    private LiteralChecks() {}

    /** A problem message, or empty when the literal is acceptable. */
    public static Optional<String> check(String text, String what)
    {
        if (text == null) {
            return Optional.empty();
        }
        if (text.length() > MAX_CHARACTERS) {
            return Optional.of(what + " has " + text.length() + " characters; expected at most " + MAX_CHARACTERS);
        }
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            return Optional.of(what + " contains a NUL character at offset " + nul + "; expected text without NUL (write \\x00 to match Zeek's escaped form)");
        }
        return Optional.empty();
    }
}
