package io.dragnet.sharing;

import io.dragnet.access.AccessPolicy;
import io.dragnet.access.AccessPolicyParser;
import io.dragnet.access.AuditConfig;
import io.dragnet.access.SecurityApplier;
import io.dragnet.access.SecurityCompiler;
import io.dragnet.access.TokenMinter;
import io.dragnet.access.gateway.TokenGateway;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.IndexNames;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.opensearch.OpenSearchSetup;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.RestCaller;
import io.dragnet.opensearch.client.RestResponse;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectFolder;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export trail's index on a real node with the sample access policy applied: the admin reads it, no group of the
 * policy reaches it by name, wildcard, alias listing, multi-get, multi-search or aggregation over every index.
 */
@Tag("integration")
class TestTrailIndexOnNode
{
    /** Only the trail entries carry this operator name, so any search that finds it has reached the trail. */
    private static final String MARKER = "trail-marker-operator";

    @TempDir
    static Path root;
    private static DragnetHome home;
    private static LocalOpenSearchNode node;
    private static OpenSearchClient client;
    private static AccessPolicy policy;
    private static ExportTrail trail;

    @BeforeAll
    static void startNodeAndApplyPolicy()
    {
        home = new DragnetHome(root);
        node = LocalOpenSearchNode.startOrReuse(home);
        client = OpenSearchClients.create(node.connection());
        new OpenSearchSetup(client, OpenSearchSetup.Options.local()).apply();
        policy = AccessPolicyParser.parse(RepositoryPaths.samples().resolve("access-policy.yaml"));
        new SecurityApplier(client).apply(SecurityCompiler.compileLocal(policy),
                AuditConfig.read(AuditConfig.besidePolicy(RepositoryPaths.samples().resolve("access-policy.yaml"))));
        trail = new ExportTrail(new ObjectFolder(new LocalObjectStore(), root.resolve("exports-trail").toString()));
        trail.append(entry("2018-11-03T08:00:00Z", "partner-cert"));
        trail.append(entry("2018-11-03T09:00:00Z", "community"));
    }

    @AfterAll
    static void stopNode()
    {
        if (client != null) {
            OpenSearchClients.close(client);
        }
        if (node != null) {
            node.stop();
        }
    }

    private static ExportTrail.Entry entry(String time, String recipient)
    {
        return new ExportTrail.Entry(time, MARKER, recipient, "stix", "1", "2018-11-02", "2018-11-02", Set.of("c2"), 10, 8,
                Map.of("tlp above the recipient's maximum", 2), "/exports/" + recipient + ".json", "ab".repeat(32));
    }

    @Test
    void mirrorIsIdempotentAndCatchesUpWithEntriesItMissed()
    {
        // The index is the node's one trail index: other tests of this class add their own entries to it.
        int indexed = new TrailIndex(client).mirror(trail);
        assertThat(indexed).isGreaterThanOrEqualTo(2);
        assertThat(new TrailIndex(client).mirror(trail)).isEqualTo(indexed);
        trail.append(entry("2018-11-03T10:00:00Z", "soc"));
        assertThat(new TrailIndex(client).mirror(trail)).isEqualTo(indexed + 1);
        String hits = RestCaller.asAdmin(node.connection()).require("GET", "/" + IndexNames.EXPORT_TRAIL_INDEX + "/_search?q=recipient:community", null);
        assertThat(hits).contains(MARKER, "\"value\":1");
    }

    /** The workflow's Share step against the node: the published day is exported as scheduled, anonymized, and indexed in the trail. */
    @Test
    void shareStepExportsThePublishedDayAndRecordsItInTheTrailIndex()
            throws Exception
    {
        RestCaller admin = RestCaller.asAdmin(node.connection());
        String index = IndexNames.runIndex("c2", java.time.LocalDate.parse("2018-11-02"), "share1");
        admin.require("PUT", "/" + index, "{\"aliases\":{\"" + IndexNames.dayAlias("c2", java.time.LocalDate.parse("2018-11-02")) + "\":{}}}");
        admin.require("POST", "/" + index + "/_doc?refresh=true", "{\"@timestamp\":\"2018-11-02T10:00:00Z\",\"rule\":{\"id\":\"c2-feodo\",\"name\":\"Feodo C2\"},"
                + "\"dragnet\":{\"topic\":\"c2\"},\"source\":{\"ip\":\"10.77.1.2\"},\"destination\":{\"ip\":\"203.0.113.9\",\"port\":449},"
                + "\"threat\":{\"indicator\":{\"type\":\"ip\",\"value\":\"203.0.113.9\"}}}");
        Path policy = root.resolve("sharing.yaml");
        java.nio.file.Files.writeString(policy, """
                version: 1
                recipients:
                  partner-cert:
                    topics: [c2]
                    max_tlp: amber
                schedule:
                  - {recipient: partner-cert, format: stix}
                """);
        Path results = root.resolve("share-results");
        Map<String, Object> input = Map.of("date", "2018-11-02", "runId", "share1", "resultsLocation", results.toUri().toString(),
                "opensearchConnection", io.dragnet.contracts.OpenSearchConnection.defaultFile(home).toString(),
                "sharing", Map.of("policy", policy.toUri().toString(), "keyFile", root.resolve("share.key").toString()));

        Map<String, Object> output = new io.dragnet.sharing.daily.ShareHandler().handleRequest(input, null);

        assertThat(output.get("refused")).asList().isEmpty();
        assertThat(output.get("exports")).asList().singleElement().asString().contains("partner-cert", "rows=1");
        String bundle = java.nio.file.Files.readString(results.resolve("exports/2018-11-02/partner-cert.stix.json"));
        assertThat(new StixValidator().violations(bundle)).isEmpty();
        assertThat(bundle).contains("203.0.113.9").doesNotContain("10.77.1.2");
        assertThat(((Number) output.get("trailIndexed")).intValue()).isGreaterThanOrEqualTo(1);
        assertThat(admin.require("GET", "/" + IndexNames.EXPORT_TRAIL_INDEX + "/_search?q=operator:%22workflow%20run%20share1%22", null)).contains("\"value\":1");
    }

    /** {@code export} and {@code notify} reach the domain only through a front door that checks every SigV4 signature. */
    @Test
    void exportAndNotifyReachADomainWithSigV4()
            throws Exception
    {
        RestCaller admin = RestCaller.asAdmin(node.connection());
        java.time.LocalDate day = java.time.LocalDate.parse("2018-11-05");
        String index = IndexNames.runIndex("c2", day, "sigv4");
        admin.require("PUT", "/" + index, "{\"aliases\":{\"" + IndexNames.dayAlias("c2", day) + "\":{}}}");
        admin.require("POST", "/" + index + "/_doc?refresh=true", "{\"@timestamp\":\"2018-11-05T10:00:00Z\",\"rule\":{\"id\":\"c2-feodo\",\"name\":\"Feodo C2\"},"
                + "\"dragnet\":{\"topic\":\"c2\"},\"source\":{\"ip\":\"10.77.1.3\"},\"destination\":{\"ip\":\"203.0.113.77\",\"port\":449}}");
        java.util.List<String> alerts = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/hook", exchange -> {
            try (exchange) {
                alerts.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        hook.start();
        Path sharing = root.resolve("sigv4-sharing.yaml");
        java.nio.file.Files.writeString(sharing, """
                version: 1
                recipients:
                  partner-cert:
                    topics: [c2]
                    max_tlp: amber
                channels:
                  partner-hook:
                    webhook: http://127.0.0.1:%d/hook
                    recipient: partner-cert
                    rules: ["*"]
                """.formatted(hook.getAddress().getPort()));
        Path out = root.resolve("sigv4-export.csv");
        try (io.dragnet.opensearch.client.SigV4VerifyingServer domain = io.dragnet.opensearch.client.SigV4VerifyingServer.start(
                io.dragnet.opensearch.client.SigV4VerifyingServer.proxyTo(node.connection()), java.nio.file.Files.createDirectories(root.resolve("sigv4-domain")));
                AutoCloseable credentials = io.dragnet.opensearch.client.SigV4VerifyingServer.processCredentials(
                        io.dragnet.opensearch.client.SigV4VerifyingServer.SECRET_ACCESS_KEY)) {
            List<String> domainOptions = List.of("--endpoint", domain.endpoint().toString(), "--region", io.dragnet.opensearch.client.SigV4VerifyingServer.REGION,
                    "--ca-certificate", domain.caCertificate().toString(), "--home", root.resolve("sigv4-home").toString(),
                    "--key", root.resolve("sigv4.key").toString(), "--policy", sharing.toString());
            java.util.List<String> export = new java.util.ArrayList<>(List.of("--date", day.toString(), "--recipient", "partner-cert", "--format", "csv",
                    "--out", out.toString(), "--trail", root.resolve("sigv4-trail").toString(), "--operator", "sigv4-export"));
            export.addAll(domainOptions);
            java.io.StringWriter err = new java.io.StringWriter();
            assertThat(new picocli.CommandLine(new ExportCommand()).setErr(new java.io.PrintWriter(err)).execute(export.toArray(String[]::new))).as(err::toString).isZero();
            // the export's scroll was cleared through the signed front door, not left to expire
            assertThat(admin.require("GET", "/_nodes/stats/indices/search?filter_path=nodes.*.indices.search.scroll_current", null))
                    .contains("\"scroll_current\":0");
            java.util.List<String> notify = new java.util.ArrayList<>(List.of("--date", day.toString(),
                    "--rules", io.dragnet.storage.RepositoryPaths.root().resolve("samples/rules").toString()));
            notify.addAll(domainOptions);
            assertThat(new picocli.CommandLine(new io.dragnet.sharing.alert.NotifyCommand()).setErr(new java.io.PrintWriter(err)).execute(notify.toArray(String[]::new)))
                    .as(err::toString).isZero();

            assertThat(domain.verdicts()).isNotEmpty().allSatisfy(verdict -> assertThat(verdict.accepted()).as(verdict.toString()).isTrue());
            assertThat(domain.accepted()).anyMatch(call -> call.path().endsWith("/_search"))
                    .anyMatch(call -> call.path().startsWith("/" + IndexNames.EXPORT_TRAIL_INDEX));
        }
        finally {
            hook.stop(0);
        }
        assertThat(java.nio.file.Files.readString(out)).contains("203.0.113.77").doesNotContain("10.77.1.3");
        assertThat(alerts).singleElement().asString().contains("c2-feodo", "203.0.113.77");
        assertThat(admin.require("GET", "/" + IndexNames.EXPORT_TRAIL_INDEX + "/_search?q=operator:sigv4-export", null)).contains("\"value\":1");
    }

    @Test
    void noGroupOfThePolicyReachesTheTrail()
    {
        new TrailIndex(client).mirror(trail);
        String index = IndexNames.EXPORT_TRAIL_INDEX;
        String everyIndexAggregation = "{\"size\":0,\"aggs\":{\"g\":{\"global\":{},\"aggs\":{\"i\":{\"terms\":{\"field\":\"_index\",\"size\":100}}}}}}";
        String markerQuery = "{\"query\":{\"query_string\":{\"query\":\"" + MARKER + "\"}}}";
        // Analysts' tokens reach the node through the token gateway, as every analyst's request does.
        try (TokenGateway gateway = TokenGateway.start(home, node.connection())) {
            for (AccessPolicy.Group group : policy.groups().values()) {
                RestCaller caller = RestCaller.withBearerToken(gateway.connection(), TokenMinter.mint(home, "user-" + group.name(), List.of(group.name()), Duration.ofMinutes(5)));
                String who = "group " + group.name();
                assertThat(caller.get("/" + index + "/_search").status()).as(who).isEqualTo(403);
                assertThat(caller.get("/" + index + "/_count").status()).as(who).isEqualTo(403);
                assertThat(caller.send("POST", "/_mget", "{\"docs\":[{\"_index\":\"" + index + "\",\"_id\":\"x\"}]}").body()).as(who).doesNotContain(MARKER);
                assertThat(caller.send("POST", "/_msearch", "{\"index\":\"" + index + "\"}\n{\"query\":{\"match_all\":{}}}\n").body()).as(who).doesNotContain(MARKER);
                for (String pattern : List.of("*", "_all", "dragnet*", "dragnet_*", "*trail*")) {
                    RestResponse search = caller.send("POST", "/" + pattern + "/_search", markerQuery);
                    assertThat(search.body()).as(who + " searching " + pattern).doesNotContain(MARKER);
                    RestResponse aggregation = caller.send("POST", "/" + pattern + "/_search", everyIndexAggregation);
                    assertThat(aggregation.body()).as(who + " aggregating over " + pattern).doesNotContain(index);
                }
                assertThat(caller.get("/_cat/indices?format=json").body()).as(who).doesNotContain(index);
                assertThat(caller.get("/_resolve/index/*").body()).as(who).doesNotContain(index);
            }
        }
        RestResponse admin = RestCaller.asAdmin(node.connection()).send("POST", "/" + index + "/_search", markerQuery);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.body()).contains(MARKER);
    }
}
