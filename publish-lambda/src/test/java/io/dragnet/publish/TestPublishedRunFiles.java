package io.dragnet.publish;

import io.dragnet.contracts.PublishedRuns;
import io.dragnet.storage.LocalObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The files side of Publish on local files: the day's record of published runs and the sweep of unpublished runs' folders. */
class TestPublishedRunFiles
{
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void sweepsFoldersOfUnpublishedRunsOfAnyDayWrittenBeforeThisRun(@TempDir Path results)
            throws IOException
    {
        PublishedRunFiles files = new PublishedRunFiles(new LocalObjectStore(), results.toUri().toString());
        // day 1: run a published; b failed after it; day 2: c failed and its day never published; then this run (d) of day 1
        file(results, "documents/dt=2018-11-01/run=a/zeek_conn/part-0.parquet", 0);
        files.publish(LocalDate.parse("2018-11-01"), "a");
        file(results, "documents/dt=2018-11-01/run=b/zeek_conn/part-0.parquet", 10);
        file(results, "documents/dt=2018-11-01/run=b/_staging-zeek_dns-b/scan/part-0.parquet", 11);
        file(results, "aggregates/dt=2018-11-01/run=b/zeek_conn/part-0.parquet", 10);
        file(results, "rejects/dt=2018-11-02/run=c/zeek_conn/part-0.json", 12);
        file(results, "correlations/dt=2018-11-02/run=c/part-0.parquet", 12);
        file(results, "documents/dt=2018-11-01/run=d/zeek_conn/part-0.parquet", 20);
        // a later run of day 3, still writing
        file(results, "documents/dt=2018-11-03/run=e/zeek_conn/part-0.parquet", 30);
        // what the sweep never touches: summaries and metrics of every run, the sandbox, files outside a run folder
        file(results, "summaries/dt=2018-11-01/run=b/c2/rule.csv", 10);
        file(results, "runs/dt=2018-11-01/run=b/zeek_conn.metrics.json", 10);
        file(results, "sandbox/documents/dt=2018-11-01/run=b/zeek_conn/part-0.parquet", 10);
        file(results, "documents/dt=2018-11-01/zeek_conn/part-0.parquet", 5);

        PublishedRuns record = files.publish(LocalDate.parse("2018-11-01"), "d");
        List<String> swept = files.sweepUnpublished("d", T0.plusSeconds(40));

        assertThat(record.runs()).extracting(PublishedRuns.Contribution::runId).containsExactly("d");
        assertThat(swept).containsExactly("aggregates/dt=2018-11-01/run=b", "correlations/dt=2018-11-02/run=c", "documents/dt=2018-11-01/run=a",
                "documents/dt=2018-11-01/run=b", "rejects/dt=2018-11-02/run=c");
        assertThat(results.resolve("documents/dt=2018-11-01/run=b")).doesNotExist();
        assertThat(results.resolve("documents/dt=2018-11-01/run=d/zeek_conn/part-0.parquet")).exists();
        assertThat(results.resolve("documents/dt=2018-11-03/run=e/zeek_conn/part-0.parquet")).as("a later run's files").exists();
        for (String kept : List.of("summaries/dt=2018-11-01/run=b/c2/rule.csv", "runs/dt=2018-11-01/run=b/zeek_conn.metrics.json",
                "sandbox/documents/dt=2018-11-01/run=b/zeek_conn/part-0.parquet", "documents/dt=2018-11-01/zeek_conn/part-0.parquet")) {
            assertThat(results.resolve(kept)).as(kept).exists();
        }
        assertThat(files.read("2018-11-01")).contains(record);
    }

    @Test
    void aBackfillKeepsTheDaysPublishedRunsAndTheirFiles(@TempDir Path results)
            throws IOException
    {
        PublishedRunFiles files = new PublishedRunFiles(new LocalObjectStore(), results.toUri().toString());
        file(results, "documents/dt=2018-11-01/run=daily/zeek_conn/part-0.parquet", 0);
        files.publish(LocalDate.parse("2018-11-01"), "daily");
        file(results, "documents/dt=2018-11-01/run=backfill/zeek_conn/part-0.parquet", 10);
        file(results, "documents/dt=2018-11-02/run=backfill/zeek_conn/part-0.parquet", 10);

        files.publishBackfill(LocalDate.parse("2018-11-01"), "backfill", List.of("new-rule"));
        files.publishBackfill(LocalDate.parse("2018-11-02"), "backfill", List.of("new-rule"));
        assertThat(files.sweepUnpublished("backfill", T0.plusSeconds(40))).isEmpty();
        assertThat(files.read("2018-11-01").orElseThrow().runs()).extracting(PublishedRuns.Contribution::runId).containsExactly("daily", "backfill");
        assertThat(files.read("2018-11-02").orElseThrow().runs()).extracting(PublishedRuns.Contribution::runId).containsExactly("backfill");
    }

    /** Without OpenSearch the step still records the run (its files are what the next days' history reads). */
    @Test
    void publishWithOpenSearchDisabledRecordsTheRunAndSweeps(@TempDir Path results)
            throws IOException
    {
        file(results, "documents/dt=2018-11-01/run=failed/zeek_conn/part-0.parquet", 0);
        file(results, "documents/dt=2018-11-01/run=r2/zeek_conn/part-0.parquet", 10);
        Map<String, Object> output = new PublishHandler(Map.of("OPENSEARCH_AUTH", "disabled"), new LocalObjectStore())
                .handleRequest(Map.of("date", "2018-11-01", "runId", "r2", "resultsLocation", results.toUri().toString()), null);
        assertThat(output).containsEntry("recordedDays", List.of("2018-11-01")).containsEntry("sweptRunFolders", List.of("documents/dt=2018-11-01/run=failed"));
        assertThat(Files.readString(results.resolve("published/dt=2018-11-01.json"))).contains("\"runId\" : \"r2\"");
    }

    private static void file(Path results, String relative, long secondsAfterT0)
            throws IOException
    {
        Path file = results.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, relative);
        Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(secondsAfterT0)));
    }
}
