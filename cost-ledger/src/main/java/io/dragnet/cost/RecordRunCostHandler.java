package io.dragnet.cost;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.cost.ledger.FileRunLedger;
import io.dragnet.cost.ledger.OpenSearchRunIndexer;
import io.dragnet.cost.ledger.RunIndexer;
import io.dragnet.opensearch.OpenSearchClients;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The RecordRunCost state: called at the end of every daily run, successful or failed.
 *
 * <p>Input: {@code runId}, {@code date}, {@code status} (SUCCEEDED, FAILED, NO_JOBS), {@code clusterId} (absent when no
 * cluster existed), {@code error}/{@code cause} (or a Step Functions Catch object {@code error: {Error, Cause}}),
 * {@code resultsLocation}, optional {@code pricesLocation} (default {@code <repo root>/samples/prices}, the repo root from
 * system property {@code dragnet.repo.root} or env {@code DRAGNET_REPO_ROOT}, else the working directory) and optional
 * {@code opensearchConnection} (path to the connection JSON; default {@link OpenSearchConnection#defaultFile}).
 * Embedded binding: the cluster is read from {@code <results>/clusters/<clusterId>.json} and every figure is an estimate.
 * Output: the ledger row's key figures; money as decimal strings.
 */
public final class RecordRunCostHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
    {
        RunOutcome outcome = outcome(input);
        Path results = RunCostRecorder.localPath(required(input, "resultsLocation"))
                .orElseThrow(() -> DragnetException.user("resultsLocation " + input.get("resultsLocation")
                        + ": this binding writes the ledger to local results only (file:// or a path)"));
        Path pricesDirectory = input.get("pricesLocation") == null
                ? repoRoot().resolve("samples").resolve("prices")
                : RunCostRecorder.localPath(input.get("pricesLocation").toString())
                        .orElseThrow(() -> DragnetException.user("pricesLocation " + input.get("pricesLocation") + " must be a local directory"));
        FileRunLedger ledger = new FileRunLedger(results.resolve("ledger"));
        OpenSearchClient client = openSearchClient(input);
        try {
            RunIndexer indexer = client == null ? RunIndexer.NONE : new OpenSearchRunIndexer(client);
            RunCostRecorder recorder = new RunCostRecorder(new FileClusterSource(results), () -> PriceTableFiles.load(pricesDirectory), results, ledger, indexer);
            LedgerRow row = recorder.record(outcome, Instant.now());
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("runId", row.runId());
            output.put("status", row.status());
            output.put("clusterId", row.clusterId());
            output.put("estimate", row.estimate());
            output.put("stillRunning", row.stillRunning());
            output.put("totalCost", row.totalCost().toPlainString());
            output.put("onDemandCost", row.onDemandCost().toPlainString());
            output.put("savingsPercent", row.savingsPercent().toPlainString());
            output.put("spotInterruptions", row.spotInterruptions());
            output.put("currency", row.currency());
            output.put("ledgerFile", ledger.runFile(row.date(), row.runId()).toUri().toString());
            output.put("indexed", client != null);
            output.put("note", row.note());
            return output;
        }
        finally {
            if (client != null) {
                try {
                    client._transport().close();
                }
                catch (Exception e) {
                    // closing a finished client cannot change the recorded row
                }
            }
        }
    }

    static RunOutcome outcome(Map<String, Object> input)
    {
        Object error = input.get("error");
        String errorName = null;
        String cause = input.get("cause") == null ? null : input.get("cause").toString();
        if (error instanceof Map<?, ?> caught) {
            errorName = caught.get("Error") == null ? null : caught.get("Error").toString();
            cause = caught.get("Cause") == null ? cause : caught.get("Cause").toString();
        }
        else if (error != null) {
            errorName = error.toString();
        }
        Object clusterId = input.get("clusterId");
        return new RunOutcome(required(input, "runId"), required(input, "date"), RunOutcome.status(required(input, "status")),
                clusterId == null || clusterId.toString().isBlank() ? null : clusterId.toString(), errorName, cause);
    }

    private static OpenSearchClient openSearchClient(Map<String, Object> input)
    {
        Path file = input.get("opensearchConnection") != null
                ? Path.of(input.get("opensearchConnection").toString())
                : OpenSearchConnection.defaultFile(DragnetHome.fromEnvironment());
        if (!Files.exists(file)) {
            return null;
        }
        return OpenSearchClients.create(Json.read(file, OpenSearchConnection.class));
    }

    static Path repoRoot()
    {
        String property = System.getProperty("dragnet.repo.root");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String environment = System.getenv("DRAGNET_REPO_ROOT");
        return Path.of(environment == null || environment.isBlank() ? "." : environment);
    }

    private static String required(Map<String, Object> input, String key)
    {
        Object value = input.get(key);
        if (value == null || value.toString().isBlank()) {
            throw DragnetException.user("RecordRunCost input has no '" + key + "'; got keys " + input.keySet());
        }
        return value.toString();
    }
}
