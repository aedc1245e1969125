package io.dragnet.cleanup;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestExecutionStatusChange
{
    @Test
    void readsArnAndStatusFromTheDetail()
    {
        ExecutionStatusChange change = ExecutionStatusChange.fromEvent(Map.of(
                "detail-type", ExecutionStatusChange.DETAIL_TYPE,
                "detail", Map.of("executionArn", "arn:aws:states:us-east-1:1:execution:m:e", "status", "ABORTED")));

        assertThat(change.executionArn()).isEqualTo("arn:aws:states:us-east-1:1:execution:m:e");
        assertThat(change.executionName()).isEqualTo("e");
        assertThat(change.needsCleanup()).isTrue();
        assertThat(change.inputJson()).isEmpty();
        assertThat(change.startDate()).isNull();
    }

    @Test
    void readsTheInputStartAndErrorWhenTheEventCarriesThem()
    {
        ExecutionStatusChange change = ExecutionStatusChange.fromEvent(Map.of(
                "detail-type", ExecutionStatusChange.DETAIL_TYPE,
                "detail", Map.of("executionArn", "arn:aws:states:us-east-1:1:execution:m:e", "status", "TIMED_OUT",
                        "input", "{\"runId\":\"r1\"}", "startDate", 1541127000000L, "error", "States.Timeout")));

        assertThat(change.inputJson()).contains("{\"runId\":\"r1\"}");
        assertThat(change.startDate()).isEqualTo(java.time.Instant.parse("2018-11-02T02:50:00Z"));
        assertThat(change.error()).isEqualTo("States.Timeout");
        assertThat(change.cause()).isNull();
    }

    @Test
    void onlyFailedTimedOutAndAbortedNeedCleanup()
    {
        assertThat(new ExecutionStatusChange("a", "SUCCEEDED").needsCleanup()).isFalse();
        assertThat(new ExecutionStatusChange("a", "RUNNING").needsCleanup()).isFalse();
        assertThat(new ExecutionStatusChange("a", "FAILED").needsCleanup()).isTrue();
        assertThat(new ExecutionStatusChange("a", "TIMED_OUT").needsCleanup()).isTrue();
    }

    @Test
    void otherEventsAreRefusedNamingWhatWasExpected()
    {
        assertThatThrownBy(() -> ExecutionStatusChange.fromEvent(Map.of("detail-type", "EMR Cluster State Change", "detail", Map.of())))
                .hasMessageContaining("detail-type 'Step Functions Execution Status Change', got 'EMR Cluster State Change'");
        assertThatThrownBy(() -> ExecutionStatusChange.fromEvent(Map.of("detail-type", ExecutionStatusChange.DETAIL_TYPE, "detail", Map.of("status", "FAILED"))))
                .hasMessageContaining("detail.executionArn must be a non-empty string, got nothing");
    }
}
