package io.dragnet.cleanup.aws;

import io.dragnet.cleanup.ActiveCluster;
import io.dragnet.cleanup.EmrClusters;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.ClusterSummary;
import software.amazon.awssdk.services.emr.model.InvalidRequestException;
import software.amazon.awssdk.services.emr.model.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@link EmrClusters} over the AWS SDK v2 EMR client: ListClusters (every page) for the active states, then
 * DescribeCluster for each one's tags, since ListClusters returns none; TerminateJobFlows in batches.
 * A cluster that ended between the two calls is skipped.
 */
public final class AwsEmrClusters
        implements EmrClusters
{
    static final List<ClusterState> ACTIVE = List.of(ClusterState.STARTING, ClusterState.BOOTSTRAPPING, ClusterState.RUNNING, ClusterState.WAITING);
    private static final int TERMINATE_BATCH = 10;

    private final EmrClient emr;

    public AwsEmrClusters(EmrClient emr)
    {
        this.emr = requireNonNull(emr, "emr is null");
    }

    /** The Lambda binding: region and credentials from the function's environment, built once per execution environment. */
    public static AwsEmrClusters fromEnvironment()
    {
        return new AwsEmrClusters(EmrClient.builder().httpClient(UrlConnectionHttpClient.create()).build());
    }

    @Override
    public List<ActiveCluster> activeClusters()
    {
        List<ActiveCluster> active = new ArrayList<>();
        for (ClusterSummary summary : emr.listClustersPaginator(request -> request.clusterStates(ACTIVE)).clusters()) {
            describe(summary.id()).ifPresent(active::add);
        }
        return active;
    }

    @Override
    public void terminate(List<String> clusterIds)
    {
        for (int from = 0; from < clusterIds.size(); from += TERMINATE_BATCH) {
            List<String> batch = clusterIds.subList(from, Math.min(from + TERMINATE_BATCH, clusterIds.size()));
            emr.terminateJobFlows(request -> request.jobFlowIds(batch));
        }
    }

    private Optional<ActiveCluster> describe(String id)
    {
        Cluster cluster;
        try {
            cluster = emr.describeCluster(request -> request.clusterId(id)).cluster();
        }
        catch (InvalidRequestException e) {
            return Optional.empty();
        }
        if (!ACTIVE.contains(cluster.status().state())) {
            return Optional.empty();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag tag : cluster.tags()) {
            tags.put(tag.key(), tag.value());
        }
        return Optional.of(new ActiveCluster(cluster.id(), cluster.name(), tags));
    }
}
