package io.dragnet.cost;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.cost.aws.AwsClients;
import io.dragnet.cost.ledger.FileRunLedger;
import io.dragnet.storage.OwnerOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RecordRunCost as the run-ended workflow calls it after a daily execution ended FAILED, TIMED_OUT or ABORTED: the
 * EventBridge event (shaped as Step Functions sends it), the clusters the workflow terminated and the results location.
 */
class TestRecordRunEnd
{
    private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:dragnet-prod-daily-run:7c0e55aa-sched";

    @TempDir
    Path results;

    @Test
    void aTimedOutScheduledRunGetsOneRowWithItsClusterCostAndTheScheduledDay()
    {
        writeTerminatedCluster("j-SCHED", "sched-20181103");
        Map<String, Object> input = runEnded(event(), List.of("j-SCHED"));

        Map<String, Object> output = handler().handleRequest(input, null);
        Map<String, Object> again = handler().handleRequest(input, null);

        assertThat(output).containsEntry("status", "TIMED_OUT").containsEntry("alreadyRecorded", false).containsEntry("totalCost", "0.46")
                .containsEntry("stillRunning", false);
        assertThat(again).containsEntry("alreadyRecorded", true).containsEntry("totalCost", "0.46");
        List<LedgerRow> rows = FileRunLedger.read(results.resolve("ledger/ledger.csv"));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.runId()).isEqualTo("sched-20181103");
            // scheduled at 2018-11-03T02:30Z: the last complete UTC day, as GenerateJobs resolves it
            assertThat(row.date()).isEqualTo("2018-11-02");
            assertThat(row.status()).isEqualTo("TIMED_OUT");
            assertThat(row.executionId()).isEqualTo(EXECUTION);
            assertThat(row.key()).isEqualTo("sched-20181103.7c0e55aa-sched");
            assertThat(row.clusterId()).isEqualTo("j-SCHED");
            assertThat(row.error()).isEqualTo("States.Timeout");
            assertThat(row.cause()).isEqualTo("the execution ended TIMED_OUT; recorded after its end");
        });
    }

    @Test
    void aFailureTheRunRecordedItselfKeepsTheRunsRow()
    {
        writeTerminatedCluster("j-SCHED", "sched-20181103");
        Map<String, Object> workflowRow = new HashMap<>();
        workflowRow.put("runId", "sched-20181103");
        workflowRow.put("date", "2018-11-02");
        workflowRow.put("outcome", "FAILED");
        workflowRow.put("clusterId", "j-SCHED");
        workflowRow.put("executionId", EXECUTION);
        workflowRow.put("error", Map.of("Error", "States.TaskFailed", "Cause", "step zeek_conn failed"));
        workflowRow.put("resultsLocation", results.toUri().toString());
        handler().handleRequest(workflowRow, null);
        Map<String, Object> failed = event();
        detail(failed).put("status", "FAILED");
        detail(failed).put("error", "States.TaskFailed");

        Map<String, Object> output = handler().handleRequest(runEnded(failed, List.of()), null);

        assertThat(output).containsEntry("alreadyRecorded", true).containsEntry("status", "FAILED");
        assertThat(FileRunLedger.read(results.resolve("ledger/ledger.csv"))).singleElement()
                .satisfies(row -> assertThat(row.cause()).isEqualTo("step zeek_conn failed"));
    }

    @Test
    void anEventWithoutTheExecutionsInputIsRecordedUnderTheExecutionsNameAndStart()
    {
        Map<String, Object> aborted = event();
        detail(aborted).put("status", "ABORTED");
        detail(aborted).put("input", null);
        detail(aborted).put("error", null);

        handler().handleRequest(runEnded(aborted, List.of()), null);

        assertThat(FileRunLedger.read(results.resolve("ledger/ledger.csv"))).singleElement().satisfies(row -> {
            assertThat(row.runId()).isEqualTo("7c0e55aa-sched");
            assertThat(row.date()).isEqualTo("2018-11-02");
            assertThat(row.status()).isEqualTo("ABORTED");
            assertThat(row.cause()).contains("did not carry the execution's input");
            assertThat(row.totalCost()).isEqualByComparingTo("0.00");
        });
    }

    @Test
    void onlyRunsThatEndedBadlyAreRecordedAfterTheirEnd()
    {
        Map<String, Object> succeeded = event();
        detail(succeeded).put("status", "SUCCEEDED");

        assertThatThrownBy(() -> handler().handleRequest(runEnded(succeeded, List.of()), null))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("ended SUCCEEDED; only FAILED, TIMED_OUT and ABORTED executions are recorded after their end");
        assertThatThrownBy(() -> handler().handleRequest(Map.of("runEnded", Map.of("detail-type", "EMR Cluster State Change")), null))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("expected an EventBridge event with detail-type 'Step Functions Execution Status Change'");
    }

    private Map<String, Object> runEnded(Map<String, Object> event, List<String> clusterIds)
    {
        // the payload of run-ended.asl.json's RecordRunEnd state
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("runEnded", event);
        input.put("clusterIds", clusterIds);
        input.put("resultsLocation", results.toUri().toString());
        return input;
    }

    private void writeTerminatedCluster(String clusterId, String runId)
    {
        // the fleet and hour of TestRecordRunCostHandler's priced run: 0.46 from the sample price table
        OwnerOnly.writeAtomically(results.resolve("clusters/" + clusterId + ".json"), Json.write(new ClusterRecord(clusterId, runId, "2018-11-02", "TERMINATED",
                "2018-11-02T03:00:00Z", "2018-11-02T03:00:00Z", "2018-11-02T04:00:00Z",
                Map.of("Instances", Map.of("InstanceFleets", List.of(
                        Map.of("InstanceFleetType", "MASTER", "TargetOnDemandCapacity", 1, "InstanceTypeConfigs", List.of(Map.of("InstanceType", "m5.xlarge"))),
                        Map.of("InstanceFleetType", "CORE", "TargetSpotCapacity", 2, "InstanceTypeConfigs",
                                List.of(Map.of("InstanceType", "m5.xlarge"), Map.of("InstanceType", "m5a.xlarge")))))),
                List.of(), List.of(), true)));
    }

    /** A Step Functions execution status change as EventBridge delivers it (test resource events/execution-timed-out.json). */
    private static Map<String, Object> event()
    {
        try (InputStream in = TestRecordRunEnd.class.getResourceAsStream("/events/execution-timed-out.json")) {
            return Json.mapper().readValue(in, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Map<String, Object> event)
    {
        return (Map<String, Object>) event.get("detail");
    }

    private static RecordRunCostHandler handler()
    {
        return new RecordRunCostHandler(AwsClients.fromEnvironment(), Map.of("OPENSEARCH_AUTH", "disabled"));
    }
}
