package io.dragnet.cost;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Cluster records written by the embedded EMR binding to {@code <results>/clusters/<clusterId>.json}. */
public final class FileClusterSource
        implements ClusterSource
{
    private final Path results;

    public FileClusterSource(Path results)
    {
        this.results = results;
    }

    @Override
    public Optional<ObservedCluster> read(String clusterId)
    {
        if (!clusterId.matches("[A-Za-z0-9._-]+")) {
            throw DragnetException.user("cluster id '" + clusterId + "' has characters a file name cannot carry");
        }
        Path file = results.resolve("clusters").resolve(clusterId + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ObservedCluster(Json.read(file, ClusterRecord.class), null));
        }
        catch (UncheckedIOException e) {
            throw DragnetException.user("cluster record " + file + " is not a valid ClusterRecord: " + e.getMessage());
        }
    }
}
