package io.dragnet.cleanup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.dragnet.cleanup.aws.AwsEmrClusters;

import java.util.HashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The workflow's LookForRunCluster state: input {@code {"executionId": <execution ARN>}}, output
 * {@code {"clusterId": <id or null>}} — the execution's active cluster, so that CreateCluster runs only when there is none.
 */
public final class FindRunClusterHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
    private final RunClusters clusters;

    public FindRunClusterHandler()
    {
        this(AwsEmrClusters.fromEnvironment());
    }

    public FindRunClusterHandler(EmrClusters emr)
    {
        this.clusters = new RunClusters(requireNonNull(emr, "emr is null"));
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
    {
        if (!(input.get("executionId") instanceof String executionId) || executionId.isBlank()) {
            throw new IllegalArgumentException("LookForRunCluster needs 'executionId' (the execution ARN) as a non-empty string");
        }
        Map<String, Object> result = new HashMap<>();
        result.put("clusterId", clusters.find(executionId).orElse(null));
        return result;
    }
}
