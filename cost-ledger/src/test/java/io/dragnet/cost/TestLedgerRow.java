package io.dragnet.cost;

import io.dragnet.contracts.DragnetException;
import io.dragnet.cost.ledger.LedgerCsv;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestLedgerRow
{
    @Test
    void csvRoundTripKeepsCommasQuotesAndNewlinesInErrorCauses()
    {
        LedgerRow row = LedgerRow.of(new RunOutcome("run-1", "2018-11-02", RunOutcome.Status.FAILED, null, "States.TaskFailed",
                "step \"zeek_dns\" failed,\nsee s3://logs/j-1/steps/s-2/stderr.gz"), null, null, Instant.parse("2018-11-02T05:00:00Z"));

        String csv = LedgerCsv.write(List.of(row));

        assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo(String.join(",", LedgerRow.COLUMNS));
        assertThat(LedgerCsv.read(csv, "ledger.csv")).containsExactly(row);
    }

    @Test
    void aDamagedCellNamesTheFileLineAndColumn()
    {
        String csv = LedgerCsv.write(List.of(LedgerRow.of(new RunOutcome("run-1", "2018-11-02", RunOutcome.Status.NO_JOBS, null, null, null),
                null, null, Instant.parse("2018-11-02T05:00:00Z")))).replace(",false,false,", ",maybe,false,");

        assertThatThrownBy(() -> LedgerCsv.read(csv, "ledger.csv"))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("ledger.csv:2")
                .hasMessageContaining("estimate")
                .hasMessageContaining("true or false");
    }
}
