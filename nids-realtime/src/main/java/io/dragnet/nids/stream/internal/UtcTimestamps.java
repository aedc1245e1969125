package io.dragnet.nids.stream.internal;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * ISO-8601 UTC text of epoch milliseconds ({@code 2018-11-02T04:05:06.789Z}) and its day ({@code 2018-11-02}), as
 * Spark's JSON reader parses them; written by hand on the scoring hot path, where {@code Instant.toString} cost more
 * than the window, and as bytes for the verdict's JSON. Remembers the last day it formatted (sessions of a stream are
 * mostly of one day).
 */
final class UtcTimestamps
{
    private static final long MILLIS_PER_DAY = 86_400_000L;

    /** Room for the longest text: LocalDate's last day, {@code +999999999-12-31}, and 14 characters more. */
    static final int MAX_LENGTH = 32;

    private long cachedDay = Long.MIN_VALUE;
    private String cachedDayText;
    private byte[] cachedDayBytes;

    String day(long epochMillis)
    {
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        if (day != cachedDay) {
            cachedDayText = LocalDate.ofEpochDay(day).toString();
            cachedDayBytes = cachedDayText.getBytes(StandardCharsets.US_ASCII);
            cachedDay = day;
        }
        return cachedDayText;
    }

    String timestamp(long epochMillis)
    {
        byte[] text = new byte[MAX_LENGTH];
        return new String(text, 0, write(epochMillis, text), StandardCharsets.US_ASCII);
    }

    /** The timestamp's ASCII text into {@code text} (at least {@link #MAX_LENGTH} long): its length. */
    int write(long epochMillis, byte[] text)
    {
        day(epochMillis);
        byte[] day = cachedDayBytes;
        int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        System.arraycopy(day, 0, text, 0, day.length);
        int at = day.length;
        text[at++] = 'T';
        at = two(text, at, millisOfDay / 3_600_000);
        text[at++] = ':';
        at = two(text, at, millisOfDay / 60_000 % 60);
        text[at++] = ':';
        at = two(text, at, millisOfDay / 1_000 % 60);
        text[at++] = '.';
        int millis = millisOfDay % 1_000;
        text[at++] = (byte) ('0' + millis / 100);
        text[at++] = (byte) ('0' + millis / 10 % 10);
        text[at++] = (byte) ('0' + millis % 10);
        text[at++] = 'Z';
        return at;
    }

    private static int two(byte[] text, int at, int value)
    {
        text[at] = (byte) ('0' + value / 10);
        text[at + 1] = (byte) ('0' + value % 10);
        return at + 2;
    }
}
