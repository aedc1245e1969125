package io.dragnet.contracts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Run ids of runs started here rather than by a schedule: the second the run started, in UTC ({@code 20181102T023000}),
 * which sorts runs of a day by start and stays valid in an OpenSearch index name ({@link IndexNames#runIndex}).
 */
public final class RunIds
{
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private RunIds() {}

    public static String startedAt(Instant started)
    {
        return STARTED.format(started);
    }
}
