package io.dragnet.cleanup;

import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The parts of an EventBridge "Step Functions Execution Status Change" event that cleanup reads:
 * {@code detail.executionArn} and {@code detail.status}.
 */
public record ExecutionStatusChange(String executionArn, String status)
{
    public static final String DETAIL_TYPE = "Step Functions Execution Status Change";
    /** The end states in which the workflow may not have terminated its cluster itself. */
    public static final Set<String> UNFINISHED_CLEANUP = Set.of("FAILED", "TIMED_OUT", "ABORTED");

    public ExecutionStatusChange
    {
        requireNonNull(executionArn, "executionArn is null");
        requireNonNull(status, "status is null");
    }

    public static ExecutionStatusChange fromEvent(Map<String, Object> event)
    {
        Object detailType = event.get("detail-type");
        if (!DETAIL_TYPE.equals(detailType)) {
            throw new IllegalArgumentException("expected an EventBridge event with detail-type '" + DETAIL_TYPE + "', got " + describe(detailType));
        }
        if (!(event.get("detail") instanceof Map<?, ?> detail)) {
            throw new IllegalArgumentException("the event has no 'detail' object");
        }
        return new ExecutionStatusChange(text(detail, "executionArn"), text(detail, "status"));
    }

    public boolean needsCleanup()
    {
        return UNFINISHED_CLEANUP.contains(status);
    }

    private static String text(Map<?, ?> detail, String field)
    {
        if (!(detail.get(field) instanceof String value) || value.isBlank()) {
            throw new IllegalArgumentException("the event's detail." + field + " must be a non-empty string, got " + describe(detail.get(field)));
        }
        return value;
    }

    private static String describe(Object value)
    {
        return value == null ? "nothing" : value instanceof String ? "'" + value + "'" : "a " + value.getClass().getSimpleName();
    }
}
