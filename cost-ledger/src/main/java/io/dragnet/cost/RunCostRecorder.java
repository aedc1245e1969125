package io.dragnet.cost;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.cost.ledger.RunIndexer;
import io.dragnet.cost.ledger.RunLedger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * RecordRunCost without the Lambda plumbing: reads the cluster, prices it, reads the run metrics, writes the ledger
 * row and indexes it. A run without a cluster (failed early, or no jobs) is recorded too, at zero cost.
 */
public final class RunCostRecorder
{
    private final ClusterSource clusters;
    private final Supplier<PriceTable> prices;
    private final Path results;
    private final RunLedger ledger;
    private final RunIndexer indexer;

    /**
     * @param results local results directory, for run metrics when steps name no metrics location; may be null on AWS
     */
    public RunCostRecorder(ClusterSource clusters, Supplier<PriceTable> prices, Path results, RunLedger ledger, RunIndexer indexer)
    {
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.prices = requireNonNull(prices, "prices is null");
        this.results = results;
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
            PriceTable table = prices.get();
            ClusterRecord record = cluster.get().record();
            ClusterCost cost = CostCalculator.compute(record, table, cluster.get().availabilityZone(), metrics(record, outcome), now);
            row = LedgerRow.of(outcome, cost, table.source(), now);
        }
        ledger.write(row);
        indexer.index(row);
        return row;
    }

    private List<RunMetrics> metrics(ClusterRecord record, RunOutcome outcome)
    {
        List<Path> files = new ArrayList<>();
        for (ClusterRecord.Step step : record.steps()) {
            if (step.metricsLocation() != null && !step.metricsLocation().isBlank()) {
                localPath(step.metricsLocation()).filter(Files::exists).ifPresent(files::add);
            }
        }
        if (files.isEmpty() && results != null) {
            Path runDirectory = results.resolve("runs").resolve("dt=" + outcome.date()).resolve("run=" + outcome.runId());
            if (Files.isDirectory(runDirectory)) {
                try (Stream<Path> listing = Files.list(runDirectory)) {
                    listing.filter(file -> file.getFileName().toString().endsWith(".metrics.json")).sorted().forEach(files::add);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        List<RunMetrics> metrics = new ArrayList<>();
        for (Path file : files) {
            try {
                metrics.add(Json.read(file, RunMetrics.class));
            }
            catch (UncheckedIOException e) {
                throw DragnetException.user("run metrics " + file + " are not valid RunMetrics JSON: " + e.getMessage());
            }
        }
        return metrics;
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
                row.note().isEmpty() ? note : row.note() + "; " + note);
    }
}
