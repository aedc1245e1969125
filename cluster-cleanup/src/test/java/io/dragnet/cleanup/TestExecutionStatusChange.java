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
        assertThat(change.needsCleanup()).isTrue();
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
