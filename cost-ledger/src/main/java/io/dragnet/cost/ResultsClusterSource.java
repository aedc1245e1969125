package io.dragnet.cost;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.storage.ObjectFolder;

import java.io.IOException;
import java.util.Optional;

/** Cluster records written by the embedded EMR binding to {@code <results>/clusters/<clusterId>.json}. */
public final class ResultsClusterSource
        implements ClusterSource
{
    private final ObjectFolder results;

    public ResultsClusterSource(ObjectFolder results)
    {
        this.results = results;
    }

    @Override
    public Optional<ObservedCluster> read(String clusterId)
    {
        if (!clusterId.matches("[A-Za-z0-9._-]+")) {
            throw DragnetException.user("cluster id '" + clusterId + "' has characters an object name cannot carry");
        }
        String key = "clusters/" + clusterId + ".json";
        Optional<byte[]> content = results.read(key);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ObservedCluster(Json.mapper().readValue(content.get(), ClusterRecord.class), null));
        }
        catch (IOException e) {
            throw DragnetException.user("cluster record " + results.uri(key) + " is not a valid ClusterRecord: " + e.getMessage());
        }
    }
}
