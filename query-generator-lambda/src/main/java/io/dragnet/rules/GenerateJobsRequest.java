package io.dragnet.rules;

import io.dragnet.contracts.Backfill;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.RunDay;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The GenerateJobs input, as the daily workflow passes it: {@code date, runId, rulesLocation, workLocation,
 * lakeLocation, resultsLocation, enrichmentLocation} and optionally {@code feedsLocation} (URIs, or local paths).
 *
 * @param skipSourcesWithoutData leave out the job of a source whose day partition is missing or empty (and say so in
 *         the result's problems) instead of handing the cluster a job that can only fail; the workflow sets it
 * @param backfill null for a daily run; else the days (and sources) to run, {@code date} being the day whose feed
 *         snapshots the rules read
 * @param rawLocation null, or the folder whose day folders ({@code <rawLocation>/<YYYY-MM-DD>/}) hold raw Zeek logs that
 *         the run imports into the lake before its jobs read it ({@link io.dragnet.contracts.ImportSpec})
 */
public record GenerateJobsRequest(
        LocalDate date,
        String runId,
        String rulesLocation,
        String workLocation,
        String lakeLocation,
        String resultsLocation,
        String enrichmentLocation,
        boolean skipSourcesWithoutData,
        List<String> feedLocations,
        Backfill backfill,
        String rawLocation)
{
    public GenerateJobsRequest
    {
        requireNonNull(date, "date is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(rulesLocation, "rulesLocation is null");
        requireNonNull(workLocation, "workLocation is null");
        requireNonNull(lakeLocation, "lakeLocation is null");
        requireNonNull(resultsLocation, "resultsLocation is null");
        requireNonNull(enrichmentLocation, "enrichmentLocation is null");
        feedLocations = List.copyOf(feedLocations);
    }

    /** Without raw logs to import. */
    public GenerateJobsRequest(LocalDate date, String runId, String rulesLocation, String workLocation, String lakeLocation, String resultsLocation,
                               String enrichmentLocation, boolean skipSourcesWithoutData, List<String> feedLocations, Backfill backfill)
    {
        this(date, runId, rulesLocation, workLocation, lakeLocation, resultsLocation, enrichmentLocation, skipSourcesWithoutData, feedLocations, backfill, null);
    }

    /** A daily run's request. */
    public GenerateJobsRequest(LocalDate date, String runId, String rulesLocation, String workLocation, String lakeLocation, String resultsLocation,
                               String enrichmentLocation, boolean skipSourcesWithoutData, List<String> feedLocations)
    {
        this(date, runId, rulesLocation, workLocation, lakeLocation, resultsLocation, enrichmentLocation, skipSourcesWithoutData, feedLocations, null);
    }

    /** With the default feed folder (the {@code iocs} folder beside the rules folder). */
    public GenerateJobsRequest(LocalDate date, String runId, String rulesLocation, String workLocation, String lakeLocation, String resultsLocation,
                               String enrichmentLocation, boolean skipSourcesWithoutData)
    {
        this(date, runId, rulesLocation, workLocation, lakeLocation, resultsLocation, enrichmentLocation, skipSourcesWithoutData, List.of(), null);
    }

    /**
     * From the workflow input. {@code date} and {@code rulesLocation} are required; {@code runId} defaults to
     * {@code manual-<date>}; the other locations default to the embedded {@link DragnetHome} layout. A {@link Backfill}
     * comes from {@code executionInput.backfill} (the workflow passes its whole execution input there) or {@code backfill},
     * the raw location from {@code rawLocation} or {@code executionInput.rawLocation}.
     */
    public static GenerateJobsRequest fromInput(Map<String, Object> input, DragnetHome home)
    {
        String date = string(input, "date");
        String rules = string(input, "rulesLocation");
        if (date == null || rules == null) {
            throw DragnetException.user("GenerateJobs input needs 'date' and 'rulesLocation'; found keys " + input.keySet());
        }
        LocalDate day = RunDay.toProcess(date, "GenerateJobs input");
        return new GenerateJobsRequest(
                day,
                orDefault(string(input, "runId"), "manual-" + day),
                rules,
                orDefault(string(input, "workLocation"), home.work().toUri().toString()),
                orDefault(string(input, "lakeLocation"), home.lake().toUri().toString()),
                orDefault(string(input, "resultsLocation"), home.results().toUri().toString()),
                orDefault(string(input, "enrichmentLocation"), home.root().resolve("enrichment").toUri().toString()),
                true,
                Optional.ofNullable(string(input, "feedsLocation")).map(List::of).orElse(List.of()),
                backfill(input),
                fromRequestOrExecution(input, "rawLocation"));
    }

    /** A key the workflow passes only inside the execution input (optional keys cannot be selected by path in ASL). */
    private static String fromRequestOrExecution(Map<String, Object> input, String key)
    {
        String value = string(input, key);
        if (value == null && input.get("executionInput") instanceof Map<?, ?> execution && execution.get(key) != null && !execution.get(key).toString().isBlank()) {
            value = execution.get(key).toString();
        }
        return value;
    }

    private static Backfill backfill(Map<String, Object> input)
    {
        Object value = input.get("backfill");
        if (value == null && input.get("executionInput") instanceof Map<?, ?> execution) {
            value = execution.get("backfill");
        }
        return value == null ? null : Backfill.fromInput(value, "GenerateJobs input");
    }

    public CompileContext context()
    {
        return new CompileContext(date, runId, Locations.normalize(lakeLocation), Locations.normalize(workLocation), Locations.normalize(resultsLocation),
                Locations.normalize(enrichmentLocation), feedLocations.stream().map(Locations::normalize).toList());
    }

    private static String string(Map<String, Object> input, String key)
    {
        Object value = input.get(key);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    private static String orDefault(String value, String fallback)
    {
        return value == null ? fallback : value;
    }
}
