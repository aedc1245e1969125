package io.dragnet.cleanup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.dragnet.cleanup.aws.AwsEmrClusters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * First step of the run-ended workflow, which EventBridge starts on the daily run's executions that end FAILED,
 * TIMED_OUT or ABORTED (it passes the event on unchanged): terminates
 * every active cluster tagged with that execution. Those are the ends where the workflow's own TerminateCluster may
 * not have run (an execution timeout, StopExecution, States.Runtime, States.DataLimitExceeded). Idempotent: a second
 * delivery of the same event finds nothing left to terminate. Output: {@code executionArn}, {@code status},
 * {@code terminated} (cluster ids).
 */
public final class CleanupRunClustersHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
    private final RunClusters clusters;

    public CleanupRunClustersHandler()
    {
        this(AwsEmrClusters.fromEnvironment());
    }

    public CleanupRunClustersHandler(EmrClusters emr)
    {
        this.clusters = new RunClusters(requireNonNull(emr, "emr is null"));
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context)
    {
        ExecutionStatusChange change = ExecutionStatusChange.fromEvent(event);
        List<String> terminated = change.needsCleanup() ? clusters.terminateAll(change.executionArn()) : List.of();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("executionArn", change.executionArn());
        result.put("status", change.status());
        result.put("terminated", terminated);
        return result;
    }
}
