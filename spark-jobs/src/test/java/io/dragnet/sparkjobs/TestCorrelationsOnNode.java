package io.dragnet.sparkjobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.contracts.PublishedRuns;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.opensearch.OpenSearchSetup;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.publish.PublishHandler;
import io.dragnet.sparkjobs.sink.OpenSearchDocumentSink;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Correlation hits on a real OpenSearch 2.19 node with the project's templates: each hit is indexed into its topic's
 * run index of the run's day (the restricted partition when a contributing hit is about a restricted asset, a window
 * that opened the day before included), with the same id as its Parquet copy and in every run, typed as the templates
 * say; a re-run replaces rather than adds; Publish switches the day's aliases to them.
 */
@Tag("integration")
class TestCorrelationsOnNode
{
    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final LocalDate PREVIOUS = DAY.minusDays(1);
    private static final String RULE = "verdict-then-burst";

    private static final StructType HIT = new StructType()
            .add("_id", DataTypes.StringType)
            .add("@timestamp", DataTypes.TimestampType)
            .add("rule.id", DataTypes.StringType)
            .add("source.ip", DataTypes.StringType)
            .add("asset.criticality", DataTypes.StringType);

    @Test
    void correlationHitsAreIndexedPerTopicAndDayWithStableIdsAndPublished(@TempDir Path temp)
            throws Exception
    {
        // the node runs as an unprivileged user, which must be able to traverse the temporary directory
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        DragnetHome home = new DragnetHome(temp.resolve("home"));
        LocalOpenSearchNode node = LocalOpenSearchNode.startOrReuse(home);
        OpenSearchClient client = OpenSearchClients.create(node.connection());
        try {
            new OpenSearchSetup(client, OpenSearchSetup.Options.local()).apply();
            Path results = temp.resolve("results");
            // today: 10.0.0.1 a verdict then a burst 4 minutes later; 10.0.0.2 the same about a restricted asset;
            // 10.0.0.3 a burst an hour after its verdict; the day before: a verdict of 10.0.0.4 at 23:58, its burst at 00:01
            writeHits(results, DAY, "run-1", "verdicts", List.of(
                    hit("v1", at(DAY, 10, 0), "nids-verdict", "10.0.0.1", null),
                    hit("v2", at(DAY, 11, 0), "nids-verdict", "10.0.0.2", IndexNames.RESTRICTED_CRITICALITY),
                    hit("v3", at(DAY, 12, 0), "nids-verdict", "10.0.0.3", null)));
            writeHits(results, DAY, "run-1", "bursts", List.of(
                    hit("b1", at(DAY, 10, 4), "dns-burst", "10.0.0.1", null),
                    hit("b2", at(DAY, 11, 2), "dns-burst", "10.0.0.2", null),
                    hit("b3", at(DAY, 13, 0), "dns-burst", "10.0.0.3", null),
                    hit("b4", at(DAY, 0, 1), "dns-burst", "10.0.0.4", null)));
            writeHits(results, PREVIOUS, "run-0", "verdicts", List.of(hit("v4", at(PREVIOUS, 23, 58), "nids-verdict", "10.0.0.4", null)));
            Files.createDirectories(results.resolve(PublishedRuns.FOLDER));
            Files.writeString(Path.of(java.net.URI.create(PublishedRuns.location(results.toUri().toString(), PREVIOUS.toString()))),
                    Json.write(PublishedRuns.ofRun(PREVIOUS.toString(), "run-0")));

            CorrelationJob job = new CorrelationJob(OpenSearchDocumentSink.factory(node.connection()));
            RunMetrics first = job.execute(SPARK.session(), spec(results, "run-1"));
            String c2 = IndexNames.runIndex("c2", DAY, "run-1");
            String restricted = IndexNames.runIndex(IndexNames.restrictedTopic("c2"), DAY, "run-1");
            assertThat(first.documentsPerIndex()).containsExactlyInAnyOrderEntriesOf(Map.of(c2, 2L, restricted, 1L));
            refresh(client, c2 + "," + restricted);
            Map<String, String> indexed = idsByHost(client, c2 + "," + restricted);
            assertThat(indexed).containsOnlyKeys("10.0.0.1", "10.0.0.2", "10.0.0.4");
            assertThat(hostOf(client, restricted)).containsExactly("10.0.0.2");
            assertThat(indexed).isEqualTo(parquetIdsByHost(results, "run-1"));

            // the document as analysts see it: the window, the group, what contributed, typed by the templates
            JsonNode midnight = search(client, c2, "{\"query\":{\"term\":{\"source.ip\":\"10.0.0.4\"}}}").get(0).path("_source");
            assertThat(midnight.path("@timestamp").asText()).startsWith("2018-11-01T23:58:00");
            assertThat(midnight.path("window.end").asText()).startsWith("2018-11-02T00:08:00");
            assertThat(midnight.path("rule.id").asText()).isEqualTo(RULE);
            assertThat(midnight.path("dragnet.topic").asText()).isEqualTo("c2");
            assertThat(midnight.path("correlation.type").asText()).isEqualTo("temporal_ordered");
            assertThat(midnight.path("correlation.group").path("source.ip").asText()).isEqualTo("10.0.0.4");
            assertThat(midnight.path("correlation.rules")).extracting(JsonNode::asText).containsExactly("nids-verdict", "dns-burst");
            assertThat(midnight.path("correlation.hits")).extracting(JsonNode::asText).containsExactly("v4", "b4");
            assertThat(midnight.path("correlation.hit_count").asLong()).isEqualTo(2);
            assertThat(midnight.path("correlation.truncated").asBoolean(true)).isFalse();
            JsonNode mapping = Json.mapper().readTree(OpenSearchRest.require(client, "GET",
                    "/" + c2 + "/_mapping/field/source.ip,window.end,correlation.count,correlation.hits,correlation.truncated", null)).path(c2).path("mappings");
            assertThat(Map.of("source.ip", "ip", "window.end", "date", "correlation.count", "double", "correlation.hits", "keyword", "correlation.truncated", "boolean"))
                    .allSatisfy((field, type) -> assertThat(mapping.path(field).path("mapping").elements().next().path("type").asText()).as(field).isEqualTo(type));

            // the same run again replaces its documents
            job.execute(SPARK.session(), spec(results, "run-1"));
            refresh(client, c2 + "," + restricted);
            assertThat(idsByHost(client, c2 + "," + restricted)).isEqualTo(indexed);
            assertThat(count(client, c2)).isEqualTo(2);
            assertThat(count(client, restricted)).isEqualTo(1);

            // nothing of the day is readable before Publish; afterwards the day's aliases show the run's hits
            assertThat(OpenSearchRest.call(client, "GET", "/" + IndexNames.dayAlias("c2", DAY) + "/_count", null).ok()).isFalse();
            new PublishHandler(Map.of()).handleRequest(Map.of("date", DAY.toString(), "runId", "run-1", "resultsLocation", results.toUri().toString(),
                    "opensearchConnection", OpenSearchConnection.defaultFile(home).toString()), null);
            assertThat(count(client, IndexNames.dayAlias("c2", DAY))).isEqualTo(2);
            assertThat(count(client, IndexNames.dayAlias(IndexNames.restrictedTopic("c2"), DAY))).isEqualTo(1);

            // another run of the day writes the same ids into its own index, which Publish then switches in instead
            copyRun(results, "run-1", "run-2");
            job.execute(SPARK.session(), spec(results, "run-2"));
            String c2Again = IndexNames.runIndex("c2", DAY, "run-2");
            String restrictedAgain = IndexNames.runIndex(IndexNames.restrictedTopic("c2"), DAY, "run-2");
            refresh(client, c2Again + "," + restrictedAgain);
            assertThat(idsByHost(client, c2Again + "," + restrictedAgain)).isEqualTo(indexed);
            new PublishHandler(Map.of()).handleRequest(Map.of("date", DAY.toString(), "runId", "run-2", "resultsLocation", results.toUri().toString(),
                    "opensearchConnection", OpenSearchConnection.defaultFile(home).toString()), null);
            assertThat(idsByHost(client, IndexNames.dayAlias("c2", DAY) + "," + IndexNames.dayAlias(IndexNames.restrictedTopic("c2"), DAY))).isEqualTo(indexed);
            assertThat(OpenSearchRest.call(client, "GET", "/" + c2, null).ok()).as("the replaced run's index is removed").isFalse();
        }
        finally {
            client._transport().close();
            node.stop();
        }
    }

    /** One correlation (a verdict, then a burst of the same host within 10 minutes) over the run's record hits, reading the previous day. */
    private static CorrelationSpec spec(Path results, String runId)
    {
        List<CorrelationSpec.HitField> group = List.of(new CorrelationSpec.HitField("source.ip", null));
        CorrelationSpec.Input verdicts = new CorrelationSpec.Input("nids-verdict", "record", List.of(folder(results, "documents", DAY, runId, "verdicts")), group, null,
                List.of(folder(results, "documents", PREVIOUS, "run-0", "verdicts")));
        CorrelationSpec.Input bursts = new CorrelationSpec.Input("dns-burst", "record", List.of(folder(results, "documents", DAY, runId, "bursts")), group, null,
                List.of(folder(results, "documents", PREVIOUS, "run-0", "bursts")));
        CorrelationSpec.Correlation correlation = new CorrelationSpec.Correlation(RULE, null, "A verdict, then a DNS burst", "c2", "high", List.of("attack.t1568.002"),
                false, "temporal_ordered", 600, List.of("source.ip"), Map.of(), List.of(verdicts, bursts),
                new CorrelationSpec.PreviousDay(PREVIOUS.toString(), List.of(folder(results, "correlations", PREVIOUS, "run-0", null))));
        return new CorrelationSpec(CorrelationSpec.CURRENT_VERSION, runId, DAY.toString(), List.of(correlation),
                results.resolve("runs/dt=" + DAY + "/run=" + runId + "/correlations.metrics.json").toUri().toString(),
                new CorrelationSpec.Outputs(IndexNames.PREFIX, folder(results, "correlations", DAY, runId, null), folder(results, "summaries", DAY, runId, null)),
                new CorrelationSpec.Outputs(IndexNames.SANDBOX_PREFIX, folder(results, "sandbox/correlations", DAY, runId, null),
                        folder(results, "sandbox/summaries", DAY, runId, null)));
    }

    private static String folder(Path results, String kind, LocalDate day, String runId, String source)
    {
        Path run = results.resolve(kind).resolve("dt=" + day).resolve("run=" + runId);
        return (source == null ? run : run.resolve(source)).toUri().toString();
    }

    private static void writeHits(Path results, LocalDate day, String runId, String source, List<Row> hits)
    {
        SPARK.session().createDataFrame(hits, HIT).write().mode("overwrite").parquet(folder(results, "documents", day, runId, source));
    }

    private static void copyRun(Path results, String from, String to)
    {
        for (String source : List.of("verdicts", "bursts")) {
            SPARK.session().read().parquet(folder(results, "documents", DAY, from, source)).write().mode("overwrite")
                    .parquet(folder(results, "documents", DAY, to, source));
        }
    }

    private static Row hit(String id, long second, String rule, String host, String criticality)
    {
        return RowFactory.create(id, Timestamp.from(Instant.ofEpochSecond(second)), rule, host, criticality);
    }

    private static long at(LocalDate day, int hour, int minute)
    {
        return day.atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond() + hour * 3600L + minute * 60L;
    }

    private static Map<String, String> parquetIdsByHost(Path results, String runId)
    {
        Map<String, String> ids = new TreeMap<>();
        SPARK.session().read().parquet(folder(results, "correlations", DAY, runId, null)).collectAsList()
                .forEach(row -> ids.put(row.getAs("source.ip"), row.getAs("_id")));
        return ids;
    }

    private static Map<String, String> idsByHost(OpenSearchClient client, String indexes)
            throws Exception
    {
        Map<String, String> ids = new TreeMap<>();
        for (JsonNode hit : search(client, indexes, "{\"size\":100,\"query\":{\"match_all\":{}}}")) {
            ids.put(hit.path("_source").path("source.ip").asText(), hit.path("_id").asText());
        }
        return ids;
    }

    private static List<String> hostOf(OpenSearchClient client, String index)
            throws Exception
    {
        List<String> hosts = new ArrayList<>();
        search(client, index, "{\"size\":100,\"query\":{\"match_all\":{}}}").forEach(hit -> hosts.add(hit.path("_source").path("source.ip").asText()));
        return hosts;
    }

    private static List<JsonNode> search(OpenSearchClient client, String indexes, String query)
            throws Exception
    {
        List<JsonNode> hits = new ArrayList<>();
        Json.mapper().readTree(OpenSearchRest.require(client, "POST", "/" + indexes + "/_search", query)).path("hits").path("hits").forEach(hits::add);
        return hits;
    }

    private static void refresh(OpenSearchClient client, String indexes)
    {
        OpenSearchRest.require(client, "POST", "/" + indexes + "/_refresh", null);
    }

    private static long count(OpenSearchClient client, String index)
            throws Exception
    {
        return client.count(request -> request.index(index)).count();
    }
}
