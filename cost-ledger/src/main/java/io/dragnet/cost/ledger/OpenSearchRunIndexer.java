package io.dragnet.cost.ledger;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.IndexNames;
import io.dragnet.cost.LedgerRow;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Indexes ledger rows into {@link IndexNames#RUNS_INDEX}, document id = the row's {@link LedgerRow#key()}, so an execution
 * re-recording its run replaces its document and another execution re-using the run id adds one.
 * Money goes as JSON numbers; {@code @timestamp} is the recording time; {@code cost_usd} repeats {@code total_cost} under
 * the name the {@code dragnet-runs} index template (opensearch-setup DocumentMappings.RUN_FIELDS) maps as double.
 */
public final class OpenSearchRunIndexer
        implements RunIndexer
{
    private final OpenSearchClient client;

    public OpenSearchRunIndexer(OpenSearchClient client)
    {
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public void index(LedgerRow row)
    {
        try {
            client.index(request -> request.index(IndexNames.RUNS_INDEX).id(row.key()).document(document(row)).refresh(Refresh.WaitFor));
        }
        catch (IOException | RuntimeException e) {
            throw DragnetException.external("cannot index run " + row.runId() + " into " + IndexNames.RUNS_INDEX + ": " + e.getMessage(), e);
        }
    }

    /** One bulk request for the whole ledger (a row a day), refreshed once. */
    @Override
    public void reconcile(List<LedgerRow> rows)
    {
        if (rows.isEmpty()) {
            return;
        }
        List<BulkOperation> operations = rows.stream()
                .map(row -> BulkOperation.of(operation -> operation.index(index -> index.index(IndexNames.RUNS_INDEX).id(row.key()).document(document(row)))))
                .toList();
        BulkResponse response;
        try {
            response = client.bulk(request -> request.operations(operations).refresh(Refresh.WaitFor));
        }
        catch (IOException | RuntimeException e) {
            throw DragnetException.external("cannot reconcile " + IndexNames.RUNS_INDEX + " with the ledger (" + rows.size() + " runs): " + e.getMessage(), e);
        }
        if (response.errors()) {
            List<String> failed = response.items().stream().filter(item -> item.error() != null).map(item -> item.id() + ": " + item.error().reason()).toList();
            throw DragnetException.external("cannot reconcile " + IndexNames.RUNS_INDEX + " with the ledger: " + failed.size() + " runs refused, first " + failed.get(0), null);
        }
    }

    static Map<String, Object> document(LedgerRow row)
    {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("@timestamp", row.recordedAt());
        for (Map.Entry<String, Object> cell : row.toMap().entrySet()) {
            Object value = cell.getValue();
            document.put(cell.getKey(), value instanceof BigDecimal decimal ? decimal.doubleValue() : value);
        }
        document.put("cost_usd", row.totalCost().doubleValue());
        return document;
    }
}
