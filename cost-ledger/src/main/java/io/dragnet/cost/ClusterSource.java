package io.dragnet.cost;

import java.util.Optional;

/** Reads what is known of a cluster: EMR's API on AWS, {@code <results>/clusters/<id>.json} in the embedded default. */
public interface ClusterSource
{
    Optional<ObservedCluster> read(String clusterId);
}
