package io.dragnet.statemachine;

import static java.util.Objects.requireNonNull;

/**
 * An error raised while a state runs, named as Step Functions names it ({@code States.TaskFailed},
 * {@code States.Timeout}, a Lambda's exception type…) so that Retry and Catch match it as they would on AWS.
 * {@code fromTask} records whether a Task produced it, which is what {@code States.TaskFailed} matches.
 */
public final class StatesError
        extends RuntimeException
{
    public static final String ALL = "States.ALL";
    public static final String TASK_FAILED = "States.TaskFailed";
    public static final String TIMEOUT = "States.Timeout";
    public static final String RUNTIME = "States.Runtime";
    public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
    public static final String PERMISSIONS = "States.Permissions";
    public static final String BRANCH_FAILED = "States.BranchFailed";
    public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";

    private final String error;
    private final String cause;
    private final boolean fromTask;

    public StatesError(String error, String cause)
    {
        this(error, cause, false);
    }

    public StatesError(String error, String cause, boolean fromTask)
    {
        super(error + ": " + cause);
        this.error = requireNonNull(error, "error is null");
        this.cause = cause == null ? "" : cause;
        this.fromTask = fromTask;
    }

    public static StatesError runtime(String cause)
    {
        return new StatesError(RUNTIME, cause);
    }

    public String error()
    {
        return error;
    }

    public String errorCause()
    {
        return cause;
    }

    public boolean fromTask()
    {
        return fromTask;
    }

    public StatesError asFromTask()
    {
        return fromTask ? this : new StatesError(error, cause, true);
    }

    /**
     * Whether a Retry or Catch naming {@code errorName} handles this error. As on AWS, States.Runtime is never caught,
     * and States.DataLimitExceeded only by its own name (neither States.ALL nor States.TaskFailed match it).
     */
    public boolean matches(String errorName)
    {
        if (error.equals(RUNTIME)) {
            return false;
        }
        if (error.equals(DATA_LIMIT_EXCEEDED)) {
            return errorName.equals(DATA_LIMIT_EXCEEDED);
        }
        if (errorName.equals(ALL)) {
            return true;
        }
        if (errorName.equals(TASK_FAILED)) {
            return error.equals(TASK_FAILED) || (fromTask && !error.equals(TIMEOUT));
        }
        return errorName.equals(error);
    }
}
