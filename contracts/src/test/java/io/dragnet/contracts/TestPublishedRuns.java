package io.dragnet.contracts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestPublishedRuns
{
    @Test
    void aDailyRunIsTheDaysOnlyRunAndCountsEveryRule()
    {
        PublishedRuns record = PublishedRuns.ofRun("2018-11-02", "r1");
        assertThat(record.runs()).extracting(PublishedRuns.Contribution::runId).containsExactly("r1");
        assertThat(record.contribution("r1").orElseThrow().counts("any-rule")).isTrue();
        assertThat(record.contribution("r0")).isEmpty();
    }

    /** Like the aliases: each rule's hits come from the latest run that ran it. */
    @Test
    void aBackfillTakesItsRulesOverFromTheDaysOtherRuns()
    {
        PublishedRuns daily = PublishedRuns.ofRun("2018-11-02", "daily");
        PublishedRuns first = daily.withBackfill("b1", List.of("new-a", "new-b"));
        PublishedRuns.Contribution dailyShare = first.contribution("daily").orElseThrow();
        assertThat(dailyShare.counts("old")).isTrue();
        assertThat(dailyShare.counts("new-a")).isFalse();
        assertThat(first.contribution("b1").orElseThrow().counts("new-a")).isTrue();
        assertThat(first.contribution("b1").orElseThrow().counts("old")).as("a backfill contributes only its rules").isFalse();

        PublishedRuns second = first.withBackfill("b2", List.of("new-b"));
        assertThat(second.contribution("b1").orElseThrow().rules()).containsExactly("new-a");
        assertThat(second.contribution("daily").orElseThrow().excluded()).containsExactly("new-a", "new-b");
        PublishedRuns third = second.withBackfill("b3", List.of("new-a"));
        assertThat(third.contribution("b1")).as("a backfill left with no rule is no longer published").isEmpty();
        assertThat(third.runs()).extracting(PublishedRuns.Contribution::runId).containsExactly("daily", "b2", "b3");
        assertThat(third.withBackfill("b3", List.of("new-a")).runs()).as("publishing the same backfill again changes nothing").isEqualTo(third.runs());
    }

    @Test
    void roundTripsThroughJsonAndLivesUnderPublished()
            throws Exception
    {
        PublishedRuns record = PublishedRuns.ofRun("2018-11-02", "daily").withBackfill("b1", List.of("x"));
        assertThat(Json.mapper().readValue(Json.write(record), PublishedRuns.class)).isEqualTo(record);
        assertThat(PublishedRuns.location("s3://bucket/results/", "2018-11-02")).isEqualTo("s3://bucket/results/published/dt=2018-11-02.json");
    }
}
