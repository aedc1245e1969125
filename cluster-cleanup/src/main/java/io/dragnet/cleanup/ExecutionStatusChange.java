package io.dragnet.cleanup;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The parts of an EventBridge "Step Functions Execution Status Change" event that dragnet reads after a run ends:
 * {@code detail.executionArn}, {@code detail.status}, and when present {@code detail.input} (the execution's input as
 * a JSON string; EventBridge leaves it out when it is too large), {@code detail.startDate} (epoch milliseconds),
 * {@code detail.error} and {@code detail.cause}.
 *
 * @param input the execution's input JSON, or null when the event does not carry it
 * @param startDate when the execution started, or null
 */
public record ExecutionStatusChange(String executionArn, String status, String input, Instant startDate, String error, String cause)
{
    public static final String DETAIL_TYPE = "Step Functions Execution Status Change";
    /** The end states in which the workflow may not have terminated its cluster or recorded its run itself. */
    public static final Set<String> UNFINISHED_CLEANUP = Set.of("FAILED", "TIMED_OUT", "ABORTED");

    public ExecutionStatusChange
    {
        requireNonNull(executionArn, "executionArn is null");
        requireNonNull(status, "status is null");
    }

    public ExecutionStatusChange(String executionArn, String status)
    {
        this(executionArn, status, null, null, null, null);
    }

    public static ExecutionStatusChange fromEvent(Map<?, ?> event)
    {
        Object detailType = event.get("detail-type");
        if (!DETAIL_TYPE.equals(detailType)) {
            throw new IllegalArgumentException("expected an EventBridge event with detail-type '" + DETAIL_TYPE + "', got " + describe(detailType));
        }
        if (!(event.get("detail") instanceof Map<?, ?> detail)) {
            throw new IllegalArgumentException("the event has no 'detail' object");
        }
        Instant startDate = detail.get("startDate") instanceof Number millis ? Instant.ofEpochMilli(millis.longValue()) : null;
        return new ExecutionStatusChange(text(detail, "executionArn"), text(detail, "status"), optional(detail, "input"), startDate,
                optional(detail, "error"), optional(detail, "cause"));
    }

    public boolean needsCleanup()
    {
        return UNFINISHED_CLEANUP.contains(status);
    }

    /** The execution's name: the last part of its ARN. */
    public String executionName()
    {
        return executionArn.substring(executionArn.lastIndexOf(':') + 1);
    }

    public Optional<String> inputJson()
    {
        return Optional.ofNullable(input);
    }

    private static String text(Map<?, ?> detail, String field)
    {
        if (!(detail.get(field) instanceof String value) || value.isBlank()) {
            throw new IllegalArgumentException("the event's detail." + field + " must be a non-empty string, got " + describe(detail.get(field)));
        }
        return value;
    }

    private static String optional(Map<?, ?> detail, String field)
    {
        return detail.get(field) instanceof String value && !value.isBlank() ? value : null;
    }

    private static String describe(Object value)
    {
        return value == null ? "nothing" : value instanceof String ? "'" + value + "'" : "a " + value.getClass().getSimpleName();
    }
}
