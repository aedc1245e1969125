package io.dragnet.contracts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Which runs' files are the published ones for a day: Publish writes it (whole, atomically) at
 * {@code <results>/published/dt=<day>.json} after it switched the day's aliases, and every reader of a day's run files
 * (record documents {@code <results>/documents/dt=<day>/run=<run>/<source>/}, aggregate hits, correlation hits: {@link RunFolders}) reads
 * the runs named here and nothing else, so a run that failed or was killed changes nothing readers see.
 * <p>
 * Like the aliases: a daily run replaces the day's whole record with itself; a backfill adds itself for its rules,
 * which the day's other runs stop contributing ({@link #withBackfill}). A day without a record has nothing published.
 *
 * @param runs each published run and which of its rules' hits count, in publication order
 */
public record PublishedRuns(String date, List<Contribution> runs)
{
    /** The folder of a results tree holding one record per day. */
    public static final String FOLDER = "published";

    public PublishedRuns
    {
        requireNonNull(date, "date is null");
        runs = List.copyOf(requireNonNull(runs, "runs is null"));
    }

    /**
     * One published run's share of the day.
     *
     * @param rules the only rules whose hits count (a backfill), or null for every rule of the run but {@code excluded}
     * @param excluded rules a later backfill took over
     */
    public record Contribution(String runId, List<String> rules, List<String> excluded)
    {
        public Contribution
        {
            requireNonNull(runId, "runId is null");
            rules = rules == null ? null : List.copyOf(new TreeSet<>(rules));
            excluded = excluded == null ? List.of() : List.copyOf(new TreeSet<>(excluded));
        }

        /** Whether this run's hit of {@code ruleId} is published. */
        public boolean counts(String ruleId)
        {
            return (rules == null || rules.contains(ruleId)) && !excluded.contains(ruleId);
        }
    }

    /** The record after a daily run of the day published: that run alone. */
    public static PublishedRuns ofRun(String date, String runId)
    {
        return new PublishedRuns(date, List.of(new Contribution(runId, null, List.of())));
    }

    /** The record after a backfill published {@code rules} for the day: it contributes those, no other run still does. */
    public PublishedRuns withBackfill(String runId, Collection<String> rules)
    {
        Set<String> backfilled = new TreeSet<>(rules);
        List<Contribution> next = new ArrayList<>();
        for (Contribution run : runs) {
            if (run.runId().equals(runId)) {
                continue;
            }
            if (run.rules() == null) {
                Set<String> excluded = new TreeSet<>(run.excluded());
                excluded.addAll(backfilled);
                next.add(new Contribution(run.runId(), null, List.copyOf(excluded)));
            }
            else {
                List<String> remaining = run.rules().stream().filter(rule -> !backfilled.contains(rule)).toList();
                if (!remaining.isEmpty()) {
                    next.add(new Contribution(run.runId(), remaining, run.excluded()));
                }
            }
        }
        next.add(new Contribution(runId, List.copyOf(backfilled), List.of()));
        return new PublishedRuns(date, next);
    }

    /** A record as Publish wrote it; an external error naming {@code location} when it is not one. */
    public static PublishedRuns parse(byte[] json, String location)
    {
        try {
            return Json.mapper().readValue(json, PublishedRuns.class);
        }
        catch (IOException e) {
            throw DragnetException.external("cannot read the published runs at " + location + ": expected the JSON Publish writes", e);
        }
    }

    public Optional<Contribution> contribution(String runId)
    {
        return runs.stream().filter(run -> run.runId().equals(runId)).findFirst();
    }

    /** {@code <results>/published/dt=<day>.json}. */
    public static String location(String results, String date)
    {
        return RunFolders.join(RunFolders.join(results, FOLDER), RunFolders.dayFolder(date) + ".json");
    }
}
