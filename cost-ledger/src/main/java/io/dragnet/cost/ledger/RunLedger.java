package io.dragnet.cost.ledger;

import io.dragnet.cost.LedgerRow;

import java.util.List;

/** Where ledger rows are kept. Writing the same run again replaces its row (re-runs are idempotent). */
public interface RunLedger
{
    void write(LedgerRow row);

    /** Every row, ordered by date then run id. */
    List<LedgerRow> rows();
}
