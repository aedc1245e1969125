package io.dragnet.publish;

import io.dragnet.contracts.DragnetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Input handling of the Publish step; the alias switch itself runs against a node in TestOpenSearchPublishing. */
class TestPublishHandler
{
    @Test
    void badInputIsAUserErrorNamingTheKey(@TempDir Path temp)
    {
        PublishHandler handler = new PublishHandler();
        assertThatThrownBy(() -> handler.handleRequest(Map.of("runId", "r1"), null))
                .isInstanceOf(DragnetException.class)
                .hasMessage("Publish input: expected key 'date'");
        assertThatThrownBy(() -> handler.handleRequest(Map.of("date", "02/11/2018", "runId", "r1"), null))
                .hasMessage("Publish input date '02/11/2018': expected YYYY-MM-DD");
        assertThatThrownBy(() -> handler.handleRequest(Map.of("date", "2018-11-02", "runId", "r1"), null))
                .hasMessage("Publish input: expected key 'resultsLocation'");
        assertThatThrownBy(() -> handler.handleRequest(Map.of("date", "2018-11-02", "runId", "r1", "resultsLocation", temp.toUri().toString(),
                "opensearchConnection", temp.resolve("none.json").toString()), null))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("none.json does not exist");
    }

    @Test
    void recognizesOnlyRunIndexesOfTheDayAndRun()
    {
        LocalDate day = LocalDate.of(2018, 11, 2);
        assertThat(RunPublisher.topicOf("dragnet-c2-2018.11.02-run0001", day, "run-0001")).isEqualTo("c2");
        assertThat(RunPublisher.topicOf("dragnet-web_proxy-2018.11.02-run0001", day, "RUN-0001")).isEqualTo("web_proxy");
        assertThat(RunPublisher.topicOf("dragnet-c2-2018.11.02-run0002", day, "run-0001")).isNull();
        assertThat(RunPublisher.topicOf("dragnet-c2-2018.11.03-run0001", day, "run-0001")).isNull();
        assertThat(RunPublisher.topicOf("dragnet-runs", day, "run-0001")).isNull();
        assertThat(RunPublisher.topicOf("dragnet--2018.11.02-run0001", day, "run-0001")).isNull();
    }

    /** The sweep considers run indexes of every day, and nothing else that starts with the prefix. */
    @Test
    void recognizesRunIndexesOfAnyDay()
    {
        assertThat(RunPublisher.isRunIndex("dragnet-c2-2018.11.02-run0001")).isTrue();
        assertThat(RunPublisher.isRunIndex("dragnet-nids_restricted-2017.01.31-abc")).isTrue();
        assertThat(RunPublisher.isRunIndex("dragnet-runs")).isFalse();
        assertThat(RunPublisher.isRunIndex("dragnet-verdicts-2018.11.02")).isFalse();
        assertThat(RunPublisher.isRunIndex("dragnet-c2-2018.11.02")).isFalse();
        assertThat(RunPublisher.isRunIndex("dragnet-c2-2018.13.02-run1")).as("no such day").isFalse();
        assertThat(RunPublisher.isRunIndex("dragnet-C2-2018.11.02-run1")).as("not a topic").isFalse();
        assertThat(RunPublisher.isRunIndex("dragnet_sandbox-c2-2018.11.02-run1")).as("sandbox runs are never published").isFalse();
        assertThat(RunPublisher.isRunIndex("dragnet_export_trail")).isFalse();
    }

    /** A backfill publishes its jobs' rules and its correlation steps' rules into each topic's day; sandbox jobs never. */
    @Test
    void aBackfillPublishesTheRulesOfItsJobsAndOfItsCorrelations()
    {
        Map<String, Object> input = Map.of(
                "executionInput", Map.of("backfill", Map.of("from", "2018-11-01", "to", "2018-11-02")),
                "jobs", List.of(
                        Map.of("date", "2018-11-02", "sandbox", false, "topics", Map.of("c2", List.of("c2-port-449"), "dns", List.of("dns-burst"))),
                        Map.of("date", "2018-11-01", "sandbox", false, "topics", Map.of("c2", List.of("c2-port-449"))),
                        Map.of("date", "2018-11-01", "sandbox", true, "topics", Map.of("c2", List.of("c2-trial")))),
                "correlations", List.of(
                        Map.of("date", "2018-11-01", "specLocation", "file:///work/jobs/dt=2018-11-01/run=r1/correlations.json", "topics", Map.of("c2", List.of("c2-verdict-then-dns"))),
                        Map.of("date", "2018-11-02", "specLocation", "file:///work/jobs/dt=2018-11-02/run=r1/correlations.json", "topics", Map.of())));

        assertThat(PublishHandler.backfill(input)).isTrue();
        assertThat(PublishHandler.backfillDays(input)).containsExactly(LocalDate.of(2018, 11, 1), LocalDate.of(2018, 11, 2));
        assertThat(PublishHandler.backfillRules(input)).isEqualTo(Map.of("c2", List.of("c2-port-449", "c2-verdict-then-dns"), "dns", List.of("dns-burst")));
        assertThat(PublishHandler.backfillRulesByDay(input)).isEqualTo(Map.of(
                LocalDate.of(2018, 11, 1), List.of("c2-port-449", "c2-verdict-then-dns"),
                LocalDate.of(2018, 11, 2), List.of("c2-port-449", "dns-burst")));
    }
}
