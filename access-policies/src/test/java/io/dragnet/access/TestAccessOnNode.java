package io.dragnet.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jose.jwk.RSAKey;
import io.dragnet.access.cognito.CognitoLocal;
import io.dragnet.anonymization.IndexPseudonyms;
import io.dragnet.anonymization.SharingKeys;
import io.dragnet.access.cognito.LocalSignIn;
import io.dragnet.access.cognito.LocalUserPool;
import io.dragnet.access.gateway.TokenGateway;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.Json;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.OpenSearchSetup;
import io.dragnet.opensearch.client.RestCaller;
import io.dragnet.opensearch.client.RestResponse;
import io.dragnet.opensearch.internal.CertificateAuthority;
import io.dragnet.opensearch.internal.Pem;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sample policy enforced by a real node with the security plugin; one node for the class. Documents are placed
 * where the writer puts them ({@link IndexNames#isRestricted}: restricted assets in the topic's restricted partition).
 */
@Tag("integration")
class TestAccessOnNode
{
    private static final List<String> TOPICS = List.of("c2", "dns", "web", "nids");
    private static final String DAY = "2018.11.02";
    /** Values only the restricted documents carry, and values hidden or masked for SOC analysts. */
    private static final List<String> SECRETS = List.of("board", "r-secret", "10.0.0.6", "vip-server");
    private static final List<String> HIDDEN_FROM_ANALYSTS = List.of("alice-team", "curl/7.1", "event.original", "\"original\"", "10.0.0.5");
    /** The key the documents' pseudonyms are made with, as the index writer makes them with the home's sharing key. */
    private static final SharingKeys KEYS = SharingKeys.of(HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));

    @TempDir
    static Path root;
    private static DragnetHome home;
    private static LocalOpenSearchNode node;
    private static RestCaller admin;
    private static AccessPolicy policy;
    /** The minter's key: the token gateway trusts it (with the local pool's issuer and audience); the node does not. */
    private static PrivateKey signingKey;
    private static CognitoLocal cognito;
    private static LocalSignIn signIn;
    private static TokenGateway gateway;

    @BeforeAll
    static void startNodeApplyPolicyAndIndex()
            throws Exception
    {
        home = new DragnetHome(root);
        node = LocalOpenSearchNode.startOrReuse(home);
        admin = RestCaller.asAdmin(node.connection());
        signingKey = Pem.readRsaPrivateKey(Files.readString(LocalOpenSearchNode.minterSigningKeyFile(home)));
        OpenSearchClient client = OpenSearchClients.create(node.connection());
        try {
            new OpenSearchSetup(client, OpenSearchSetup.Options.local()).apply();
            policy = AccessPolicyParser.parse(io.dragnet.storage.RepositoryPaths.samples().resolve("access-policy.yaml"));
            AuditConfig audit = AuditConfig.read(AuditConfig.besidePolicy(RepositoryPaths.samples().resolve("access-policy.yaml")));
            // The node starts with its audit log off; applying the policy with its audit configuration turns it on.
            assertThat(Json.mapper().readTree(admin.require("GET", "/_plugins/_security/api/audit", null)).path("config").path("enabled").asBoolean(true))
                    .as("audit log before apply").isFalse();
            assertThat(new SecurityApplier(client).apply(SecurityCompiler.compileLocal(policy), audit)).contains("put audit/config");
            // Idempotent: applying again leaves the same roles and audit configuration.
            new SecurityApplier(client).apply(SecurityCompiler.compileLocal(policy), audit);
            JsonNode applied = Json.mapper().readTree(admin.require("GET", "/_plugins/_security/api/audit", null)).path("config");
            assertThat(applied.path("enabled").asBoolean()).as("audit log after apply").isTrue();
            assertThat(applied.path("audit").path("disabled_transport_categories").toString()).as("audit categories as " + AuditConfig.FILE_NAME + " says")
                    .isEqualTo("[\"AUTHENTICATED\"]");
        }
        finally {
            client._transport().close();
        }
        cognito = CognitoLocal.start(home);
        signIn = new LocalSignIn(home, cognito);
        signIn.apply(policy, cognito);
        // Idempotent: the pool, its groups and users, and the gateway's trust stay as they are.
        signIn.apply(policy, cognito);
        gateway = TokenGateway.start(home, node.connection());
        StringBuilder bulk = new StringBuilder();
        for (String topic : TOPICS) {
            document(bulk, topic, "open", "normal", "alice-team", "r-" + topic, "10.0.0.5", "curl/7.1");
            document(bulk, topic, "restricted", "restricted", "board", "r-secret", "10.0.0.6", null);
            // Case and blanks do not make a restricted asset visible.
            document(bulk, topic, "restricted-mixed-case", " Restricted", "vip-server", "r-secret", "10.0.0.6", null);
        }
        bulk.append("{\"index\":{\"_index\":\"dragnet-runs\",\"_id\":\"run1\"}}\n{\"run_id\":\"run1\",\"date\":\"2018-11-02\",\"cost_usd\":1.25}\n");
        String response = admin.require("POST", "/_bulk?refresh=true", bulk.toString());
        assertThat(response).contains("\"errors\":false");
        for (String topic : TOPICS) {
            for (String partition : IndexNames.partitions(topic)) {
                String index = "dragnet-" + partition + "-" + DAY + "-run1";
                admin.require("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"" + index + "\",\"alias\":\"dragnet-" + partition + "\"}},"
                        + "{\"add\":{\"index\":\"" + index + "\",\"alias\":\"dragnet-" + partition + "-" + DAY + "\"}}]}");
            }
        }
    }

    private static void document(StringBuilder bulk, String topic, String id, String criticality, String owner, String rule, String ip, String userAgent)
    {
        String partition = IndexNames.isRestricted(criticality) ? IndexNames.restrictedTopic(topic) : topic;
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("@timestamp", "2018-11-02T10:00:00Z");
        source.put("rule", Map.of("id", rule));
        source.put("asset", Map.of("criticality", criticality, "owner", owner));
        // Flat, one dotted name per key, as the index writer sends documents.
        source.put("source.ip", ip);
        if (userAgent != null) {
            source.put("user_agent", Map.of("original", userAgent));
        }
        source.put("event", Map.of("original", "{\"id.orig_h\":\"" + ip + "\",\"user_agent\":\"" + userAgent + "\"}"));
        new IndexPseudonyms(KEYS).addTo(source);
        bulk.append("{\"index\":{\"_index\":\"dragnet-").append(partition).append('-').append(DAY).append("-run1\",\"_id\":\"").append(id).append("\"}}\n")
                .append(Json.mapper().valueToTree(source).toString()).append('\n');
    }

    @AfterAll
    static void stopNode()
    {
        if (gateway != null) {
            gateway.close();
        }
        if (cognito != null) {
            cognito.close();
        }
        if (node != null) {
            node.stop();
        }
    }

    @Test
    void everyGroupReadsExactlyItsTopicsAndRestrictedPartitions()
    {
        for (AccessPolicy.Group group : policy.groups().values()) {
            readsExactlyWhatThePolicyGrants(group, bearer(TokenMinter.mint(home, "user-" + group.name(), List.of(group.name()), Duration.ofMinutes(5))));
        }
    }

    /** Users signed in to the local Cognito user pool (cognito-local, USER_PASSWORD_AUTH) read exactly their groups' topics. */
    @Test
    void signedInUsersOfEveryGroupReadExactlyItsTopics()
            throws Exception
    {
        for (AccessPolicy.Group group : policy.groups().values()) {
            String idToken = signIn.idToken(LocalSignIn.DEMO_PREFIX + group.name());
            SignedJWT jwt = SignedJWT.parse(idToken);
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            assertThat(claims.getStringClaim("token_use")).isEqualTo("id");
            assertThat(claims.getStringListClaim(LocalOpenSearchNode.JWT_ROLES_KEY)).containsExactly(group.name());
            assertThat(claims.getIssuer()).isEqualTo(signIn.pool().issuer());
            assertThat(claims.getAudience()).containsExactly(signIn.pool().clientId());
            assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant())).isEqualTo(Duration.ofHours(1));
            assertThat(claims.getIssueTime().toInstant()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));
            readsExactlyWhatThePolicyGrants(group, bearer(idToken));
        }
        RestResponse whoAmI = bearer(signIn.idToken(LocalSignIn.DEMO_PREFIX + "soc-analysts")).get("/_plugins/_security/authinfo");
        assertThat(json(whoAmI).path("user_name").asText()).isEqualTo(LocalSignIn.DEMO_PREFIX + "soc-analysts");
        assertThat(json(whoAmI).path("backend_roles").toString()).isEqualTo("[\"soc-analysts\"]");
    }

    /**
     * The node trusts the pool's ID tokens only: its access tokens, another pool's ID tokens (same server, same key),
     * and tokens signed with the key cognito-local publishes in its npm package are refused.
     */
    @Test
    void accessTokensOtherPoolsAndThePackagedKeyAreRefused()
            throws Exception
    {
        LocalUserPool.SignIn analyst = signIn.signIn(LocalSignIn.DEMO_PREFIX + "c2-researchers");
        assertThat(bearer(analyst.idToken()).get("/dragnet-c2/_search").status()).isEqualTo(200);
        assertThat(SignedJWT.parse(analyst.accessToken()).getJWTClaimsSet().getStringClaim("token_use")).isEqualTo("access");
        assertThat(bearer(analyst.accessToken()).get("/dragnet-c2/_search").status()).as("access token").isEqualTo(401);

        LocalUserPool otherPool = LocalUserPool.ensure(cognito.client(), "another-team");
        otherPool.syncGroups(List.of("c2-researchers"));
        otherPool.putUser("mallory", "Other-pool-pass-1234", List.of("c2-researchers"));
        String otherPoolToken = otherPool.signIn("mallory", "Other-pool-pass-1234").idToken();
        assertThat(SignedJWT.parse(otherPoolToken).getJWTClaimsSet().getStringListClaim(LocalOpenSearchNode.JWT_ROLES_KEY)).containsExactly("c2-researchers");
        assertThat(bearer(otherPoolToken).get("/dragnet-c2/_search").status()).as("another pool's ID token").isEqualTo(401);

        JsonNode packaged = Json.mapper().readTree(RepositoryPaths.root().resolve("node_modules/cognito-local/lib/keys/cognitoLocal.private.json").toFile());
        PrivateKey publishedKey = RSAKey.parse(packaged.path("jwk").toString()).toRSAPrivateKey();
        String forged = sign(publishedKey, claims("mallory", List.of("c2-researchers"), Instant.now(), Duration.ofMinutes(5))
                .issuer(signIn.pool().issuer()).audience(signIn.pool().clientId()).build());
        assertThat(bearer(forged).get("/dragnet-c2/_search").status()).as("signed with cognito-local's published key").isEqualTo(401);
        // The same claims signed with the pool's own key pass: the key alone made the difference.
        PrivateKey poolKey = Pem.readRsaPrivateKey(Files.readString(home.engine("cognito-local").resolve("signing-key.pem")));
        String genuine = sign(poolKey, claims("mallory", List.of("c2-researchers"), Instant.now(), Duration.ofMinutes(5))
                .issuer(signIn.pool().issuer()).audience(signIn.pool().clientId()).build());
        assertThat(bearer(genuine).get("/dragnet-c2/_search").status()).isEqualTo(200);

        assertThatThrownBy(() -> signIn.pool().signIn(LocalSignIn.DEMO_PREFIX + "c2-researchers", "wrong-password-1A"))
                .hasMessageContaining("refused");
    }

    private static void readsExactlyWhatThePolicyGrants(AccessPolicy.Group group, RestCaller caller)
    {
        for (String topic : TOPICS) {
            RestResponse response = caller.get("/dragnet-" + topic + "/_search");
            RestResponse restricted = caller.get("/dragnet-" + IndexNames.restrictedTopic(topic) + "/_search");
            if (group.reads(topic)) {
                assertThat(response.status()).as("%s reads %s: %s", group.name(), topic, response.body()).isEqualTo(200);
                assertThat(ids(hits(response))).as("%s on %s", group.name(), topic).containsExactly("open");
            }
            else {
                assertThat(response.status()).as("%s must not read %s", group.name(), topic).isEqualTo(403);
            }
            if (group.readRestricted().contains(topic)) {
                assertThat(ids(hits(restricted))).as("%s on restricted %s", group.name(), topic).containsExactlyInAnyOrder("restricted", "restricted-mixed-case");
            }
            else {
                assertThat(restricted.status()).as("%s must not read restricted %s: %s", group.name(), topic, restricted.body()).isEqualTo(403);
            }
        }
        RestResponse ledger = caller.get("/dragnet-runs/_search");
        assertThat(ledger.status()).as("%s on ledger", group.name()).isEqualTo(group.ledgerRead() ? 200 : 403);
        RestResponse security = caller.get("/.opendistro_security/_search");
        assertThat(security.status()).as("%s on security index", group.name()).isIn(403, 404);
        assertThat(security.body()).doesNotContain("internalusers");
    }

    @Test
    void fieldRulesAndMaskingHoldAndHideTheRawRecord()
    {
        RestCaller researcher = bearer(TokenMinter.mint(home, "rita", List.of("c2-researchers"), Duration.ofMinutes(5)));
        RestCaller analyst = bearer(TokenMinter.mint(home, "sam", List.of("soc-analysts"), Duration.ofMinutes(5)));
        List<JsonNode> ownTopic = hits(researcher.get("/dragnet-c2,dragnet-c2_restricted/_search"));
        assertThat(ids(ownTopic)).containsExactlyInAnyOrder("open", "restricted", "restricted-mixed-case");
        assertThat(ownTopic.toString()).contains("alice-team", "board", "curl/7.1", "\"original\"");
        for (String topic : TOPICS) {
            List<JsonNode> seen = hits(analyst.get("/dragnet-" + topic + "/_search"));
            assertThat(ids(seen)).as(topic).containsExactly("open");
            JsonNode source = seen.get(0).path("_source");
            assertThat(source.path("asset").path("owner").asText()).as(topic).isNotEmpty().isNotEqualTo("alice-team");
            assertThat(source.path("user_agent").has("original")).as(topic).isFalse();
            assertThat(source.path("event").has("original")).as(topic + ": the raw record carries the user agent").isFalse();
            assertThat(source.has("source.ip")).as(topic + ": addresses are hidden").isFalse();
            assertThat(source.path("source.address").asText()).as(topic + ": and their text masked").matches("[0-9a-f]{64}");
        }
    }

    /**
     * SOC analysts (source.ip hidden, source.address masked) find a host by its pseudonym, the keyed Crypto-PAn image
     * exports show, and see only a salted hash of its address: in _source, get, mget and terms aggregations; no
     * query or aggregation on the clear fields (term, wildcard, regexp, prefix, range, query_string, CIDR, ip_range,
     * terms include patterns, doc values) matches or counts the clear address. Researchers still see it.
     */
    @Test
    void analystsFindHostsByPseudonymWithoutSeeingAddresses()
    {
        String pseudonym = new IndexPseudonyms(KEYS).address("10.0.0.5").orElseThrow();
        String subnet = new IndexPseudonyms(KEYS).address("10.0.0.0").orElseThrow().replaceFirst("\\.\\d+$", ".0/24");
        RestCaller analyst = bearer(TokenMinter.mint(home, "sam", List.of("soc-analysts"), Duration.ofMinutes(5)));
        RestCaller researcher = bearer(TokenMinter.mint(home, "rita", List.of("c2-researchers"), Duration.ofMinutes(5)));
        for (String topic : TOPICS) {
            String index = "/dragnet-" + topic;
            for (String query : List.of("{\"term\":{\"pseudonym.source.ip\":\"" + pseudonym + "\"}}", "{\"term\":{\"pseudonym.source.ip\":\"" + subnet + "\"}}")) {
                RestResponse found = analyst.send("POST", index + "/_search", "{\"query\":" + query + "}");
                assertThat(ids(hits(found))).as(topic + " by " + query + ": " + found.body()).containsExactly("open");
            }
            JsonNode seen = hits(analyst.send("POST", index + "/_search", "{\"query\":{\"term\":{\"pseudonym.source.ip\":\"" + pseudonym + "\"}}}")).get(0).path("_source");
            String masked = seen.path("source.address").asText();
            assertThat(masked).as(topic).matches("[0-9a-f]{64}");
            assertThat(seen.has("source.ip")).as(topic).isFalse();
            assertThat(seen.path("pseudonym.source.ip").asText()).isEqualTo(pseudonym);

            RestResponse buckets = analyst.send("POST", index + "/_search", "{\"size\":0,\"aggs\":{\"t\":{\"terms\":{\"field\":\"source.address\"}}}}");
            assertThat(json(buckets).path("aggregations").path("t").path("buckets").toString()).as(topic + ": " + buckets.body())
                    .isEqualTo("[{\"key\":\"" + masked + "\",\"doc_count\":1}]");

            Map<String, String> probes = new LinkedHashMap<>();
            probes.put("term on the text", "{\"query\":{\"term\":{\"source.address\":\"10.0.0.5\"}}}");
            probes.put("wildcard", "{\"query\":{\"wildcard\":{\"source.address\":\"10.*\"}}}");
            probes.put("regexp", "{\"query\":{\"regexp\":{\"source.address\":\"10\\\\.0\\\\..*\"}}}");
            probes.put("prefix", "{\"query\":{\"prefix\":{\"source.address\":\"10.\"}}}");
            probes.put("range on the text", "{\"query\":{\"range\":{\"source.address\":{\"gte\":\"10.\",\"lt\":\"10/\"}}}}");
            probes.put("query_string", "{\"query\":{\"query_string\":{\"query\":\"10.0.0.5\"}}}");
            probes.put("query_string wildcard", "{\"query\":{\"query_string\":{\"query\":\"source.address:10.0.*\"}}}");
            probes.put("term on the ip", "{\"query\":{\"term\":{\"source.ip\":\"10.0.0.5\"}}}");
            probes.put("CIDR on the ip", "{\"query\":{\"term\":{\"source.ip\":\"10.0.0.0/8\"}}}");
            probes.put("range on the ip", "{\"query\":{\"range\":{\"source.ip\":{\"gte\":\"10.0.0.0\",\"lte\":\"10.0.0.7\"}}}}");
            for (Map.Entry<String, String> probe : probes.entrySet()) {
                RestResponse response = analyst.send("POST", index + "/_search", probe.getValue());
                assertThat(response.status()).as(probe.getKey() + " on " + topic + ": " + response.body()).isEqualTo(200);
                assertThat(hits(response)).as(probe.getKey() + " on " + topic + " must not match the clear address").isEmpty();
            }
            Map<String, String> counts = new LinkedHashMap<>();
            counts.put("ip_range on the ip", "{\"size\":0,\"aggs\":{\"a\":{\"ip_range\":{\"field\":\"source.ip\",\"ranges\":[{\"mask\":\"10.0.0.0/8\"}]}}}}");
            counts.put("terms include pattern", "{\"size\":0,\"aggs\":{\"a\":{\"terms\":{\"field\":\"source.address\",\"include\":\"10\\\\.0\\\\.0\\\\..*\"}}}}");
            counts.put("terms on the ip", "{\"size\":0,\"aggs\":{\"a\":{\"terms\":{\"field\":\"source.ip\"}}}}");
            counts.put("range agg on the text", "{\"size\":0,\"aggs\":{\"a\":{\"filter\":{\"prefix\":{\"source.address\":\"10.0\"}}}}}");
            for (Map.Entry<String, String> count : counts.entrySet()) {
                RestResponse response = analyst.send("POST", index + "/_search", count.getValue());
                String what = count.getKey() + " on " + topic + ": " + response.body();
                assertThat(response.status()).as(what).isIn(200, 400);
                assertThat(response.body()).as(what).doesNotContain("10.0.0.5").doesNotContain("\"doc_count\":1");
            }
            RestResponse docValues = analyst.send("POST", index + "/_search", "{\"docvalue_fields\":[\"source.ip\",\"source.address\"],\"fields\":[\"source.*\"]}");
            assertThat(docValues.body()).as(topic + ": " + docValues.body()).doesNotContain("10.0.0.5");
            String concrete = "dragnet-" + topic + "-" + DAY + "-run1";
            for (RestResponse read : List.of(analyst.get("/" + concrete + "/_doc/open"),
                    analyst.send("POST", "/_mget", "{\"docs\":[{\"_index\":\"" + concrete + "\",\"_id\":\"open\"}]}"))) {
                assertThat(read.status()).as(read.body()).isEqualTo(200);
                assertThat(read.body()).contains(masked).contains(pseudonym).doesNotContain("10.0.0.5");
            }
        }
        JsonNode clear = hits(researcher.send("POST", "/dragnet-c2/_search", "{\"query\":{\"term\":{\"pseudonym.source.ip\":\"" + pseudonym + "\"}}}")).get(0).path("_source");
        assertThat(clear.path("source.ip").asText()).isEqualTo("10.0.0.5");
        assertThat(clear.path("source.address").asText()).isEqualTo("10.0.0.5");
    }

    /** Aggregations that escape the query (and so document-level security inside one index) reveal nothing. */
    @Test
    void aggregationsNeverRevealRestrictedRecordsOrHiddenFields()
    {
        RestCaller analyst = bearer(TokenMinter.mint(home, "sam", List.of("soc-analysts"), Duration.ofMinutes(5)));
        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put("global + filter + top_hits", "{\"size\":0,\"aggs\":{\"g\":{\"global\":{},\"aggs\":{\"f\":{\"filter\":{\"term\":{\"asset.criticality\":\"restricted\"}},"
                + "\"aggs\":{\"t\":{\"top_hits\":{\"size\":3}}}}}}}}");
        attacks.put("global + top_hits", "{\"size\":0,\"aggs\":{\"g\":{\"global\":{},\"aggs\":{\"t\":{\"top_hits\":{\"size\":10}}}}}}");
        attacks.put("sampler + top_hits", "{\"size\":0,\"aggs\":{\"s\":{\"sampler\":{\"shard_size\":100},\"aggs\":{\"t\":{\"top_hits\":{\"size\":10}}}}}}");
        attacks.put("significant_terms background", "{\"size\":0,\"query\":{\"match_all\":{}},\"aggs\":{\"s\":{\"significant_terms\":{\"field\":\"rule.id\","
                + "\"min_doc_count\":1,\"background_filter\":{\"match_all\":{}}},\"aggs\":{\"t\":{\"top_hits\":{\"size\":10}}}}}}");
        attacks.put("terms min_doc_count 0", "{\"size\":0,\"aggs\":{\"t\":{\"terms\":{\"field\":\"rule.id\",\"min_doc_count\":0},\"aggs\":{\"h\":{\"top_hits\":{\"size\":10}}}}}}");
        attacks.put("global + terms min_doc_count 0 on owners", "{\"size\":0,\"aggs\":{\"g\":{\"global\":{},\"aggs\":{\"t\":{\"terms\":{\"field\":\"asset.owner\",\"min_doc_count\":0}}}}}}");
        attacks.put("terms on the hidden user agent", "{\"size\":0,\"aggs\":{\"t\":{\"terms\":{\"field\":\"user_agent.original\",\"min_doc_count\":0}}}}");
        attacks.put("global + terms on source.ip", "{\"size\":0,\"aggs\":{\"g\":{\"global\":{},\"aggs\":{\"t\":{\"terms\":{\"field\":\"source.ip\",\"min_doc_count\":0}}}}}}");
        for (String topic : TOPICS) {
            for (String target : List.of("dragnet-" + topic, "dragnet-" + topic + "-*", "dragnet-" + topic + "*", "dragnet-" + topic + "-" + DAY)) {
                for (Map.Entry<String, String> attack : attacks.entrySet()) {
                    RestResponse response = analyst.send("POST", "/" + target + "/_search", attack.getValue());
                    String what = attack.getKey() + " on " + target + ": " + response.body();
                    // Answered (nothing to hide) or refused as forbidden: never a server error, never a leak.
                    assertThat(response.status()).as(what).isIn(200, 403);
                    for (String secret : SECRETS) {
                        assertThat(response.body()).as(what).doesNotContain(secret);
                    }
                    for (String hidden : HIDDEN_FROM_ANALYSTS) {
                        assertThat(response.body()).as(what).doesNotContain(hidden);
                    }
                }
            }
            RestResponse global = analyst.send("POST", "/dragnet-" + topic + "/_search", attacks.get("global + top_hits"));
            assertThat(global.status()).isEqualTo(200);
            assertThat(json(global).path("aggregations").path("g").path("doc_count").asLong()).as("global on " + topic).isEqualTo(1);
        }
    }

    @Test
    void researchersSeeTheirOwnAliasesAndNoOneElses()
    {
        RestCaller researcher = bearer(TokenMinter.mint(home, "rita", List.of("c2-researchers"), Duration.ofMinutes(5)));
        RestResponse own = researcher.get("/dragnet-c2*/_alias");
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).contains("dragnet-c2-" + DAY + "-run1", "\"dragnet-c2-" + DAY + "\"", "dragnet-c2_restricted-" + DAY + "-run1")
                .doesNotContain("dragnet-dns");
        for (String path : List.of("/_cat/aliases?format=json", "/_cat/aliases/dragnet-*?format=json", "/_alias")) {
            RestResponse cat = researcher.get(path);
            assertThat(cat.status()).as(path + ": " + cat.body()).isEqualTo(200);
            assertThat(cat.body()).as(path).contains("\"dragnet-c2-" + DAY + "\"", "\"dragnet-c2_restricted\"")
                    .doesNotContain("dragnet-dns", "dragnet-web", "dragnet-nids", "dragnet-runs");
        }
        assertThat(researcher.get("/dragnet-dns/_alias").status()).isEqualTo(403);
        assertThat(researcher.get("/dragnet-dns_restricted/_alias").status()).isEqualTo(403);
    }

    /**
     * Sandbox runs are read by the topic's research group only: not by other groups reading the topic, whether by
     * index name, wildcard or aggregation, and their restricted partition only by groups reading restricted assets.
     */
    @Test
    void sandboxRunsAreReadByTheirTopicsResearchGroupOnly()
    {
        LocalDate day = LocalDate.of(2018, 11, 2);
        String sandbox = IndexNames.sandboxRunIndex("c2", day, "try1");
        String restrictedSandbox = IndexNames.sandboxRunIndex(IndexNames.restrictedTopic("c2"), day, "try1");
        admin.require("POST", "/_bulk?refresh=true", "{\"index\":{\"_index\":\"" + sandbox + "\",\"_id\":\"trial\"}}\n{\"rule\":{\"id\":\"c2-trial\"}}\n"
                + "{\"index\":{\"_index\":\"" + restrictedSandbox + "\",\"_id\":\"trial-restricted\"}}\n{\"rule\":{\"id\":\"c2-trial\"},\"asset\":{\"owner\":\"board\"}}\n");

        RestCaller researcher = bearer(TokenMinter.mint(home, "rita", List.of("c2-researchers"), Duration.ofMinutes(5)));
        assertThat(ids(hits(researcher.get("/" + IndexNames.sandboxPattern("c2") + "/_search")))).containsExactly("trial");
        assertThat(ids(hits(researcher.get("/" + sandbox + "," + restrictedSandbox + "/_search")))).containsExactlyInAnyOrder("trial", "trial-restricted");
        assertThat(researcher.get("/" + sandbox + "/_doc/trial").status()).isEqualTo(200);
        // read, never written, by the group
        assertThat(researcher.send("PUT", "/" + sandbox + "/_doc/forged", "{\"rule\":{\"id\":\"x\"}}").status()).isEqualTo(403);
        // the published day is not mixed with the sandbox
        assertThat(ids(hits(researcher.get("/dragnet-c2-*/_search")))).doesNotContain("trial");

        for (String group : List.of("soc-analysts", "dns-researchers")) {
            RestCaller other = bearer(TokenMinter.mint(home, "user-" + group, List.of(group), Duration.ofMinutes(5)));
            for (String index : List.of(sandbox, restrictedSandbox)) {
                assertThat(other.get("/" + index + "/_search").status()).as("%s on %s", group, index).isEqualTo(403);
                assertThat(other.get("/" + index + "/_doc/trial").status()).as("%s on %s", group, index).isEqualTo(403);
            }
            RestResponse wildcard = other.get("/dragnet_sandbox-*/_search");
            assertThat(hits(wildcard)).as("%s through a wildcard: %s", group, wildcard.body()).isEmpty();
            RestResponse all = other.send("POST", "/_all/_search", "{\"size\":0,\"aggs\":{\"g\":{\"global\":{},\"aggs\":{\"rules\":{\"terms\":{\"field\":\"rule.id\"}}}}}}");
            assertThat(all.body()).as("%s through a global aggregation", group).doesNotContain("c2-trial");
        }
    }

    /** The administrator's names in a validly signed token grant nothing: all_access is the local admin credential's only. */
    @Test
    void adminNamesInTokensGrantNothing()
    {
        for (Map.Entry<String, List<String>> identity : Map.of(
                "admin", List.of("admin"),
                "rita", List.of("admin", "all_access"),
                "Admin", List.of("Admin")).entrySet()) {
            RestCaller throughGateway = bearer(sign(signingKey, claims(identity.getKey(), identity.getValue(), Instant.now(), Duration.ofMinutes(5)).build()));
            // Even a token the gateway itself signed (its key is the node's only trust) gets nothing from these names.
            RestCaller gatewaySigned = direct(sign(gatewayKey(), claims(identity.getKey(), identity.getValue(), Instant.now(), Duration.ofMinutes(5))
                    .issuer(LocalOpenSearchNode.GATEWAY_ISSUER).audience(LocalOpenSearchNode.GATEWAY_AUDIENCE).build()));
            for (RestCaller caller : List.of(throughGateway, gatewaySigned)) {
                String what = identity + (caller == throughGateway ? " through the gateway" : " signed with the gateway's key, at the node");
                assertThat(caller.get("/_plugins/_security/api/rolesmapping").status()).as(what).isIn(401, 403);
                assertThat(caller.send("PUT", "/_plugins/_security/api/rolesmapping/all_access",
                        "{\"users\":[\"mallory\"],\"backend_roles\":[\"mallory\"]}").status()).as(what).isIn(401, 403);
                assertThat(caller.get("/dragnet-c2/_search").status()).as(what).isIn(401, 403);
                assertThat(caller.get("/_cat/indices").status()).as(what).isIn(401, 403);
            }
            assertThat(throughGateway.get("/dragnet-c2/_search").status()).as("reserved names are refused at the gateway").isEqualTo(401);
            assertThat(gatewaySigned.get("/dragnet-c2/_search").status()).as("the node maps the names to nothing").isEqualTo(403);
        }
        RestResponse mapping = admin.get("/_plugins/_security/api/rolesmapping/all_access");
        assertThat(mapping.status()).isEqualTo(200);
        assertThat(mapping.body()).doesNotContain("mallory");
    }

    @Test
    void tokenAttacksAreRefused()
            throws Exception
    {
        Instant now = Instant.now();
        PrivateKey otherKey = CertificateAuthority.rsaKeyPair(new SecureRandom()).getPrivate();
        String valid = sign(signingKey, claims("sam", List.of("soc-analysts"), now, Duration.ofMinutes(5)).build());
        assertThat(bearer(valid).get("/dragnet-c2/_search").status()).isEqualTo(200);

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("wrong key", sign(otherKey, claims("sam", List.of("soc-analysts"), now, Duration.ofMinutes(5)).build()));
        refused.put("alg none", unsigned(claims("sam", List.of("soc-analysts"), now, Duration.ofMinutes(5)).build()));
        refused.put("tampered groups", tampered(valid, claims("sam", List.of("c2-researchers", "soc-analysts"), now, Duration.ofMinutes(5)).build()));
        refused.put("expired", sign(signingKey, claims("sam", List.of("soc-analysts"), now.minus(Duration.ofHours(2)), Duration.ofMinutes(10)).build()));
        refused.put("other issuer", sign(signingKey, claims("sam", List.of("soc-analysts"), now, Duration.ofMinutes(5))
                .issuer("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other").build()));
        refused.put("other audience", sign(signingKey, claims("sam", List.of("soc-analysts"), now, Duration.ofMinutes(5)).audience("another-client").build()));
        // A Cognito access token: client_id and token_use access, no aud.
        refused.put("access token", sign(signingKey, claims("sam", List.of("soc-analysts"), now, Duration.ofMinutes(5))
                .audience((String) null).claim("client_id", LocalOpenSearchNode.JWT_AUDIENCE).claim("token_use", "access").build()));
        for (Map.Entry<String, String> attack : refused.entrySet()) {
            RestResponse response = bearer(attack.getValue()).get("/dragnet-c2/_search");
            assertThat(response.status()).as(attack.getKey() + ": " + response.body()).isEqualTo(401);
        }
        RestResponse unknownGroup = bearer(sign(signingKey, claims("sam", List.of("soc-analysts-x", "c2_researchers"), now, Duration.ofMinutes(5)).build()))
                .get("/dragnet-c2/_search");
        assertThat(unknownGroup.status()).as("unknown groups").isEqualTo(403);
        RestResponse groupless = bearer(TokenMinter.mint(home, "nobody", List.of(), Duration.ofMinutes(5))).get("/dragnet-c2/_search");
        assertThat(groupless.status()).isIn(401, 403);
    }

    @Test
    void refusesTokensFromAMinterWithAnotherKeyOrPastLifetime()
            throws Exception
    {
        TokenMinter forger = new TokenMinter(CertificateAuthority.rsaKeyPair(new SecureRandom()).getPrivate(), Clock.systemUTC());
        assertThat(bearer(forger.mint("mallory", List.of("soc-analysts"), Duration.ofMinutes(5))).get("/dragnet-c2/_search").status()).isEqualTo(401);
        TokenMinter past = new TokenMinter(signingKey, Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC));
        assertThat(bearer(past.mint("old", List.of("soc-analysts"), Duration.ofMinutes(10))).get("/dragnet-c2/_search").status()).isEqualTo(401);
    }

    /**
     * The node accepts no analyst token on its own port: the pool's ID tokens and minted tokens answer 401 there and 200
     * through the gateway; a token the gateway signed is what the node reads.
     */
    @Test
    void theNodeTrustsOnlyTheGateway()
    {
        String poolToken = signIn.idToken(LocalSignIn.DEMO_PREFIX + "c2-researchers");
        String minted = TokenMinter.mint(home, "rita", List.of("c2-researchers"), Duration.ofMinutes(5));
        for (String token : List.of(poolToken, minted)) {
            assertThat(bearer(token).get("/dragnet-c2/_search").status()).isEqualTo(200);
            assertThat(direct(token).get("/dragnet-c2/_search").status()).as("past the gateway").isEqualTo(401);
        }
        String gatewaySigned = sign(gatewayKey(), claims("rita", List.of("c2-researchers"), Instant.now(), Duration.ofMinutes(5))
                .issuer(LocalOpenSearchNode.GATEWAY_ISSUER).audience(LocalOpenSearchNode.GATEWAY_AUDIENCE).build());
        assertThat(direct(gatewaySigned).get("/dragnet-c2/_search").status()).isEqualTo(200);
        // The gateway takes only analysts' tokens, not its own, nor requests without one.
        assertThat(bearer(gatewaySigned).get("/dragnet-c2/_search").status()).isEqualTo(401);
        assertThat(RestCaller.asAdmin(gateway.connection()).get("/dragnet-c2/_search").status()).isEqualTo(401);
        assertThat(gateway.endpoint().getHost()).isEqualTo("127.0.0.1");
    }

    /**
     * What the 2.19 JWT plugin cannot check, the gateway does, for the pool's tokens and minted ones alike: each token
     * below is validly signed by a key the gateway trusts, and each is refused. The same claims signed with the
     * gateway's key pass the node's own check, which is why no analyst token may reach the node directly.
     */
    @Test
    void strictTokenChecksHoldForEveryTrustedIssuer()
            throws Exception
    {
        PrivateKey poolKey = Pem.readRsaPrivateKey(Files.readString(home.engine("cognito-local").resolve("signing-key.pem")));
        Map<String, PrivateKey> keys = new LinkedHashMap<>();
        keys.put(signIn.pool().issuer(), poolKey);
        keys.put(LocalOpenSearchNode.JWT_ISSUER, signingKey);
        Instant now = Instant.now();
        for (Map.Entry<String, PrivateKey> issuer : keys.entrySet()) {
            String audience = issuer.getKey().equals(LocalOpenSearchNode.JWT_ISSUER) ? LocalOpenSearchNode.JWT_AUDIENCE : signIn.pool().clientId();
            java.util.function.Supplier<JWTClaimsSet.Builder> base = () -> claims("sam", List.of("soc-analysts"), now, Duration.ofMinutes(5))
                    .issuer(issuer.getKey()).audience(audience);
            assertThat(bearer(sign(issuer.getValue(), base.get().build())).get("/dragnet-c2/_search").status()).as(issuer.getKey()).isEqualTo(200);

            Map<String, JWTClaimsSet> refused = new LinkedHashMap<>();
            refused.put("no exp", base.get().expirationTime(null).build());
            refused.put("no iat", base.get().issueTime(null).build());
            refused.put("iat in the future", base.get().issueTime(Date.from(now.plus(Duration.ofMinutes(10)))).expirationTime(Date.from(now.plus(Duration.ofMinutes(20)))).build());
            refused.put("lifetime over 24 hours", base.get().expirationTime(Date.from(now.plus(Duration.ofDays(30)))).build());
            refused.put("nbf in the future", base.get().notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10)))).build());
            refused.put("token_use access", base.get().claim("token_use", "access").build());
            refused.put("no token_use", base.get().claim("token_use", null).build());
            refused.put("groups as a comma-separated string", base.get().claim(LocalOpenSearchNode.JWT_ROLES_KEY, "soc-analysts,c2-researchers").build());
            refused.put("groups as a plain string", base.get().claim(LocalOpenSearchNode.JWT_ROLES_KEY, "c2-researchers").build());
            refused.put("a group with a comma", base.get().claim(LocalOpenSearchNode.JWT_ROLES_KEY, List.of("soc-analysts,c2-researchers")).build());
            refused.put("no username", base.get().claim(LocalOpenSearchNode.JWT_SUBJECT_KEY, null).build());
            refused.put("two audiences", base.get().audience(List.of(audience, "another-client")).build());
            for (Map.Entry<String, JWTClaimsSet> attack : refused.entrySet()) {
                String what = attack.getKey() + " from " + issuer.getKey();
                RestResponse response = bearer(sign(issuer.getValue(), attack.getValue())).get("/dragnet-c2/_search");
                assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(401);
                assertThat(response.body()).as(what).contains("token refused").doesNotContain("soc-analysts");
            }
        }
        // The plugin alone: a token without exp, with a future iat, token_use access and a comma-separated groups string,
        // signed with the key the node trusts, is accepted and split into two roles.
        JWTClaimsSet lax = claims("sam", List.of(), now.plus(Duration.ofMinutes(10)), Duration.ofMinutes(5))
                .issuer(LocalOpenSearchNode.GATEWAY_ISSUER).audience(LocalOpenSearchNode.GATEWAY_AUDIENCE)
                .expirationTime(null).claim("token_use", "access").claim(LocalOpenSearchNode.JWT_ROLES_KEY, "soc-analysts,c2-researchers").build();
        RestResponse plugin = direct(sign(gatewayKey(), lax)).get("/_plugins/_security/authinfo");
        assertThat(plugin.status()).isEqualTo(200);
        assertThat(json(plugin).path("backend_roles").toString()).contains("soc-analysts", "c2-researchers");
    }

    @Test
    void auditLogRecordsWhoReadWhichIndexAndEveryRefusal()
    {
        RestCaller reader = bearer(TokenMinter.mint(home, "audited-dana", List.of("dns-researchers"), Duration.ofMinutes(5)));
        assertThat(reader.get("/dragnet-dns/_search").status()).isEqualTo(200);
        assertThat(reader.get("/dragnet-c2/_search").status()).isEqualTo(403);
        java.util.function.Predicate<JsonNode> read = event -> event.path("_source").path("audit_category").asText().equals("GRANTED_PRIVILEGES")
                && event.path("_source").toString().contains("dragnet-dns-" + DAY + "-run1");
        java.util.function.Predicate<JsonNode> refused = event -> event.path("_source").path("audit_category").asText().equals("MISSING_PRIVILEGES")
                && event.path("_source").toString().contains("dragnet-c2");
        Instant deadline = Instant.now().plusSeconds(60);
        String query = "{\"query\":{\"match_phrase\":{\"audit_request_effective_user\":\"audited-dana\"}},\"size\":100}";
        List<JsonNode> events = List.of();
        while (Instant.now().isBefore(deadline)) {
            admin.send("POST", "/security-auditlog-*/_refresh", null);
            RestResponse response = admin.send("POST", "/security-auditlog-*/_search", query);
            if (response.ok()) {
                events = hits(response);
                if (events.stream().anyMatch(read) && events.stream().anyMatch(refused)) {
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
        assertThat(events).as("audit events of audited-dana: the read, with the index it resolved to").anyMatch(read);
        assertThat(events).as("audit events of audited-dana: the refused search of another topic").anyMatch(refused);
        assertThat(events).as("AUTHENTICATED is left out on both layers (%s)", AuditConfig.FILE_NAME)
                .noneMatch(event -> event.path("_source").path("audit_category").asText().equals("AUTHENTICATED"));
    }

    /** An analyst's requests: through the token gateway, the only door tokens have to the node. */
    private static RestCaller bearer(String token)
    {
        return RestCaller.withBearerToken(gateway.connection(), token);
    }

    /** Straight to the node's own port, past the gateway. */
    private static RestCaller direct(String token)
    {
        return RestCaller.withBearerToken(node.connection(), token);
    }

    private static PrivateKey gatewayKey()
    {
        try {
            return Pem.readRsaPrivateKey(Files.readString(LocalOpenSearchNode.gatewaySigningKeyFile(home)));
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Claims shaped like a Cognito ID token of the local pool. */
    private static JWTClaimsSet.Builder claims(String user, List<String> groups, Instant issued, Duration ttl)
    {
        return new JWTClaimsSet.Builder()
                .subject("sub-" + user)
                .issuer(LocalOpenSearchNode.JWT_ISSUER)
                .audience(LocalOpenSearchNode.JWT_AUDIENCE)
                .issueTime(Date.from(issued))
                .expirationTime(Date.from(issued.plus(ttl)))
                .claim("token_use", "id")
                .claim(LocalOpenSearchNode.JWT_SUBJECT_KEY, user)
                .claim(LocalOpenSearchNode.JWT_ROLES_KEY, groups);
    }

    private static String sign(PrivateKey key, JWTClaimsSet claims)
    {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String unsigned(JWTClaimsSet claims)
    {
        return base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64(claims.toString()) + ".";
    }

    /** The valid token's header and signature around another payload. */
    private static String tampered(String valid, JWTClaimsSet claims)
    {
        String[] parts = valid.split("\\.");
        return parts[0] + "." + base64(claims.toString()) + "." + parts[2];
    }

    private static String base64(String text)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(RestResponse response)
    {
        try {
            return Json.mapper().readTree(response.body());
        }
        catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static List<JsonNode> hits(RestResponse response)
    {
        List<JsonNode> hits = new ArrayList<>();
        json(response).path("hits").path("hits").forEach(hits::add);
        return hits;
    }

    private static List<String> ids(List<JsonNode> hits)
    {
        return hits.stream().map(hit -> hit.path("_id").asText()).toList();
    }
}
