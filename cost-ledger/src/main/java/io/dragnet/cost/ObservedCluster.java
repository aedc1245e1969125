package io.dragnet.cost;

import io.dragnet.contracts.ClusterRecord;

import static java.util.Objects.requireNonNull;

/**
 * A cluster record as read from EMR or from the embedded binding's file.
 *
 * @param availabilityZone the zone of the cluster's instances (spot prices are per zone), or null when unknown
 */
public record ObservedCluster(ClusterRecord record, String availabilityZone)
{
    public ObservedCluster
    {
        requireNonNull(record, "record is null");
    }
}
