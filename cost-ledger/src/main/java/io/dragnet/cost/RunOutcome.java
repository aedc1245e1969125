package io.dragnet.cost;

import io.dragnet.contracts.DragnetException;

import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * How a daily run ended, as the workflow reports it to RecordRunCost.
 *
 * @param clusterId null when the run failed before a cluster existed or had no jobs
 * @param error error name from a Catch path (States.TaskFailed…), or null
 * @param cause the error's cause text, or null
 * @param executionId the workflow execution that recorded the run (a Step Functions execution ARN), or null when
 *         recorded outside a workflow; a run id re-used by another execution gets a row of its own
 * @param problems what the researcher asked for that did not run (broken rules with positions, skipped sources, days
 *         without data), as the run reported them
 */
public record RunOutcome(String runId, String date, Status status, String clusterId, String error, String cause, String executionId, List<String> problems)
{
    public enum Status { SUCCEEDED, FAILED, NO_JOBS, TIMED_OUT, ABORTED }

    public RunOutcome
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(date, "date is null");
        requireNonNull(status, "status is null");
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** A run recorded outside a workflow execution, with no problems reported. */
    public RunOutcome(String runId, String date, Status status, String clusterId, String error, String cause)
    {
        this(runId, date, status, clusterId, error, cause, null, List.of());
    }

    public static Status status(String value)
    {
        if (value == null) {
            throw DragnetException.user("status is missing (expected SUCCEEDED, FAILED, NO_JOBS, TIMED_OUT or ABORTED)");
        }
        try {
            return Status.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw DragnetException.user("status '" + value + "' (expected SUCCEEDED, FAILED, NO_JOBS, TIMED_OUT or ABORTED)");
        }
    }
}
