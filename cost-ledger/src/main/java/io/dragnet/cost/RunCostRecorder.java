package io.dragnet.cost;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunFolders;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.cost.ledger.RunIndexer;
import io.dragnet.cost.ledger.RunLedger;
import io.dragnet.storage.ObjectFolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * RecordRunCost without the Lambda plumbing: reads the cluster, prices it, reads the run metrics, writes the ledger
 * row, then brings the index up to the whole ledger (so a row whose indexing once failed is not lost to cost owners).
 * A run without a cluster (failed early, or no jobs) is recorded too, at zero cost.
 */
public final class RunCostRecorder
{
    private final ClusterSource clusters;
    private final Function<ObservedCluster, PriceTable> prices;
    private final ObjectFolder results;
    private final RunLedger ledger;
    private final RunIndexer indexer;

    /**
     * @param prices the price table for a cluster (a table file, or AWS prices for the cluster's types, zone and lifetime)
     * @param results the results location, for run metrics ({@code runs/dt=<date>/run=<runId>/*.metrics.json})
     */
    public RunCostRecorder(ClusterSource clusters, Function<ObservedCluster, PriceTable> prices, ObjectFolder results, RunLedger ledger, RunIndexer indexer)
    {
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.prices = requireNonNull(prices, "prices is null");
        this.results = requireNonNull(results, "results is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.indexer = requireNonNull(indexer, "indexer is null");
    }

    public LedgerRow record(RunOutcome outcome, Instant now)
    {
        Optional<ObservedCluster> cluster = outcome.clusterId() == null ? Optional.empty() : clusters.read(outcome.clusterId());
        LedgerRow row;
        if (cluster.isEmpty()) {
            row = LedgerRow.of(outcome, null, null, now);
            if (outcome.clusterId() != null) {
                row = withNote(row, "cluster record for " + outcome.clusterId() + " not found: cost unknown, recorded as zero");
            }
        }
        else {
            PriceTable table = prices.apply(cluster.get());
            ClusterRecord record = cluster.get().record();
            ClusterCost cost = CostCalculator.compute(record, table, cluster.get().availabilityZone(), metrics(record, outcome), now);
            row = LedgerRow.of(outcome, cost, table.source(), now);
        }
        ledger.write(row);
        indexer.reconcile(ledger.rows());
        return row;
    }

    /** The row this execution's run already has in the ledger (same day and {@link LedgerRow#key()}), if any. */
    public Optional<LedgerRow> recorded(RunOutcome outcome)
    {
        String key = LedgerRow.of(outcome, null, null, Instant.EPOCH).key();
        return ledger.rows().stream().filter(row -> row.date().equals(outcome.date()) && row.key().equals(key)).findFirst();
    }

    /** The metrics each step names, else every metrics file of the run under the results location. */
    private List<RunMetrics> metrics(ClusterRecord record, RunOutcome outcome)
    {
        List<RunMetrics> metrics = new ArrayList<>();
        for (ClusterRecord.Step step : record.steps()) {
            String location = step.metricsLocation();
            if (location == null || location.isBlank()) {
                continue;
            }
            results.store().readIfPresent(location).ifPresent(content -> metrics.add(parse(content, location)));
        }
        if (metrics.isEmpty()) {
            for (String key : results.list(RunFolders.relative(RunFolders.RUNS, outcome.date(), outcome.runId()) + "/")) {
                if (key.endsWith(".metrics.json")) {
                    results.read(key).ifPresent(content -> metrics.add(parse(content, results.uri(key))));
                }
            }
        }
        return metrics;
    }

    private static RunMetrics parse(byte[] content, String where)
    {
        try {
            return Json.mapper().readValue(content, RunMetrics.class);
        }
        catch (IOException e) {
            throw DragnetException.user("run metrics " + where + " are not valid RunMetrics JSON: " + e.getMessage());
        }
    }

    /** file:///abs, /abs or relative paths; other schemes (s3://) are not local. */
    static Optional<Path> localPath(String location)
    {
        if (location.startsWith("file:")) {
            return Optional.of(Path.of(URI.create(location)));
        }
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(location));
    }

    private static LedgerRow withNote(LedgerRow row, String note)
    {
        return new LedgerRow(row.runId(), row.date(), row.status(), row.clusterId(), row.estimate(), row.stillRunning(), row.recordedAt(),
                row.clusterCreatedAt(), row.clusterEndedAt(), row.durationSeconds(), row.fleet(), row.onDemandInstanceSeconds(),
                row.spotInstanceSeconds(), row.instanceSeconds(), row.ec2Cost(), row.emrCost(), row.ebsCost(), row.totalCost(),
                row.onDemandCost(), row.savings(), row.savingsPercent(), row.spotInterruptions(), row.recordsProcessed(),
                row.costPerMillionRecords(), row.stepDurations(), row.currency(), row.priceSource(), row.error(), row.cause(),
                row.note().isEmpty() ? note : row.note() + "; " + note, row.executionId(), row.problems());
    }
}
