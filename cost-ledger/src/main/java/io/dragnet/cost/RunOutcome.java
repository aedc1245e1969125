package io.dragnet.cost;

import io.dragnet.contracts.DragnetException;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * How a daily run ended, as the workflow reports it to RecordRunCost.
 *
 * @param clusterId null when the run failed before a cluster existed or had no jobs
 * @param error error name from a Catch path (States.TaskFailed…), or null
 * @param cause the error's cause text, or null
 */
public record RunOutcome(String runId, String date, Status status, String clusterId, String error, String cause)
{
    public enum Status { SUCCEEDED, FAILED, NO_JOBS }

    public RunOutcome
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(date, "date is null");
        requireNonNull(status, "status is null");
    }

    public static Status status(String value)
    {
        if (value == null) {
            throw DragnetException.user("status is missing (expected SUCCEEDED, FAILED or NO_JOBS)");
        }
        try {
            return Status.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw DragnetException.user("status '" + value + "' (expected SUCCEEDED, FAILED or NO_JOBS)");
        }
    }
}
