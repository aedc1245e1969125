package io.dragnet.cost;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.cost.aws.AwsClients;
import io.dragnet.cost.ledger.FileRunLedger;
import io.dragnet.cost.ledger.ParquetLedgerFile;
import io.dragnet.storage.OwnerOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestRecordRunCostHandler
{
    @TempDir
    Path results;

    @Test
    void embeddedRunIsPricedFromTheSampleTableAndWrittenAsCsvAndParquet()
    {
        // CORE spot target 2 over m5.xlarge / m5a.xlarge: at 03:00 the highest zone prices are 0.075 and 0.071 → m5a.xlarge.
        // MASTER on-demand m5.xlarge. One hour.
        // EC2: 0.192 + 2 × 0.071 = 0.334 → 0.33; EMR: 0.048 + 2 × 0.043 = 0.134 → 0.13;
        // EBS (no release label: a current one, gp3 roots): 3 × 15 GiB × 3600 s × 0.08 / 2,628,000 = 0.00493 → 0.00; total 0.46.
        // On-demand: 0.192 + 2 × 0.172 = 0.536 → 0.54 + 0.13 + 0.00 = 0.67; savings 0.21 / 0.67 = 31.3 %.
        Path metrics = results.resolve("runs/dt=2018-11-02/run=run-1/zeek_conn.metrics.json");
        OwnerOnly.writeAtomically(metrics, Json.write(new RunMetrics("run-1", "2018-11-02", "zeek_conn", 4_700_000, 0, 12, 0, null, null, null, 60_000)));
        OwnerOnly.writeAtomically(results.resolve("clusters/local-run-1.json"), Json.write(new ClusterRecord("local-run-1", "run-1", "2018-11-02", "TERMINATED",
                "2018-11-02T03:00:00Z", "2018-11-02T03:00:00Z", "2018-11-02T04:00:00Z",
                Map.of("Instances", Map.of("InstanceFleets", List.of(
                        Map.of("InstanceFleetType", "MASTER", "TargetOnDemandCapacity", 1, "InstanceTypeConfigs", List.of(Map.of("InstanceType", "m5.xlarge"))),
                        Map.of("InstanceFleetType", "CORE", "TargetSpotCapacity", 2, "InstanceTypeConfigs",
                                List.of(Map.of("InstanceType", "m5.xlarge"), Map.of("InstanceType", "m5a.xlarge")))))),
                List.of(),
                List.of(new ClusterRecord.Step("s-1", "zeek_conn", "COMPLETED", "2018-11-02T03:01:00Z", "2018-11-02T03:59:00Z", metrics.toUri().toString())),
                true)));

        Map<String, Object> output = handler().handleRequest(input("run-1", "SUCCEEDED", "local-run-1"), null);

        assertThat(output).containsEntry("totalCost", "0.46").containsEntry("onDemandCost", "0.67").containsEntry("savingsPercent", "31.3")
                .containsEntry("estimate", true).containsEntry("stillRunning", false).containsEntry("indexed", false);
        FileRunLedger ledger = new FileRunLedger(results.resolve("ledger"));
        LedgerRow row = ledger.rows().get(0);
        assertThat(row.fleet()).isEqualTo("MASTER 1×m5.xlarge on-demand; CORE 2×m5a.xlarge spot");
        assertThat(row.recordsProcessed()).isEqualTo(4_700_000);
        // 0.46 / 4.7 = 0.097872… per million records
        assertThat(row.costPerMillionRecords()).isEqualByComparingTo("0.0979");
        assertThat(row.stepDurations()).isEqualTo("zeek_conn=3480");
        assertThat(row.note()).contains("ESTIMATE");
        assertThat(row.instanceSeconds()).isEqualTo("ON_DEMAND m5.xlarge=3600;SPOT m5a.xlarge=7200");

        Map<String, Object> parquet = ParquetLedgerFile.read(ledger.parquetFile("2018-11-02", "run-1")).get(0);
        assertThat(parquet).containsEntry("total_cost", new BigDecimal("0.46")).containsEntry("cost_per_million_records", new BigDecimal("0.0979"))
                .containsEntry("estimate", true).containsEntry("spot_instance_seconds", 7200L).containsEntry("run_id", "run-1");
        assertThat(FileRunLedger.read(ledger.combinedFile())).containsExactly(row);
    }

    @Test
    void failedRunWithoutAClusterAndAReRunAreBothInTheCombinedViewOnce()
    {
        // the payload of daily-run.asl.json's RecordFailedRunWithoutCluster state: outcome, clusterId null, the Catch's error object
        Map<String, Object> failed = input("run-2", "FAILED", null);
        failed.remove("status");
        failed.put("outcome", "FAILED");
        failed.put("clusterId", null);
        failed.put("workLocation", results.resolve("work").toUri().toString());
        failed.put("executionId", "arn:aws:states:local:000000000000:execution:daily-run:run-2");
        failed.put("error", Map.of("Error", "States.TaskFailed", "Cause", "GenerateJobs: rules/c2.yaml:3:5: unknown field"));

        handler().handleRequest(failed, null);
        handler().handleRequest(input("run-3", "NO_JOBS", null), null);
        handler().handleRequest(failed, null);

        List<LedgerRow> rows = FileRunLedger.read(results.resolve("ledger/ledger.csv"));
        assertThat(rows).extracting(LedgerRow::runId).containsExactlyInAnyOrder("run-2", "run-3");
        LedgerRow failedRow = rows.stream().filter(row -> row.runId().equals("run-2")).findFirst().orElseThrow();
        assertThat(failedRow.status()).isEqualTo("FAILED");
        assertThat(failedRow.error()).isEqualTo("States.TaskFailed");
        assertThat(failedRow.cause()).contains("rules/c2.yaml:3:5");
        assertThat(failedRow.totalCost()).isEqualByComparingTo("0.00");
        assertThat(failedRow.note()).contains("no cluster");
    }

    @Test
    void twoExecutionsReusingARunIdKeepARowEachWithTheirProblems()
    {
        Map<String, Object> first = input("run-5", "NO_JOBS", null);
        first.put("executionId", "arn:aws:states:local:000000000000:execution:dragnet-daily-run:daily-2018-11-02-a");
        first.put("problems", List.of("rules/c2.yaml:4:3: rule c2-x: unknown field 'matchh'", "source zeek_ssl has no data for 2018-11-02"));
        Map<String, Object> second = input("run-5", "NO_JOBS", null);
        second.put("executionId", "arn:aws:states:local:000000000000:execution:dragnet-daily-run:daily-2018-11-02-b");

        Map<String, Object> output = handler().handleRequest(first, null);
        handler().handleRequest(second, null);
        handler().handleRequest(first, null);

        assertThat(output.get("problems")).isEqualTo(first.get("problems"));
        FileRunLedger ledger = new FileRunLedger(results.resolve("ledger"));
        List<LedgerRow> rows = FileRunLedger.read(ledger.combinedFile());
        assertThat(rows).extracting(LedgerRow::key).containsExactlyInAnyOrder("run-5.daily-2018-11-02-a", "run-5.daily-2018-11-02-b");
        LedgerRow withProblems = rows.stream().filter(row -> row.key().endsWith("-a")).findFirst().orElseThrow();
        assertThat(withProblems.problems()).isEqualTo(first.get("problems"));
        assertThat(rows.stream().filter(row -> row.key().endsWith("-b")).findFirst().orElseThrow().problems()).isEmpty();
        assertThat(ParquetLedgerFile.read(ledger.parquetFile("2018-11-02", "run-5.daily-2018-11-02-a")).get(0))
                .containsEntry("problems", first.get("problems"))
                .containsEntry("execution_id", first.get("executionId"));
    }

    @Test
    void ledgerFilesWrittenBeforeExecutionsAndProblemsWereRecordedStillRead()
    {
        String header = String.join(",", LedgerRow.COLUMNS.subList(0, LedgerRow.COLUMNS.size() - 2));
        String row = "run-0,2018-11-01,NO_JOBS,,false,false,2018-11-02T03:00:00Z,,,0,,0,0,,0.00,0.00,0.00,0.00,0.00,0.00,0.0,0,0,,,USD,,,,no jobs";

        List<LedgerRow> rows = io.dragnet.cost.ledger.LedgerCsv.read(header + "\n" + row + "\n", "old.csv");

        assertThat(rows).singleElement().satisfies(read -> {
            assertThat(read.key()).isEqualTo("run-0");
            assertThat(read.problems()).isEmpty();
            assertThat(read.executionId()).isNull();
        });
    }

    @Test
    void clusterStillRunningIsFlaggedLoudly()
    {
        OwnerOnly.writeAtomically(results.resolve("clusters/j-LIVE.json"), Json.write(new ClusterRecord("j-LIVE", "run-4", "2018-11-02", "RUNNING",
                "2018-11-02T03:00:00Z", null, null, Map.of(),
                List.of(new ClusterRecord.Instance("i-1", "MASTER", "m5.xlarge", "ON_DEMAND", "2018-11-02T03:00:00Z", null, null)),
                List.of(), false)));

        Instant recordedAt = Instant.parse("2018-11-02T05:00:00Z");
        Map<String, Object> output = new RecordRunCostHandler(AwsClients.fromEnvironment(), Map.of("OPENSEARCH_AUTH", "disabled"), Clock.fixed(recordedAt, ZoneOffset.UTC))
                .handleRequest(input("run-4", "FAILED", "j-LIVE"), null);

        assertThat(output).containsEntry("stillRunning", true);
        assertThat(output.get("note").toString()).contains("CLUSTER STILL RUNNING").contains("j-LIVE");
        LedgerRow row = FileRunLedger.read(new FileRunLedger(results.resolve("ledger")).combinedFile()).get(0);
        assertThat(row.recordedAt()).as("the handler's clock").isEqualTo(recordedAt.toString());
        assertThat(row.durationSeconds()).as("a running cluster is costed up to the recording time").isEqualTo(2 * 3600);
    }

    private Map<String, Object> input(String runId, String status, String clusterId)
    {
        Map<String, Object> input = new HashMap<>();
        input.put("runId", runId);
        input.put("date", "2018-11-02");
        input.put("status", status);
        if (clusterId != null) {
            input.put("clusterId", clusterId);
        }
        input.put("resultsLocation", results.toUri().toString());
        return input;
    }

    private static RecordRunCostHandler handler()
    {
        return new RecordRunCostHandler(AwsClients.fromEnvironment(), Map.of("OPENSEARCH_AUTH", "disabled"));
    }
}
