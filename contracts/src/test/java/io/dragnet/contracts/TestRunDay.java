package io.dragnet.contracts;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRunDay
{
    @Test
    void aPlainDayIsThatDay()
    {
        assertThat(RunDay.toProcess("2018-11-02", "GenerateJobs input")).isEqualTo(LocalDate.of(2018, 11, 2));
    }

    @Test
    void aScheduledTimestampMeansTheLastCompleteUtcDay()
    {
        assertThat(RunDay.toProcess("2026-11-22T02:30:00Z", "GenerateJobs input")).isEqualTo(LocalDate.of(2026, 11, 21));
        assertThat(RunDay.toProcess("2026-11-22T01:30:00+02:00", "GenerateJobs input")).isEqualTo(LocalDate.of(2026, 11, 20));
    }

    @Test
    void anythingElseIsRefusedWithTheExpectedForms()
    {
        assertThatThrownBy(() -> RunDay.toProcess("yesterday", "GenerateJobs input"))
                .isInstanceOf(DragnetException.class)
                .hasMessage("GenerateJobs input 'date' is 'yesterday'; expected YYYY-MM-DD or an ISO-8601 timestamp such as 2026-11-22T02:30:00Z");
    }
}
