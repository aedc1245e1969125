package io.dragnet.cost;

import io.dragnet.contracts.DragnetException;
import io.dragnet.cost.aws.AwsClients;
import io.dragnet.cost.ledger.FileRunLedger;
import io.dragnet.opensearch.client.SigV4VerifyingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RecordRunCost writes the ledger index with SigV4, as on AWS, to a stand-in that verifies every signature. */
class TestRecordRunCostSigV4
{
    private static final String INDEXED = """
            {"took":1,"errors":false,"items":[{"index":{"_index":"dragnet-runs","_id":"run-9","status":201,"result":"created",
            "_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"_version":1}}]}""";

    @TempDir
    Path temp;

    private SigV4VerifyingServer domain;

    @BeforeEach
    void start()
    {
        domain = SigV4VerifyingServer.start(call -> call.method().equals("POST") && call.path().equals("/_bulk")
                ? SigV4VerifyingServer.Reply.json(200, INDEXED)
                : SigV4VerifyingServer.Reply.json(404, "{}"), temp);
    }

    @AfterEach
    void stop()
    {
        domain.close();
    }

    @Test
    void theLedgerRowIsIndexedWithAValidSignature()
            throws Exception
    {
        Map<String, Object> output;
        try (AutoCloseable credentials = SigV4VerifyingServer.processCredentials(SigV4VerifyingServer.SECRET_ACCESS_KEY)) {
            output = new RecordRunCostHandler(AwsClients.fromEnvironment(), domain.environment()).handleRequest(input(), null);
        }

        assertThat(output).containsEntry("indexed", true);
        assertThat(domain.verdicts()).singleElement().satisfies(verdict -> assertThat(verdict.problem()).isNull());
        assertThat(domain.accepted()).singleElement().satisfies(call -> {
            assertThat(call.query()).isEqualTo("refresh=wait_for");
            assertThat(call.bodyText()).contains("{\"index\":{\"_id\":\"run-9\",\"_index\":\"dragnet-runs\"}}").contains("\"NO_JOBS\"");
        });
    }

    @Test
    void aRefusedIndexFailsTheStepAfterTheLedgerRowIsSafe()
            throws Exception
    {
        try (AutoCloseable credentials = SigV4VerifyingServer.processCredentials("an-expired-secret")) {
            RecordRunCostHandler handler = new RecordRunCostHandler(AwsClients.fromEnvironment(), domain.environment());
            assertThatThrownBy(() -> handler.handleRequest(input(), null))
                    .isInstanceOf(DragnetException.class)
                    .hasMessageContaining("cannot reconcile dragnet-runs with the ledger (1 runs)");
        }
        assertThat(domain.accepted()).isEmpty();
        assertThat(new FileRunLedger(temp.resolve("results/ledger")).rows()).singleElement()
                .satisfies(row -> assertThat(row.runId()).isEqualTo("run-9"));
    }

    private Map<String, Object> input()
    {
        Map<String, Object> input = new HashMap<>();
        input.put("runId", "run-9");
        input.put("date", "2018-11-02");
        input.put("status", "NO_JOBS");
        input.put("resultsLocation", temp.resolve("results").toUri().toString());
        return input;
    }
}
