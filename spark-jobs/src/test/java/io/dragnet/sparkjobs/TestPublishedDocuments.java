package io.dragnet.sparkjobs;

import io.dragnet.contracts.JobSpec;
import io.dragnet.publish.PublishHandler;
import io.dragnet.sparkjobs.internal.ExtractionOutputs;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run that fails or is killed after the day's published run changes nothing readers take from the files: each run
 * writes its documents into its own folder of the day, Publish (the real handler, OpenSearch disabled) records which
 * run is the day's, and the history the next days' {@code first_last_seen} reads comes from the recorded runs only.
 * The next run's Publish sweeps the failed run's folder.
 */
@Tag("integration")
class TestPublishedDocuments
{
    private static final String NEXT_DAY = "2018-11-03";
    /** An address only the failed run's data holds, on the port trickbot-449 (a first_last_seen rule) matches. */
    private static final String FAILED_RUN_ONLY = "198.51.100.77";

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @Test
    void aFailedRunAfterThePublishedOneLeavesThePublishedDocumentsAndTheHistoryAsTheyWere(@TempDir Path temp)
            throws IOException
    {
        Path lake = temp.resolve("lake");
        Path results = temp.resolve("results");
        Path day = TestSpecs.lakeDay(lake, "zeek_conn", RepositoryPaths.samples().resolve("zeek/conn.log"), false);
        JobSpec conn = TestSpecs.conn(day, results, lake, temp.resolve("work"), null);

        JobSpec published = TestSpecs.asRun(conn, results, TestSpecs.DATE, "run-a");
        new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), published);
        publish(results, TestSpecs.DATE, "run-a");
        Map<String, byte[]> publishedDocuments = files(results.resolve(TestSpecs.documents(TestSpecs.DATE, "run-a", "zeek_conn")));
        JobSpec nextDay = TestSpecs.asRun(conn, results, NEXT_DAY, "run-c");
        List<String> historyBefore = history(nextDay);
        assertThat(historyBefore).as("the published run's entities").anyMatch(row -> row.startsWith("76.181.182.166 "))
                .noneMatch(row -> row.startsWith(FAILED_RUN_ONLY + " "));

        // the day runs again over data that changed since; the run writes its documents, then fails before Publish
        addConnection(day.resolve("conn.log"), FAILED_RUN_ONLY);
        JobSpec failed = TestSpecs.asRun(conn, results, TestSpecs.DATE, "run-b");
        new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), failed);
        assertThat(SPARK.session().read().parquet(failed.outputs().documents()).where("`destination.ip` = '" + FAILED_RUN_ONLY + "'").count())
                .as("the failed run did write its documents").isPositive();

        assertThat(files(results.resolve(TestSpecs.documents(TestSpecs.DATE, "run-a", "zeek_conn")))).as("the published documents, byte for byte")
                .containsOnlyKeys(publishedDocuments.keySet())
                .allSatisfy((name, bytes) -> assertThat(bytes).isEqualTo(publishedDocuments.get(name)));
        assertThat(history(nextDay)).as("what history readers see").isEqualTo(historyBefore);

        // the next day's run publishes: the failed run's folder is swept, the published one stays
        new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), nextDay);
        Map<String, Object> output = publish(results, NEXT_DAY, "run-c");
        @SuppressWarnings("unchecked")
        List<String> swept = (List<String>) output.get("sweptRunFolders");
        assertThat(swept).contains("documents/dt=" + TestSpecs.DATE + "/run=run-b")
                .allSatisfy(folder -> assertThat(folder).endsWith("/dt=" + TestSpecs.DATE + "/run=run-b"));
        assertThat(results.resolve(TestSpecs.documents(TestSpecs.DATE, "run-b", "zeek_conn"))).doesNotExist();
        assertThat(files(results.resolve(TestSpecs.documents(TestSpecs.DATE, "run-a", "zeek_conn")))).containsOnlyKeys(publishedDocuments.keySet());
    }

    private static Map<String, Object> publish(Path results, String date, String run)
    {
        return new PublishHandler(Map.of("OPENSEARCH_AUTH", "disabled"), new LocalObjectStore())
                .handleRequest(Map.of("date", date, "runId", run, "resultsLocation", results.toUri().toString()), null);
    }

    /** Entity, first and last seen over the days before the spec's, as its first_last_seen enrichment reads them, sorted. */
    private static List<String> history(JobSpec spec)
    {
        return new ExtractionOutputs(SPARK.session(), spec).earlierDocuments(spec).collectAsList().stream()
                .map(TestPublishedDocuments::text)
                .sorted()
                .toList();
    }

    private static String text(Row row)
    {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < row.length(); i++) {
            values.add(String.valueOf(row.get(i)));
        }
        return String.join(" ", values);
    }

    /** A copy of the log's first connection to port 449, to another address and a minute later, right after it. */
    private static void addConnection(Path log, String address)
            throws IOException
    {
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i).split("\t", -1);
            if (!lines.get(i).startsWith("#") && fields.length > 5 && fields[5].equals("449")) {
                fields[0] = String.format(Locale.ROOT, "%.6f", Double.parseDouble(fields[0]) + 60);
                fields[1] = "CFailedRunOnly0001";
                fields[4] = address;
                lines.add(i + 1, String.join("\t", fields));
                break;
            }
        }
        Files.write(log, lines);
    }

    /** Every file under a folder by relative path (none when it does not exist). */
    private static Map<String, byte[]> files(Path folder)
            throws IOException
    {
        Map<String, byte[]> files = new TreeMap<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    files.put(folder.relativize(file).toString(), Files.readAllBytes(file));
                }
            }
        }
        return files;
    }
}
