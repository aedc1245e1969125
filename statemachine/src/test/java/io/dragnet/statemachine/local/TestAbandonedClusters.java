package io.dragnet.statemachine.local;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.Json;
import io.dragnet.storage.OwnerOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A killed embedded run leaves its cluster record WAITING; the next run marks it ended instead of running forever. */
class TestAbandonedClusters
{
    private static ClusterRecord record(String id, String state, String terminatedAt)
    {
        return new ClusterRecord(id, "run-" + id, "2018-11-02", state, "2018-11-02T03:00:00Z", "2018-11-02T03:00:05Z", terminatedAt, Map.of(), List.of(), List.of(), true);
    }

    @Test
    void recordsLeftRunningByAnotherProcessAreMarkedEnded(@TempDir Path results)
            throws Exception
    {
        Path clusters = Files.createDirectories(results.resolve("clusters"));
        OwnerOnly.writeAtomically(clusters.resolve("local-killed.json"), Json.write(record("local-killed", "WAITING", null)));
        Files.setLastModifiedTime(clusters.resolve("local-killed.json"), FileTime.from(Instant.parse("2018-11-02T03:20:00Z")));
        OwnerOnly.writeAtomically(clusters.resolve("local-done.json"), Json.write(record("local-done", "TERMINATED", "2018-11-02T04:00:00Z")));

        LocalEmr emr = new LocalEmr(results, ClusterEngine.none(), false, Clock.systemUTC());

        assertThat(emr.markAbandoned()).containsExactly("local-killed");
        ClusterRecord killed = Json.read(clusters.resolve("local-killed.json"), ClusterRecord.class);
        assertThat(killed.state()).isEqualTo("TERMINATED_WITH_ERRORS");
        assertThat(killed.terminatedAt()).as("last seen alive").isEqualTo("2018-11-02T03:20:00Z");
        assertThat(Json.read(clusters.resolve("local-done.json"), ClusterRecord.class)).isEqualTo(record("local-done", "TERMINATED", "2018-11-02T04:00:00Z"));
        assertThat(emr.markAbandoned()).as("marking twice changes nothing").isEmpty();
    }
}
