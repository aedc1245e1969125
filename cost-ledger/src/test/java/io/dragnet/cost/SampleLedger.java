package io.dragnet.cost;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.ClusterRecord.Instance;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.cost.ledger.FileRunLedger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Five days of runs priced with the sample price table: mixed fleets, a spot interruption, a failed run, one still running. */
final class SampleLedger
{
    private SampleLedger() {}

    static List<LedgerRow> write(Path results)
    {
        PriceTable prices = PriceTableFiles.load(TestPriceTableFiles.samplePrices());
        FileRunLedger ledger = new FileRunLedger(results.resolve("ledger"));
        List<LedgerRow> rows = new ArrayList<>();
        for (int day = 1; day <= 5; day++) {
            String date = "2018-11-0" + day;
            String runId = "run-" + date.replace("-", "");
            String start = date + "T03:00:00Z";
            String end = date + "T0" + (3 + day % 3 + 1) + ":1" + day + ":00Z";
            List<Instance> instances = new ArrayList<>();
            instances.add(new Instance("i-m" + day, "MASTER", "m5.xlarge", "ON_DEMAND", start, day == 5 ? null : end, day == 5 ? null : "CLUSTER_TERMINATED"));
            for (int core = 1; core <= 1 + day; core++) {
                String type = core % 2 == 0 ? "m5a.xlarge" : "m5.xlarge";
                boolean reclaimed = day == 3 && core == 2;
                instances.add(new Instance("i-c" + day + core, "CORE", type, "SPOT", start,
                        day == 5 ? null : reclaimed ? date + "T03:40:00Z" : end,
                        day == 5 ? null : reclaimed ? "SPOT_INSTANCE_TERMINATION" : "CLUSTER_TERMINATED"));
            }
            RunOutcome outcome = new RunOutcome(runId, date, day == 4 ? RunOutcome.Status.FAILED : RunOutcome.Status.SUCCEEDED, "j-" + day,
                    day == 4 ? "States.TaskFailed" : null, day == 4 ? "step zeek_dns failed" : null);
            ClusterRecord cluster = new ClusterRecord("j-" + day, runId, date, day == 5 ? "RUNNING" : "TERMINATED", start, start,
                    day == 5 ? null : end, Map.of(), instances, List.of(), false);
            RunMetrics metrics = new RunMetrics(runId, date, "zeek_conn", 1_000_000L * day, 0, 5, 0, null, null, null, 1000);
            Instant recordedAt = Instant.parse(date + "T06:30:00Z");
            ClusterCost cost = CostCalculator.compute(cluster, prices, null, List.of(metrics), recordedAt);
            rows.add(LedgerRow.of(outcome, cost, prices.source(), recordedAt));
        }
        rows.add(LedgerRow.of(new RunOutcome("run-20181103-retry", "2018-11-03", RunOutcome.Status.FAILED, null, "States.TaskFailed", "GenerateJobs failed"),
                null, null, Instant.parse("2018-11-03T07:00:00Z")));
        rows.forEach(ledger::write);
        return rows;
    }
}
