package io.dragnet.statemachine;

import static java.util.Objects.requireNonNull;

/**
 * What the outside world can do to a running execution: {@link #stop} is StopExecution, and a {@link StateListener}
 * hears each state as it is entered (tests stop an execution or move its clock there). Locally a stop takes effect at
 * the next state boundary, Wait or retry interval: a task already running finishes first.
 */
public final class ExecutionControl
{
    /** Called on the executor's thread as a state (of the top-level machine, a Map iteration or a branch) is entered. */
    @FunctionalInterface
    public interface StateListener
    {
        void entered(String stateName, ExecutionControl control);
    }

    private final StateListener listener;
    private volatile StatesError stopRequest;

    public ExecutionControl(StateListener listener)
    {
        this.listener = requireNonNull(listener, "listener is null");
    }

    public static ExecutionControl none()
    {
        return new ExecutionControl((state, control) -> {});
    }

    /** StopExecution with its optional error and cause: the execution ends ABORTED. */
    public void stop(String error, String cause)
    {
        stopRequest = new StatesError(error == null ? "" : error, cause);
    }

    void entered(String stateName)
    {
        listener.entered(stateName, this);
    }

    /** The pending StopExecution, or null. */
    StatesError stopRequest()
    {
        return stopRequest;
    }
}
