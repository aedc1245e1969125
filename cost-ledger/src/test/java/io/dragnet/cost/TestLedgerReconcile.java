package io.dragnet.cost;

import io.dragnet.cost.ledger.FileRunLedger;
import io.dragnet.cost.ledger.RunIndexer;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The runs index catches up with the ledger file on every recorded run. */
class TestLedgerReconcile
{
    /** The index as OpenSearch keeps it: one document per run id. */
    private static final class IndexByRunId
            implements RunIndexer
    {
        private final Map<String, LedgerRow> documents = new LinkedHashMap<>();

        @Override
        public void index(LedgerRow row)
        {
            documents.put(row.runId(), row);
        }
    }

    @Test
    void aFailedRunThatNeverReachedTheIndexIsIndexedByTheNextRun(@TempDir Path results)
    {
        FileRunLedger ledger = new FileRunLedger(results.resolve("ledger"));
        Instant now = Instant.parse("2018-11-03T05:00:00Z");
        ledger.write(LedgerRow.of(new RunOutcome("run-0", "2018-11-01", RunOutcome.Status.FAILED, null, "States.TaskFailed", "killed"), null, null, now));
        IndexByRunId index = new IndexByRunId();
        RunCostRecorder recorder = new RunCostRecorder(clusterId -> Optional.empty(), cluster -> null, new ObjectFolder(new LocalObjectStore(), results.toUri().toString()), ledger, index);

        recorder.record(new RunOutcome("run-1", "2018-11-02", RunOutcome.Status.NO_JOBS, null, null, null), now);
        recorder.record(new RunOutcome("run-1", "2018-11-02", RunOutcome.Status.NO_JOBS, null, null, null), now);

        assertThat(index.documents).containsOnlyKeys("run-0", "run-1");
        assertThat(index.documents.get("run-0").status()).isEqualTo("FAILED");
    }
}
