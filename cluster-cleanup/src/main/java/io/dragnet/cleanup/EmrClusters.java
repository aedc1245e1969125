package io.dragnet.cleanup;

import java.util.List;

/** The part of EMR that cleanup needs; bound to the AWS SDK on AWS and to the local EMR binding on one machine. */
public interface EmrClusters
{
    /** Every cluster in STARTING, BOOTSTRAPPING, RUNNING or WAITING, with its tags, in the order EMR lists them. */
    List<ActiveCluster> activeClusters();

    /** Asks EMR to terminate these clusters (TerminateJobFlows); terminating an already ended cluster is not an error. */
    void terminate(List<String> clusterIds);
}
