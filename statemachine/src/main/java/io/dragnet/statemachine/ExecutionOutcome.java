package io.dragnet.statemachine;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * How one execution ended: SUCCEEDED with an output, or FAILED / TIMED_OUT with the error and cause that ended it;
 * {@code events} are in the shape of GetExecutionHistory's events.
 */
public record ExecutionOutcome(
        String executionArn,
        String name,
        String status,
        JsonNode output,
        String error,
        String cause,
        Instant startDate,
        Instant stopDate,
        List<JsonNode> events)
{
    public ExecutionOutcome
    {
        requireNonNull(executionArn, "executionArn is null");
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        events = List.copyOf(events);
    }

    public boolean succeeded()
    {
        return status.equals("SUCCEEDED");
    }
}
