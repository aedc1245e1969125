package io.dragnet.rules;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.RunFolders;

import java.time.LocalDate;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The day and locations a compilation targets; locations are URIs (file:// or s3://).
 *
 * @param feedLocations the folders besides the rules folder that rules may read IoC files from (see {@link ReadableRoots});
 *         empty for the {@code iocs} folder beside the rules folder
 * @param feedsAsOf the day whose feed snapshots {@code feed:<name>} references read: the run's day, except in a backfill,
 *         which searches past days for the indicators known on the day it runs
 * @param runFrom the first day the run compiles: the run's day, except in a backfill, whose run also writes the hits of
 *         every day from its first to this one (a correlation reads the previous day's hits from the run itself when
 *         that day is one of them)
 */
public record CompileContext(LocalDate date, String runId, String lakeLocation, String workLocation, String resultsLocation, String enrichmentLocation,
                             List<String> feedLocations, LocalDate feedsAsOf, LocalDate runFrom)
{
    public CompileContext
    {
        requireNonNull(date, "date is null");
        requireNonNull(runId, "runId is null");
        if (!runId.matches("[A-Za-z0-9_.:-]{1,80}")) {
            throw DragnetException.user("run id '" + runId + "' is not allowed; expected letters, digits, '_', '.', ':' or '-' (at most 80)");
        }
        requireNonNull(lakeLocation, "lakeLocation is null");
        requireNonNull(workLocation, "workLocation is null");
        requireNonNull(resultsLocation, "resultsLocation is null");
        requireNonNull(enrichmentLocation, "enrichmentLocation is null");
        feedLocations = List.copyOf(feedLocations);
        requireNonNull(feedsAsOf, "feedsAsOf is null");
        requireNonNull(runFrom, "runFrom is null");
        if (runFrom.isAfter(date)) {
            throw new IllegalArgumentException("runFrom " + runFrom + " is after the day " + date);
        }
    }

    /** A run of its own day only. */
    public CompileContext(LocalDate date, String runId, String lakeLocation, String workLocation, String resultsLocation, String enrichmentLocation,
                          List<String> feedLocations, LocalDate feedsAsOf)
    {
        this(date, runId, lakeLocation, workLocation, resultsLocation, enrichmentLocation, feedLocations, feedsAsOf, date);
    }

    /** Reading the feed snapshots of its own day. */
    public CompileContext(LocalDate date, String runId, String lakeLocation, String workLocation, String resultsLocation, String enrichmentLocation,
                          List<String> feedLocations)
    {
        this(date, runId, lakeLocation, workLocation, resultsLocation, enrichmentLocation, feedLocations, date);
    }

    /**
     * The same run and locations for another day, still reading the feed snapshots of {@link #feedsAsOf()}: a day of a
     * backfill whose range starts on {@code from}.
     */
    public CompileContext backfillDay(LocalDate day, LocalDate from)
    {
        return new CompileContext(day, runId, lakeLocation, workLocation, resultsLocation, enrichmentLocation, feedLocations, feedsAsOf, from);
    }

    /** With the default feed folder. */
    public CompileContext(LocalDate date, String runId, String lakeLocation, String workLocation, String resultsLocation, String enrichmentLocation)
    {
        this(date, runId, lakeLocation, workLocation, resultsLocation, enrichmentLocation, List.of());
    }

    /** {@code <work>/jobs/dt=<date>/run=<runId>} */
    public String runDirectory()
    {
        return Locations.join(workLocation, RunFolders.relative(RunFolders.JOBS, date.toString(), runId));
    }
}
