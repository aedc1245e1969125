package io.dragnet.cost.ledger;

import io.dragnet.cost.LedgerRow;

/** Publishes a ledger row to the search index cost owners read ({@code dragnet-runs}); document id = run id. */
public interface RunIndexer
{
    void index(LedgerRow row);

    RunIndexer NONE = row -> {};
}
