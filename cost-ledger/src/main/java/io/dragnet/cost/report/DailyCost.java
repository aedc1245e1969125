package io.dragnet.cost.report;

import io.dragnet.cost.LedgerRow;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * All runs of one day added up.
 *
 * @param costPerMillionRecords total / records × 1,000,000, 4 decimals; null when no record was read that day
 */
public record DailyCost(String date, int runs, BigDecimal totalCost, BigDecimal onDemandCost, BigDecimal savings, BigDecimal savingsPercent,
        long recordsProcessed, BigDecimal costPerMillionRecords, int spotInterruptions, boolean anyEstimate, boolean anyStillRunning)
{
    public static List<DailyCost> of(List<LedgerRow> rows)
    {
        Map<String, List<LedgerRow>> byDate = new TreeMap<>();
        for (LedgerRow row : rows) {
            byDate.computeIfAbsent(row.date(), key -> new ArrayList<>()).add(row);
        }
        List<DailyCost> days = new ArrayList<>();
        for (Map.Entry<String, List<LedgerRow>> day : byDate.entrySet()) {
            BigDecimal total = BigDecimal.ZERO.setScale(2);
            BigDecimal onDemand = BigDecimal.ZERO.setScale(2);
            long records = 0;
            int interruptions = 0;
            boolean estimate = false;
            boolean running = false;
            for (LedgerRow row : day.getValue()) {
                total = total.add(row.totalCost());
                onDemand = onDemand.add(row.onDemandCost());
                records += row.recordsProcessed();
                interruptions += row.spotInterruptions();
                estimate |= row.estimate();
                running |= row.stillRunning();
            }
            BigDecimal savings = onDemand.subtract(total);
            BigDecimal percent = onDemand.signum() == 0 ? BigDecimal.ZERO.setScale(1) : savings.multiply(BigDecimal.valueOf(100)).divide(onDemand, 1, RoundingMode.HALF_UP);
            BigDecimal perMillion = records == 0 ? null : total.multiply(BigDecimal.valueOf(1_000_000)).divide(BigDecimal.valueOf(records), 4, RoundingMode.HALF_UP);
            days.add(new DailyCost(day.getKey(), day.getValue().size(), total, onDemand, savings, percent, records, perMillion, interruptions, estimate, running));
        }
        return days;
    }
}
