package io.dragnet.cost.report;

import io.dragnet.cost.LedgerRow;

import java.util.ArrayList;
import java.util.List;

/** The runs of the ledger as a fixed-width terminal table, still-running clusters flagged on their own line. */
public final class RunsTable
{
    static final List<String> HEADER = List.of("date", "run", "status", "duration", "fleet", "cost $", "on-demand $", "savings", "interrupts", "records", "$/M records", "flags");

    private RunsTable() {}

    public static String render(List<LedgerRow> rows)
    {
        List<List<String>> lines = new ArrayList<>();
        lines.add(HEADER);
        for (LedgerRow row : rows) {
            lines.add(List.of(row.date(), row.runId(), row.status(), duration(row.durationSeconds()), row.fleet().isEmpty() ? "-" : row.fleet(),
                    row.totalCost().toPlainString(), row.onDemandCost().toPlainString(), row.savingsPercent().toPlainString() + " %",
                    Integer.toString(row.spotInterruptions()), Long.toString(row.recordsProcessed()),
                    row.costPerMillionRecords() == null ? "-" : row.costPerMillionRecords().toPlainString(), flags(row)));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (int l = 0; l < lines.size(); l++) {
            List<String> line = lines.get(l);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                boolean number = l > 0 && i >= 5 && i <= 10;
                out.append(number ? " ".repeat(widths[i] - cell.length()) + cell : cell + " ".repeat(widths[i] - cell.length()));
                out.append(i + 1 < line.size() ? "  " : "");
            }
            text.append(out.toString().stripTrailing()).append('\n');
            if (l == 0) {
                text.append("-".repeat(out.toString().stripTrailing().length())).append('\n');
            }
        }
        long running = rows.stream().filter(LedgerRow::stillRunning).count();
        if (running > 0) {
            text.append("!! ").append(running).append(" run(s) recorded while the cluster was STILL RUNNING: their cost is partial and rising; check they were terminated.\n");
        }
        if (rows.stream().anyMatch(LedgerRow::estimate)) {
            text.append("Runs flagged 'estimate' are priced from the requested fleet and a price table, not from EMR's instance list.\n");
        }
        return text.toString();
    }

    static String flags(LedgerRow row)
    {
        List<String> flags = new ArrayList<>();
        if (row.stillRunning()) {
            flags.add("STILL RUNNING!");
        }
        if (row.estimate()) {
            flags.add("estimate");
        }
        return String.join(",", flags);
    }

    static String duration(long seconds)
    {
        return String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
