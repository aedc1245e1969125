package io.dragnet.contracts;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a Zeek log file's name tells its lake source: {@code <log>.log}, rotated ({@code conn.00:00:00-01:00:00.log.gz},
 * {@code conn.2024-01-01-00-00-00.json.gz}) or {@code <log>.json}, plain or gzip; {@code conn} is the source
 * {@code zeek_conn}. Hidden files are no logs.
 */
public final class ZeekLogNames
{
    private static final Pattern LOG_FILE = Pattern.compile("([A-Za-z0-9_-]+)(\\..+)?\\.(log|json)(\\.gz)?");

    private ZeekLogNames() {}

    /** The source of a file named like a Zeek log; empty for any other name. */
    public static Optional<String> source(String fileName)
    {
        Matcher matcher = LOG_FILE.matcher(fileName);
        if (fileName.startsWith(".") || !matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(sourceName(matcher.group(1)));
    }

    /** The lake source a log name belongs to: conn → zeek_conn. */
    public static String sourceName(String logName)
    {
        return "zeek_" + logName.toLowerCase(Locale.ROOT).replace('-', '_');
    }
}
