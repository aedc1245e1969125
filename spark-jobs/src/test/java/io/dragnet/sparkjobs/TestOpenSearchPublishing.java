package io.dragnet.sparkjobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.anonymization.SharingKeys;
import io.dragnet.contracts.AggregateSpec;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.Predicate;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.contracts.DragnetException;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.OpenSearchEndpoint;
import io.dragnet.opensearch.client.OpenSearchEnvironment;
import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.opensearch.client.SigV4VerifyingServer;
import io.dragnet.opensearch.OpenSearchSetup;
import io.dragnet.publish.PublishHandler;
import io.dragnet.sparkjobs.sink.OpenSearchDocumentSink;
import io.dragnet.sparkjobs.sink.RunIndexWriter;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.SparkFixture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against a real OpenSearch 2.19 node with the project's templates: documents, mappings, alias switch, idempotent re-run.
 * The writers reach the node as they reach OpenSearch Service: SigV4 from the environment contract, through
 * {@link SigV4VerifyingServer}, which recomputes every signature with the AWS SDK's signer before forwarding.
 */
@Tag("integration")
class TestOpenSearchPublishing
{
    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @Test
    void writesRunIndexesPublishesByAliasAndRerunsWithoutDuplicates(@TempDir Path temp)
            throws Exception
    {
        // the node runs as an unprivileged user, which must be able to traverse the temporary directory
        java.nio.file.Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        LocalOpenSearchNode node = LocalOpenSearchNode.startOrReuse(new DragnetHome(temp.resolve("home")));
        OpenSearchClient client = OpenSearchClients.create(node.connection());
        SigV4VerifyingServer domain = SigV4VerifyingServer.start(SigV4VerifyingServer.proxyTo(node.connection()), temp);
        AutoCloseable credentials = SigV4VerifyingServer.processCredentials(SigV4VerifyingServer.SECRET_ACCESS_KEY);
        try {
            new OpenSearchSetup(client, OpenSearchSetup.Options.local()).apply();
            Map<String, String> environment = domain.environment();
            String results = temp.resolve("results").toUri().toString();
            OpenSearchEndpoint endpoint = OpenSearchEnvironment.resolve(environment, null).orElseThrow();
            Path lakeDay = TestSpecs.lakeDay(temp.resolve("lake"), "zeek_conn", RepositoryPaths.samples().resolve("zeek/conn.log"), false);
            JobSpec first = withBusySources(TestSpecs.conn(lakeDay, temp.resolve("results"), temp.resolve("lake"), temp.resolve("work"), "dragnet"), temp.resolve("results"));
            SharingKeys keys = SharingKeys.of(HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));
            ExtractionJob job = new ExtractionJob(OpenSearchDocumentSink.factory(endpoint, keys), StageListener.NONE);
            RunMetrics metrics = job.execute(SPARK.session(), first);
            String c2Index = RunIndexWriter.runIndex(first, "c2");
            long c2Documents = metrics.documentsPerIndex().get(c2Index);
            Map<String, long[]> busySources = busySources(RepositoryPaths.samples().resolve("zeek/conn.log"));
            assertThat(busySources).hasSize(2);
            assertThat(c2Documents).isEqualTo(21 + busySources.size());
            assertThat(count(client, c2Index)).isEqualTo(c2Documents);
            // aggregate hits: measures are numbers analysts can filter on, the group's asset criticality is looked up
            OpenSearchRest.require(client, "POST", "/" + c2Index + "/_refresh", null);
            String measureMapping = OpenSearchRest.require(client, "GET", "/" + c2Index + "/_mapping/field/aggregate.measures.n,window.end", null);
            assertThat(measureMapping).contains("\"aggregate.measures.n\"").contains("\"type\":\"double\"").contains("\"type\":\"date\"");
            for (Map.Entry<String, long[]> busy : busySources.entrySet()) {
                String query = "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"rule.id\":\"conn-busy-source\"}},{\"term\":{\"aggregate.measures.n\":" + busy.getValue()[0]
                        + "}},{\"term\":{\"aggregate.measures.bytes\":" + busy.getValue()[1] + "}}]}}}";
                String found = OpenSearchRest.require(client, "POST", "/" + c2Index + "/_search", query);
                assertThat(found).as(busy.getKey()).contains("\"total\":{\"value\":1,").contains("\"source.ip\":\"" + busy.getKey() + "\"")
                        .contains("\"asset.criticality\":\"high\"").contains("\"window.end\":\"2018-11-03T00:00:00");
            }

            // readers see nothing of the day until Publish
            assertThat(OpenSearchRest.call(client, "GET", "/" + IndexNames.dayAlias("c2", LocalDate.of(2018, 11, 2)) + "/_count", null).ok()).isFalse();
            Map<String, Object> output = new PublishHandler(environment).handleRequest(Map.of("date", TestSpecs.DATE, "runId", TestSpecs.RUN, "resultsLocation", results), null);
            // c2 and nids, each with its (here empty) restricted partition
            assertThat((List<?>) output.get("published")).hasSize(4);
            assertThat(count(client, "dragnet-c2_restricted-2018.11.02")).isZero();
            assertThat(count(client, "dragnet-c2-2018.11.02")).isEqualTo(c2Documents);
            assertThat(count(client, "dragnet-c2")).isEqualTo(c2Documents);
            String mapping = OpenSearchRest.require(client, "GET", "/" + c2Index + "/_mapping/field/destination.ip,destination.geo.location,@timestamp", null);
            assertThat(mapping).contains("\"type\":\"ip\"").contains("\"type\":\"geo_point\"").contains("\"type\":\"date\"");
            String hit = OpenSearchRest.require(client, "GET", "/dragnet-c2/_search?q=rule.id:c2-ip-feed&size=1", null);
            assertThat(hit).contains("\"threat.indicator.value\":\"76.181.182.166\"").contains("\"zeek.conn\"");
            // each address's pseudonym (the image exports show) and text copy, typed for CIDR queries and for masking
            JsonNode indexed = Json.mapper().readTree(hit).path("hits").path("hits").get(0).path("_source");
            String sourceIp = indexed.path("source.ip").asText();
            assertThat(indexed.path("source.address").asText()).isEqualTo(sourceIp);
            assertThat(indexed.path("pseudonym.source.ip").asText()).isEqualTo(keys.cryptoPan().anonymize(sourceIp).orElseThrow()).isNotEqualTo(sourceIp);
            assertThat(OpenSearchRest.require(client, "GET", "/" + c2Index + "/_mapping/field/pseudonym.source.ip,source.address", null))
                    .contains("\"type\":\"ip\"").contains("\"type\":\"keyword\"");

            // same run again: same ids, same count
            job.execute(SPARK.session(), first);
            OpenSearchRest.require(client, "POST", "/" + c2Index + "/_refresh", null);
            assertThat(count(client, c2Index)).isEqualTo(c2Documents);

            // a killed run left an index no alias points at (its documents are visible through dragnet-c2-* until swept)
            LocalDate day = LocalDate.of(2018, 11, 2);
            String killed = IndexNames.runIndex("c2", day, "run-0001k");
            OpenSearchRest.require(client, "PUT", "/" + killed + "/_doc/1?refresh=true", "{\"rule.id\":\"c2-ip-feed\"}");
            assertThat(count(client, "dragnet-c2-*")).isEqualTo(c2Documents + 1);
            // failed runs of other days, whose day never published since, left theirs too; a sandbox run is never swept
            String otherDay = IndexNames.runIndex("c2", day.minusDays(3), "run-0000f");
            String otherDayRestricted = IndexNames.runIndex(IndexNames.restrictedTopic("nids"), day.minusDays(40), "run-0000g");
            String sandbox = IndexNames.sandboxRunIndex("c2", day.minusDays(3), "run-0000s");
            for (String index : List.of(otherDay, otherDayRestricted, sandbox)) {
                OpenSearchRest.require(client, "PUT", "/" + index + "/_doc/1?refresh=true", "{\"rule.id\":\"c2-ip-feed\"}");
            }

            // a second run of the day replaces the first behind the aliases
            JobSpec second = new JobSpec(first.specVersion(), "run-0002", first.date(), first.source(), first.rules(), first.iocTables(), first.enrichmentData(), first.outputs());
            job.execute(SPARK.session(), second);
            String later = IndexNames.runIndex("c2", day, "run-0003");
            OpenSearchRest.require(client, "PUT", "/" + later, null);
            Map<String, Object> republished = new PublishHandler(environment).handleRequest(Map.of("date", TestSpecs.DATE, "runId", "run-0002", "resultsLocation", results), null);
            assertThat(republished.toString()).contains("removed=[" + c2Index + "]");
            assertThat(count(client, "dragnet-c2-2018.11.02")).isEqualTo(c2Documents);
            assertThat(count(client, "dragnet-c2")).isEqualTo(c2Documents);
            assertThat(OpenSearchRest.call(client, "GET", "/" + c2Index, null).ok()).as("previous run index removed").isFalse();
            assertThat(OpenSearchRest.call(client, "GET", "/" + killed, null).ok()).as("killed run's index swept").isFalse();
            assertThat(OpenSearchRest.call(client, "GET", "/" + otherDay, null).ok()).as("another day's failed run swept").isFalse();
            assertThat(OpenSearchRest.call(client, "GET", "/" + otherDayRestricted, null).ok()).as("another day's restricted debris swept").isFalse();
            assertThat(OpenSearchRest.call(client, "GET", "/" + sandbox, null).ok()).as("sandbox runs are not debris").isTrue();
            assertThat(OpenSearchRest.call(client, "GET", "/" + later, null).ok()).as("a later run's index, still being written, is kept").isTrue();
            assertThat(count(client, "dragnet-c2-*")).as("the wildcard sees what the alias sees").isEqualTo(c2Documents);

            // every request of the sink and of Publish was signed as the SDK signs, none refused
            assertThat(domain.verdicts()).hasSizeGreaterThan(10).allSatisfy(verdict -> assertThat(verdict.problem()).isNull());
            assertThat(domain.accepted()).anySatisfy(call -> assertThat(call.path()).isEqualTo("/_bulk"))
                    .anySatisfy(call -> assertThat(call.path()).isEqualTo("/_aliases"));

            // refused (credentials the domain does not accept) and unreachable are failed steps naming the endpoint
            credentials.close();
            credentials = SigV4VerifyingServer.processCredentials("a-rotated-secret");
            assertThatThrownBy(() -> new PublishHandler(environment).handleRequest(Map.of("date", TestSpecs.DATE, "runId", "run-0002", "resultsLocation", results), null))
                    .isInstanceOf(DragnetException.class)
                    .hasMessageContaining("Publish of run run-0002 to OpenSearch " + domain.endpoint() + " (sigv4) failed")
                    .hasMessageContaining("(HTTP 403)");
            assertThatThrownBy(() -> job.execute(SPARK.session(), second))
                    .hasStackTraceContaining("[security_exception]");
            Map<String, String> unreachable = new HashMap<>(environment);
            unreachable.put(OpenSearchEnvironment.ENDPOINT, "https://127.0.0.1:" + closedPort());
            assertThatThrownBy(() -> new PublishHandler(unreachable).handleRequest(Map.of("date", TestSpecs.DATE, "runId", "run-0002", "resultsLocation", results), null))
                    .isInstanceOf(DragnetException.class)
                    .hasMessageContaining("to OpenSearch " + unreachable.get(OpenSearchEnvironment.ENDPOINT) + " (sigv4) failed")
                    .hasMessageContaining("Connection refused");
            // only an explicit disable skips
            assertThat(new PublishHandler(Map.of(OpenSearchEnvironment.AUTH, "disabled")).handleRequest(Map.of("date", TestSpecs.DATE, "runId", "run-0002", "resultsLocation", results), null))
                    .containsEntry("skipped", "OpenSearch disabled (OPENSEARCH_AUTH=disabled)");
        }
        finally {
            credentials.close();
            domain.close();
            client._transport().close();
            node.stop();
        }
    }

    /** The conn rows adds an aggregate rule over: sources with at least 50 connections in the day, with their bytes sent. */
    private static JobSpec withBusySources(JobSpec spec, Path results)
    {
        AggregateSpec busy = new AggregateSpec(List.of("id.orig_h"), 86_400, 86_400,
                List.of(new AggregateSpec.MeasureSpec("n", "count", null, null, null, null, false),
                        new AggregateSpec.MeasureSpec("bytes", "sum", "orig_bytes", null, null, null, false)),
                AggregateSpec.Expression.of("gte", AggregateSpec.Expression.measure("n"), AggregateSpec.Expression.number(50)), 3, null, 0);
        List<JobSpec.RuleSpec> rules = new ArrayList<>(spec.rules());
        rules.add(new JobSpec.RuleSpec("conn-busy-source", "Busy sources", "c2", "medium", List.of(), new Predicate.Always(), null, List.of(), List.of(), List.of(), busy));
        JobSpec.Outputs outputs = spec.outputs();
        return new JobSpec(spec.specVersion(), spec.runId(), spec.date(), spec.source(), rules, spec.iocTables(), spec.enrichmentData(),
                new JobSpec.Outputs(outputs.opensearchIndexPrefix(), outputs.summaries(), outputs.metrics(), outputs.rejects(), outputs.documents(),
                        results.resolve("aggregates/dt=" + TestSpecs.DATE + "/run=" + spec.runId() + "/zeek_conn").toUri().toString()));
    }

    /** Source address → {connections, bytes sent} for sources with at least 50 connections, counted over the log lines. */
    private static Map<String, long[]> busySources(Path conn)
            throws java.io.IOException
    {
        Map<String, long[]> perSource = new java.util.TreeMap<>();
        for (String line : java.nio.file.Files.readAllLines(conn)) {
            if (!line.startsWith("#")) {
                String[] fields = line.split("\t");
                long[] sums = perSource.computeIfAbsent(fields[2], ignored -> new long[2]);
                sums[0]++;
                sums[1] += fields[9].equals("-") ? 0 : Long.parseLong(fields[9]);
            }
        }
        perSource.values().removeIf(sums -> sums[0] < 50);
        return perSource;
    }

    private static int closedPort()
            throws Exception
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static long count(OpenSearchClient client, String index)
            throws Exception
    {
        return client.count(request -> request.index(index)).count();
    }
}
