package io.dragnet.nids.data;

import java.nio.charset.StandardCharsets;

/**
 * Whole numbers as ASCII digits in byte arrays, read and written in place: the session lines, the verdicts' stamps and
 * the replayer's send times, none of which needs a String per number.
 */
public final class PlainInteger
{
    /** What {@link #parse} gives for text that is not a plain integer; no such text denotes it. */
    public static final long NOT_PLAIN = Long.MIN_VALUE;

    /** Longer runs of digits may not fit a long: those are left to Long.parseLong, which knows the limits. */
    private static final int MAX_DIGITS = 18;

    private PlainInteger() {}

    /** The value of {@code text[start, end)} when it is {@code -?digits} with at most 18 digits, else {@link #NOT_PLAIN}. */
    public static long parse(byte[] text, int start, int end)
    {
        boolean negative = start < end && text[start] == '-';
        int first = negative ? start + 1 : start;
        if (first == end || end - first > MAX_DIGITS) {
            return NOT_PLAIN;
        }
        long value = 0;
        for (int at = first; at < end; at++) {
            byte digit = text[at];
            if (digit < '0' || digit > '9') {
                return NOT_PLAIN;
            }
            value = value * 10 + (digit - '0');
        }
        return negative ? -value : value;
    }

    /** How many characters {@code Long.toString(value)} has. */
    static int length(long value)
    {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        int sign = value < 0 ? 1 : 0;
        long magnitude = Math.abs(value);
        int digits = 1;
        for (long bound = 10; digits < 19 && magnitude >= bound; bound *= 10) {
            digits++;
        }
        return sign + digits;
    }

    /** Writes {@code Long.toString(value)} into {@code target} at {@code at}; {@code length} is {@link #length(long)}. */
    static void write(long value, byte[] target, int at, int length)
    {
        if (value < 0) {
            byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, target, at, length);
            return;
        }
        for (int i = at + length - 1; i >= at; i--) {
            target[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
