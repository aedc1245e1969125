package io.dragnet.sparkjobs.internal;

import java.io.Serializable;
import java.util.List;

/**
 * Turns one text line of a source into typed values in the order of {@link #fields()}, or says why it cannot.
 * Pure and serializable: Spark ships it to executors.
 */
public interface LineParser
        extends Serializable
{
    List<String> fields();

    List<FieldType> types();

    /** True for lines that carry no record (Zeek {@code #} lines, a CSV header, blank lines). */
    boolean isMetadata(String line);

    /** The typed values, or a {@link ParsedLine#rejected} result naming the field and what was expected. */
    ParsedLine parse(String line);

    /** @param values typed values, null when unset; null when rejected @param reason why rejected, else null */
    record ParsedLine(Object[] values, String reason)
    {
        public static ParsedLine parsed(Object[] values)
        {
            return new ParsedLine(values, null);
        }

        public static ParsedLine rejected(String reason)
        {
            return new ParsedLine(null, reason);
        }

        public boolean isRejected()
        {
            return reason != null;
        }
    }
}
