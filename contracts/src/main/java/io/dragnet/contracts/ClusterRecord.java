package io.dragnet.contracts;

import java.util.List;
import java.util.Map;

/**
 * What is known about one EMR cluster of a daily run, for the cost ledger. On AWS it is read back from
 * DescribeCluster / ListInstanceFleets / ListInstances; in the embedded default the local EMR binding writes it to
 * {@code results/clusters/<clusterId>.json}, with the fleet the definition requested and the measured step times,
 * and {@code estimate = true}.
 *
 * @param requested the createCluster parameters exactly as the workflow sent them (Instances.InstanceFleets, ReleaseLabel…)
 * @param instances instances obtained; empty when only the request is known (the embedded default)
 * @param createdAt ISO-8601 instant
 * @param terminatedAt ISO-8601 instant, null while the cluster is still running
 */
public record ClusterRecord(
        String clusterId,
        String runId,
        String date,
        String state,
        String createdAt,
        String readyAt,
        String terminatedAt,
        Map<String, Object> requested,
        List<Instance> instances,
        List<Step> steps,
        boolean estimate)
{
    public ClusterRecord
    {
        requested = requested == null ? Map.of() : Map.copyOf(requested);
        instances = instances == null ? List.of() : List.copyOf(instances);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /**
     * @param fleetType MASTER, CORE or TASK
     * @param market ON_DEMAND or SPOT
     * @param endReason null while running; e.g. CLUSTER_TERMINATED, SPOT_INSTANCE_TERMINATION
     */
    public record Instance(String instanceId, String fleetType, String instanceType, String market,
            String launchedAt, String endedAt, String endReason) {}

    /** @param state COMPLETED, FAILED, CANCELLED; times ISO-8601 */
    public record Step(String stepId, String name, String state, String startedAt, String endedAt, String metricsLocation) {}
}
