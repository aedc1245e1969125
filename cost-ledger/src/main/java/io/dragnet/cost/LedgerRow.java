package io.dragnet.cost;

import io.dragnet.contracts.DragnetException;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * One row of the cost ledger: one daily run, flat, so that the CSV, the Parquet file and the {@code dragnet-runs}
 * document carry the same columns ({@link #COLUMNS}). Money in USD, rounded to the cent.
 *
 * @param estimate the figures come from the requested fleet and a price table, not from EMR's instance list
 * @param stillRunning the cluster had not terminated when recorded: the cost is partial and still rising
 * @param instanceSeconds billed instance-seconds by market and type, e.g. {@code ON_DEMAND m5.xlarge=3600;SPOT m5.xlarge=7200}
 * @param stepDurations seconds per step, e.g. {@code zeek_conn=1515;zeek_dns=running}
 * @param note human-readable flags (ESTIMATE, CLUSTER STILL RUNNING, no cluster…)
 * @param executionId the workflow execution that recorded the row, or null; part of the row's {@link #key()}
 * @param problems what the researcher asked for that did not run, one entry each (the list the run printed)
 */
public record LedgerRow(
        String runId,
        String date,
        String status,
        String clusterId,
        boolean estimate,
        boolean stillRunning,
        String recordedAt,
        String clusterCreatedAt,
        String clusterEndedAt,
        long durationSeconds,
        String fleet,
        long onDemandInstanceSeconds,
        long spotInstanceSeconds,
        String instanceSeconds,
        BigDecimal ec2Cost,
        BigDecimal emrCost,
        BigDecimal ebsCost,
        BigDecimal totalCost,
        BigDecimal onDemandCost,
        BigDecimal savings,
        BigDecimal savingsPercent,
        int spotInterruptions,
        long recordsProcessed,
        BigDecimal costPerMillionRecords,
        String stepDurations,
        String currency,
        String priceSource,
        String error,
        String cause,
        String note,
        String executionId,
        List<String> problems)
{
    /** What a row's money covers; shown wherever ledger figures are. */
    public static final String SCOPE = "EMR compute + storage only: the run cluster's EC2 instances, EMR fee and EBS volumes"
            + " (not Lambda, Step Functions, S3, OpenSearch, MSK or data transfer)";

    public static final List<String> COLUMNS = List.of(
            "run_id", "date", "status", "cluster_id", "estimate", "still_running", "recorded_at", "cluster_created_at", "cluster_ended_at",
            "duration_seconds", "fleet", "on_demand_instance_seconds", "spot_instance_seconds", "instance_seconds",
            "ec2_cost", "emr_cost", "ebs_cost", "total_cost", "on_demand_cost", "savings", "savings_percent",
            "spot_interruptions", "records_processed", "cost_per_million_records", "step_durations",
            "currency", "price_source", "error", "cause", "note", "execution_id", "problems");
    /** Columns that ledgers written before they existed lack; read as absent. */
    private static final List<String> LATER_COLUMNS = List.of("execution_id", "problems");
    /** Separates problems inside the one {@code problems} CSV cell. */
    private static final String PROBLEM_SEPARATOR = "\n";

    public LedgerRow
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(date, "date is null");
        requireNonNull(status, "status is null");
        requireNonNull(totalCost, "totalCost is null");
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /**
     * What identifies the row in the ledger and the run index: the run id, and the execution's name when a workflow
     * execution recorded it, so that two executions re-using a run id keep a row each while an execution recording
     * again (a retried RecordRunCost) replaces its own.
     */
    public String key()
    {
        if (executionId == null || executionId.isBlank()) {
            return runId;
        }
        String name = executionId.substring(executionId.lastIndexOf(':') + 1);
        return runId + "." + name;
    }

    /** @param cost null when the run had no cluster */
    public static LedgerRow of(RunOutcome outcome, ClusterCost cost, String priceSource, Instant recordedAt)
    {
        if (cost == null) {
            String note = outcome.status() == RunOutcome.Status.NO_JOBS
                    ? "no jobs: no cluster was created"
                    : "no cluster: the run ended before a cluster existed";
            BigDecimal zero = new BigDecimal("0.00");
            return new LedgerRow(outcome.runId(), outcome.date(), outcome.status().name(), outcome.clusterId(), false, false,
                    recordedAt.toString(), null, null, 0, "", 0, 0, "", zero, zero, zero, zero, zero, zero, new BigDecimal("0.0"),
                    0, 0, null, "", "USD", priceSource, outcome.error(), outcome.cause(), note, outcome.executionId(), outcome.problems());
        }
        List<String> notes = new ArrayList<>();
        if (cost.stillRunning()) {
            notes.add("CLUSTER STILL RUNNING when recorded: cost is partial and still rising — terminate " + cost.clusterId());
        }
        if (cost.estimate()) {
            notes.add("ESTIMATE from the requested fleet and price table " + priceSource);
        }
        long onDemandSeconds = cost.usage().stream().filter(usage -> usage.market().equals("ON_DEMAND")).mapToLong(ClusterCost.InstanceUsage::billedSeconds).sum();
        long spotSeconds = cost.usage().stream().filter(usage -> usage.market().equals("SPOT")).mapToLong(ClusterCost.InstanceUsage::billedSeconds).sum();
        String instanceSeconds = cost.usage().stream()
                .map(usage -> usage.market() + " " + usage.instanceType() + "=" + usage.billedSeconds())
                .collect(Collectors.joining(";"));
        String steps = cost.steps().stream()
                .map(step -> step.name() + "=" + (step.seconds() == null ? "unfinished" : step.seconds().toString()))
                .collect(Collectors.joining(";"));
        return new LedgerRow(outcome.runId(), outcome.date(), outcome.status().name(), cost.clusterId(), cost.estimate(), cost.stillRunning(),
                recordedAt.toString(), string(cost.createdAt()), string(cost.endedAt()), cost.durationSeconds(), cost.fleet(),
                onDemandSeconds, spotSeconds, instanceSeconds,
                cost.ec2Cost(), cost.emrCost(), cost.ebsCost(), cost.totalCost(), cost.onDemandCost(), cost.savings(), cost.savingsPercent(),
                cost.spotInterruptions(), cost.recordsProcessed(), cost.costPerMillionRecords(), steps,
                "USD", priceSource, outcome.error(), outcome.cause(), String.join("; ", notes), outcome.executionId(), outcome.problems());
    }

    /** Column name → value, in {@link #COLUMNS} order; numbers stay numbers, absent values are null. */
    public Map<String, Object> toMap()
    {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("run_id", runId);
        map.put("date", date);
        map.put("status", status);
        map.put("cluster_id", clusterId);
        map.put("estimate", estimate);
        map.put("still_running", stillRunning);
        map.put("recorded_at", recordedAt);
        map.put("cluster_created_at", clusterCreatedAt);
        map.put("cluster_ended_at", clusterEndedAt);
        map.put("duration_seconds", durationSeconds);
        map.put("fleet", fleet);
        map.put("on_demand_instance_seconds", onDemandInstanceSeconds);
        map.put("spot_instance_seconds", spotInstanceSeconds);
        map.put("instance_seconds", instanceSeconds);
        map.put("ec2_cost", ec2Cost);
        map.put("emr_cost", emrCost);
        map.put("ebs_cost", ebsCost);
        map.put("total_cost", totalCost);
        map.put("on_demand_cost", onDemandCost);
        map.put("savings", savings);
        map.put("savings_percent", savingsPercent);
        map.put("spot_interruptions", spotInterruptions);
        map.put("records_processed", recordsProcessed);
        map.put("cost_per_million_records", costPerMillionRecords);
        map.put("step_durations", stepDurations);
        map.put("currency", currency);
        map.put("price_source", priceSource);
        map.put("error", error);
        map.put("cause", cause);
        map.put("note", note);
        map.put("execution_id", executionId);
        map.put("problems", problems);
        return map;
    }

    /** The CSV cells of this row, in {@link #COLUMNS} order; null becomes the empty string. */
    public List<String> toCells()
    {
        return toMap().values().stream().map(LedgerRow::cell).toList();
    }

    private static String cell(Object value)
    {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Object::toString).collect(Collectors.joining(PROBLEM_SEPARATOR));
        }
        return value.toString();
    }

    /** Parses the cells of one CSV row (by column name); {@code where} names the file and line for errors. */
    public static LedgerRow fromCells(Map<String, String> cells, String where)
    {
        for (String column : COLUMNS) {
            if (!cells.containsKey(column) && !LATER_COLUMNS.contains(column)) {
                throw DragnetException.user(where + ": ledger column '" + column + "' is missing");
            }
        }
        Reader reader = new Reader(cells, where);
        return new LedgerRow(reader.text("run_id"), reader.text("date"), reader.text("status"), reader.optional("cluster_id"),
                reader.bool("estimate"), reader.bool("still_running"), reader.optional("recorded_at"), reader.optional("cluster_created_at"),
                reader.optional("cluster_ended_at"), reader.whole("duration_seconds"), reader.text("fleet"), reader.whole("on_demand_instance_seconds"),
                reader.whole("spot_instance_seconds"), reader.text("instance_seconds"), reader.money("ec2_cost"), reader.money("emr_cost"),
                reader.money("ebs_cost"), reader.money("total_cost"), reader.money("on_demand_cost"), reader.money("savings"),
                reader.money("savings_percent"), (int) reader.whole("spot_interruptions"), reader.whole("records_processed"),
                reader.optionalMoney("cost_per_million_records"), reader.text("step_durations"), reader.text("currency"), reader.optional("price_source"),
                reader.optional("error"), reader.optional("cause"), reader.text("note"), reader.optional("execution_id"),
                reader.text("problems").isEmpty() ? List.of() : List.of(reader.text("problems").split(PROBLEM_SEPARATOR, -1)));
    }

    private static String string(Instant instant)
    {
        return instant == null ? null : instant.toString();
    }

    private record Reader(Map<String, String> cells, String where)
    {
        String text(String column)
        {
            String value = cells.get(column);
            return value == null ? "" : value;
        }

        String optional(String column)
        {
            String value = cells.get(column);
            return value == null || value.isEmpty() ? null : value;
        }

        boolean bool(String column)
        {
            String value = text(column);
            if (!value.equals("true") && !value.equals("false")) {
                throw DragnetException.user(where + ": column " + column + " is '" + value + "', expected true or false");
            }
            return Boolean.parseBoolean(value);
        }

        long whole(String column)
        {
            try {
                return Long.parseLong(text(column));
            }
            catch (NumberFormatException e) {
                throw DragnetException.user(where + ": column " + column + " is '" + text(column) + "', expected a whole number");
            }
        }

        BigDecimal money(String column)
        {
            try {
                return new BigDecimal(text(column));
            }
            catch (NumberFormatException e) {
                throw DragnetException.user(where + ": column " + column + " is '" + text(column) + "', expected a decimal");
            }
        }

        BigDecimal optionalMoney(String column)
        {
            return optional(column) == null ? null : money(column);
        }
    }
}
