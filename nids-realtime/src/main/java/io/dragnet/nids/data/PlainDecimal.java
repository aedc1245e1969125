package io.dragnet.nids.data;

/**
 * One pass over the plain decimal text most measures are written in ({@code 42}, {@code -0.5}, {@code 4.0E-6}), giving
 * exactly the double {@link Double#parseDouble} gives. A decimal of at most 15 significant digits whose power of ten is
 * within ±22 has both parts exact in a double, so one correctly rounded multiply or divide is the correctly rounded
 * value (Clinger's fast path). Anything else is left to a full parser.
 */
final class PlainDecimal
{
    /** Beyond this many digits the mantissa may not be exact in a double's 53 bits. */
    private static final int MAX_DIGITS = 15;
    private static final int MAX_EXACT_POWER = 22;
    private static final double[] POWERS_OF_TEN = new double[MAX_EXACT_POWER + 1];

    static {
        double power = 1;
        for (int i = 0; i <= MAX_EXACT_POWER; i++) {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private PlainDecimal() {}

    /**
     * The value of the ASCII text {@code text[start, end)} when it is {@code -?digits[.digits][(E|e)[+-]digits]} within the fast
     * path's bounds, else NaN (which no such text denotes): the caller then parses it fully, or rejects it. A
     * whole number keeps its sign as a long would ({@code -0} is 0.0), as the codec always read integers.
     */
    static double parse(byte[] text, int start, int end)
    {
        int at = start;
        boolean negative = at < end && text[at] == '-';
        if (negative) {
            at++;
        }
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = 0;
        boolean point = false;
        int firstDigit = at;
        for (; at < end; at++) {
            int c = text[at];
            if (c >= '0' && c <= '9') {
                // leading zeros add no precision: 0.000123 has three significant digits
                if (mantissa != 0 || c != '0') {
                    digits++;
                }
                mantissa = mantissa * 10 + (c - '0');
                if (point) {
                    fractionDigits++;
                }
            }
            else if (c == '.' && !point && at > firstDigit) {
                point = true;
            }
            else {
                break;
            }
        }
        if (at == firstDigit || text[at - 1] == '.' || digits > MAX_DIGITS) {
            return Double.NaN;
        }
        int exponent = 0;
        if (at < end) {
            int marker = text[at];
            if (marker != 'E' && marker != 'e') {
                return Double.NaN;
            }
            at++;
            boolean negativeExponent = at < end && text[at] == '-';
            if (at < end && (negativeExponent || text[at] == '+')) {
                at++;
            }
            if (at == end || end - at > 3) {
                return Double.NaN;
            }
            for (; at < end; at++) {
                int c = text[at];
                if (c < '0' || c > '9') {
                    return Double.NaN;
                }
                exponent = exponent * 10 + (c - '0');
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        else if (!point) {
            return negative ? -mantissa : mantissa;
        }
        int power = exponent - fractionDigits;
        if (power < -MAX_EXACT_POWER || power > MAX_EXACT_POWER) {
            return Double.NaN;
        }
        double value = power >= 0 ? mantissa * POWERS_OF_TEN[power] : mantissa / POWERS_OF_TEN[-power];
        return negative ? -value : value;
    }
}
