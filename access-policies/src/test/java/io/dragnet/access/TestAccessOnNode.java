package io.dragnet.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.OpenSearchSetup;
import io.dragnet.opensearch.client.RestCaller;
import io.dragnet.opensearch.client.RestResponse;
import io.dragnet.opensearch.internal.CertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample policy enforced by a real node with the security plugin; one node for the class. */
@Tag("integration")
class TestAccessOnNode
{
    private static final List<String> TOPICS = List.of("c2", "dns", "web", "nids");

    @TempDir
    static Path root;
    private static DragnetHome home;
    private static LocalOpenSearchNode node;
    private static RestCaller admin;
    private static AccessPolicy policy;

    @BeforeAll
    static void startNodeApplyPolicyAndIndex()
            throws Exception
    {
        home = new DragnetHome(root);
        node = LocalOpenSearchNode.startOrReuse(home);
        admin = RestCaller.asAdmin(node.connection());
        OpenSearchClient client = OpenSearchClients.create(node.connection());
        try {
            new OpenSearchSetup(client, OpenSearchSetup.Options.local()).apply();
            policy = AccessPolicyParser.parse(io.dragnet.storage.RepositoryPaths.samples().resolve("access-policy.yaml"));
            new SecurityApplier(client).apply(SecurityCompiler.compileLocal(policy));
            // Idempotent: applying again leaves the same roles.
            new SecurityApplier(client).apply(SecurityCompiler.compileLocal(policy));
        }
        finally {
            client._transport().close();
        }
        StringBuilder bulk = new StringBuilder();
        for (String topic : TOPICS) {
            String index = "dragnet-" + topic + "-2018.11.02-run1";
            bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"open\"}}\n")
                    .append("{\"@timestamp\":\"2018-11-02T10:00:00Z\",\"rule.id\":\"r-").append(topic)
                    .append("\",\"asset\":{\"criticality\":\"normal\",\"owner\":\"alice-team\"},\"user_agent\":{\"original\":\"curl/7.1\"},\"source\":{\"ip\":\"10.0.0.5\"}}\n");
            bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"restricted\"}}\n")
                    .append("{\"@timestamp\":\"2018-11-02T11:00:00Z\",\"rule.id\":\"r-").append(topic)
                    .append("\",\"asset\":{\"criticality\":\"restricted\",\"owner\":\"board\"},\"source\":{\"ip\":\"10.0.0.6\"}}\n");
        }
        bulk.append("{\"index\":{\"_index\":\"dragnet-runs\",\"_id\":\"run1\"}}\n{\"run_id\":\"run1\",\"date\":\"2018-11-02\",\"cost_usd\":1.25}\n");
        String response = admin.require("POST", "/_bulk?refresh=true", bulk.toString());
        assertThat(response).contains("\"errors\":false");
        for (String topic : TOPICS) {
            admin.require("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"dragnet-" + topic + "-2018.11.02-run1\",\"alias\":\"dragnet-" + topic + "\"}}]}");
        }
    }

    @AfterAll
    static void stopNode()
    {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    void everyGroupReadsExactlyItsTopics()
    {
        for (AccessPolicy.Group group : policy.groups().values()) {
            String token = TokenMinter.mint(home, "user-" + group.name(), List.of(group.name()), Duration.ofMinutes(5));
            RestCaller caller = RestCaller.withBearerToken(node.connection(), token);
            for (String topic : TOPICS) {
                RestResponse response = caller.get("/dragnet-" + topic + "/_search");
                if (group.reads(topic)) {
                    assertThat(response.status()).as("%s reads %s: %s", group.name(), topic, response.body()).isEqualTo(200);
                    assertThat(hits(response)).as("%s on %s", group.name(), topic).isNotEmpty();
                }
                else {
                    assertThat(response.status()).as("%s must not read %s", group.name(), topic).isEqualTo(403);
                }
            }
            RestResponse ledger = caller.get("/dragnet-runs/_search");
            assertThat(ledger.status()).as("%s on ledger", group.name()).isEqualTo(group.ledgerRead() ? 200 : 403);
            RestResponse security = caller.get("/.opendistro_security/_search");
            assertThat(security.status()).as("%s on security index", group.name()).isIn(403, 404);
            assertThat(security.body()).doesNotContain("internalusers");
        }
    }

    @Test
    void documentAndFieldLevelSecurityAndMasking()
    {
        RestCaller researcher = RestCaller.withBearerToken(node.connection(), TokenMinter.mint(home, "rita", List.of("c2-researchers"), Duration.ofMinutes(5)));
        RestCaller analyst = RestCaller.withBearerToken(node.connection(), TokenMinter.mint(home, "sam", List.of("soc-analysts"), Duration.ofMinutes(5)));
        assertThat(ids(hits(researcher.get("/dragnet-c2/_search")))).containsExactlyInAnyOrder("open", "restricted");
        List<JsonNode> c2 = hits(analyst.get("/dragnet-c2/_search"));
        assertThat(ids(c2)).containsExactly("open");
        String maskedOwner = c2.get(0).path("_source").path("asset").path("owner").asText();
        assertThat(maskedOwner).isNotEmpty().isNotEqualTo("alice-team");
        assertThat(hits(researcher.get("/dragnet-c2/_search")).get(0).path("_source").path("asset").path("owner").asText()).isIn("alice-team", "board");

        List<JsonNode> web = hits(analyst.get("/dragnet-web/_search"));
        assertThat(ids(web)).containsExactly("open");
        assertThat(web.get(0).path("_source").path("user_agent").has("original")).isFalse();
        assertThat(web.get(0).path("_source").path("source").path("ip").asText()).isEqualTo("10.0.0.5");
        // nids has no document filter for analysts: both rows.
        assertThat(ids(hits(analyst.get("/dragnet-nids/_search")))).containsExactlyInAnyOrder("open", "restricted");
    }

    @Test
    void refusesBadSignatureExpiredAndGroupless()
            throws Exception
    {
        TokenMinter forger = new TokenMinter(CertificateAuthority.rsaKeyPair(new SecureRandom()).getPrivate(), Clock.systemUTC());
        assertThat(RestCaller.withBearerToken(node.connection(), forger.mint("mallory", List.of("soc-analysts"), Duration.ofMinutes(5)))
                .get("/dragnet-c2/_search").status()).isEqualTo(401);

        TokenMinter past = new TokenMinter(
                io.dragnet.opensearch.internal.Pem.readRsaPrivateKey(java.nio.file.Files.readString(LocalOpenSearchNode.jwtSigningKeyFile(home))),
                Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC));
        assertThat(RestCaller.withBearerToken(node.connection(), past.mint("old", List.of("soc-analysts"), Duration.ofMinutes(10)))
                .get("/dragnet-c2/_search").status()).isEqualTo(401);

        RestResponse groupless = RestCaller.withBearerToken(node.connection(), TokenMinter.mint(home, "nobody", List.of(), Duration.ofMinutes(5)))
                .get("/dragnet-c2/_search");
        assertThat(groupless.status()).isIn(401, 403);
    }

    @Test
    void auditLogRecordsWhoReadWhichIndex()
    {
        RestCaller reader = RestCaller.withBearerToken(node.connection(), TokenMinter.mint(home, "audited-dana", List.of("dns-researchers"), Duration.ofMinutes(5)));
        assertThat(reader.get("/dragnet-dns/_search").status()).isEqualTo(200);
        Instant deadline = Instant.now().plusSeconds(60);
        String query = "{\"query\":{\"match_phrase\":{\"audit_request_effective_user\":\"audited-dana\"}},\"size\":50}";
        List<JsonNode> events = List.of();
        while (Instant.now().isBefore(deadline)) {
            admin.send("POST", "/security-auditlog-*/_refresh", null);
            RestResponse response = admin.send("POST", "/security-auditlog-*/_search", query);
            if (response.ok()) {
                events = hits(response);
                if (events.stream().anyMatch(event -> event.path("_source").toString().contains("dragnet-dns-2018.11.02-run1"))) {
                    break;
                }
            }
            // The audit sink writes asynchronously: poll with a deadline.
            try {
                Thread.sleep(500);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertThat(events).as("audit events of audited-dana").anyMatch(event ->
                event.path("_source").path("audit_category").asText().equals("GRANTED_PRIVILEGES")
                        && event.path("_source").toString().contains("dragnet-dns-2018.11.02-run1"));
    }

    private static List<JsonNode> hits(RestResponse response)
    {
        try {
            JsonNode root = Json.mapper().readTree(response.body());
            List<JsonNode> hits = new java.util.ArrayList<>();
            root.path("hits").path("hits").forEach(hits::add);
            return hits;
        }
        catch (Exception e) {
            throw new AssertionError("not a search response: " + response.body(), e);
        }
    }

    private static List<String> ids(List<JsonNode> hits)
    {
        return hits.stream().map(hit -> hit.path("_id").asText()).toList();
    }

}
