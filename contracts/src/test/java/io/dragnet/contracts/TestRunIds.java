package io.dragnet.contracts;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class TestRunIds
{
    @Test
    void aRunIdIsTheSecondTheRunStartedInUtcAndSurvivesInAnIndexName()
    {
        String runId = RunIds.startedAt(Instant.parse("2018-11-02T23:30:05.900Z"));

        assertThat(runId).isEqualTo("20181102T233005");
        assertThat(IndexNames.runIndex("c2", LocalDate.parse("2018-11-02"), runId)).isEqualTo("dragnet-c2-2018.11.02-20181102t233005");
    }
}
