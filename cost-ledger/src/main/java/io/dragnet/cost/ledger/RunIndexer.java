package io.dragnet.cost.ledger;

import io.dragnet.cost.LedgerRow;

import java.util.List;

/** Publishes a ledger row to the search index cost owners read ({@code dragnet-runs}); document id = run id. */
public interface RunIndexer
{
    void index(LedgerRow row);

    /**
     * Makes the index hold every row of the ledger: a row whose indexing failed once (the node was down when a failed
     * run was recorded) reaches the index at the next run. Ids are run ids, so rows already there are replaced by the same.
     */
    default void reconcile(List<LedgerRow> rows)
    {
        rows.forEach(this::index);
    }

    RunIndexer NONE = row -> {};
}
