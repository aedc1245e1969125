package io.dragnet.nids.internal;

import java.time.LocalDate;

/**
 * ISO-8601 UTC text of epoch milliseconds ({@code 2018-11-02T04:05:06.789Z}) and its day ({@code 2018-11-02}), as
 * Spark's JSON reader parses them; written by hand on the scoring hot path, where {@code Instant.toString} cost more
 * than the window. Remembers the last day it formatted (sessions of a stream are mostly of one day).
 */
final class UtcTimestamps
{
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private long cachedDay = Long.MIN_VALUE;
    private String cachedDayText;

    String day(long epochMillis)
    {
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        if (day != cachedDay) {
            cachedDayText = LocalDate.ofEpochDay(day).toString();
            cachedDay = day;
        }
        return cachedDayText;
    }

    String timestamp(long epochMillis)
    {
        String day = day(epochMillis);
        int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        char[] text = new char[day.length() + 14];
        day.getChars(0, day.length(), text, 0);
        int at = day.length();
        text[at++] = 'T';
        at = two(text, at, millisOfDay / 3_600_000);
        text[at++] = ':';
        at = two(text, at, millisOfDay / 60_000 % 60);
        text[at++] = ':';
        at = two(text, at, millisOfDay / 1_000 % 60);
        text[at++] = '.';
        int millis = millisOfDay % 1_000;
        text[at++] = (char) ('0' + millis / 100);
        text[at++] = (char) ('0' + millis / 10 % 10);
        text[at++] = (char) ('0' + millis % 10);
        text[at] = 'Z';
        return new String(text);
    }

    private static int two(char[] text, int at, int value)
    {
        text[at] = (char) ('0' + value / 10);
        text[at + 1] = (char) ('0' + value % 10);
        return at + 2;
    }
}
