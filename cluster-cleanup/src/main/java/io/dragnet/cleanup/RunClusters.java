package io.dragnet.cleanup;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A run's clusters, found by the {@link RunTags#EXECUTION} tag. {@link #find} is the "look" of CreateCluster's
 * look-before-you-create (RunJobFlow is not idempotent: a create whose answer was lost may still have made a
 * cluster); {@link #terminateAll} is what runs when an execution ends FAILED, TIMED_OUT or ABORTED.
 */
public final class RunClusters
{
    private final EmrClusters emr;

    public RunClusters(EmrClusters emr)
    {
        this.emr = requireNonNull(emr, "emr is null");
    }

    /** The active cluster of this execution, if one exists (the first EMR lists). */
    public Optional<String> find(String executionArn)
    {
        return tagged(executionArn).stream().findFirst();
    }

    /** Terminates every active cluster of this execution and returns their ids (empty when there is none). */
    public List<String> terminateAll(String executionArn)
    {
        List<String> ids = tagged(executionArn);
        if (!ids.isEmpty()) {
            emr.terminate(ids);
        }
        return ids;
    }

    private List<String> tagged(String executionArn)
    {
        requireNonNull(executionArn, "executionArn is null");
        return emr.activeClusters().stream()
                .filter(cluster -> cluster.tagged(RunTags.EXECUTION, executionArn))
                .map(ActiveCluster::id)
                .toList();
    }
}
