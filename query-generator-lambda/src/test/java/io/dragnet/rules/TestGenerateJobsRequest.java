package io.dragnet.rules;

import io.dragnet.contracts.DragnetException;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestGenerateJobsRequest
{
    @Test
    void aPlainDayIsThatDay()
    {
        assertThat(GenerateJobsRequest.dayToProcess("2018-11-02")).isEqualTo(LocalDate.of(2018, 11, 2));
    }

    @Test
    void aScheduledTimestampMeansTheLastCompleteUtcDay()
    {
        assertThat(GenerateJobsRequest.dayToProcess("2026-11-22T02:30:00Z")).isEqualTo(LocalDate.of(2026, 11, 21));
        assertThat(GenerateJobsRequest.dayToProcess("2026-11-22T01:30:00+02:00")).isEqualTo(LocalDate.of(2026, 11, 20));
    }

    @Test
    void anythingElseIsRefusedWithTheExpectedForms()
    {
        assertThatThrownBy(() -> GenerateJobsRequest.dayToProcess("yesterday"))
                .isInstanceOf(DragnetException.class)
                .hasMessage("GenerateJobs input 'date' is 'yesterday'; expected YYYY-MM-DD or an ISO-8601 timestamp such as 2026-11-22T02:30:00Z");
    }
}
