package io.dragnet.access.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dragnet.contracts.Json;
import io.dragnet.opensearch.client.SigV4VerifyingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The custom resource against a domain stand-in that verifies every SigV4 signature, and a local receiver in place of
 * CloudFormation's pre-signed response URL.
 */
class TestSecurityConfigResourceHandler
{
    @TempDir
    Path temp;

    private final List<String> domainCalls = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> bodies = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> cloudFormationAnswers = new CopyOnWriteArrayList<>();
    private volatile String existingRoles = "{}";
    private volatile SigV4VerifyingServer.Reply existingAudit = SigV4VerifyingServer.Reply.json(200,
            "{\"_readonly\":[\"/audit/exclude_sensitive_headers\"],\"config\":{\"enabled\":false,\"audit\":{\"exclude_sensitive_headers\":true},\"compliance\":{}}}");
    private SigV4VerifyingServer domain;
    private HttpServer cloudFormation;

    @BeforeEach
    void start()
            throws Exception
    {
        domain = SigV4VerifyingServer.start(call -> {
            domainCalls.add(call.method() + " " + call.path());
            if (call.body().length > 0) {
                bodies.put(call.path(), Json.mapper().readTree(call.bodyText()));
            }
            if (call.method().equals("GET") && call.path().equals("/_plugins/_security/api/roles")) {
                return SigV4VerifyingServer.Reply.json(200, existingRoles);
            }
            if (call.method().equals("GET") && call.path().equals("/_plugins/_security/api/audit")) {
                return existingAudit;
            }
            if (call.method().equals("GET")) {
                return SigV4VerifyingServer.Reply.json(200, "{}");
            }
            return SigV4VerifyingServer.Reply.json(200, "{\"status\":\"OK\"}");
        }, temp);
        cloudFormation = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cloudFormation.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                assertThat(exchange.getRequestMethod()).isEqualTo("PUT");
                cloudFormationAnswers.add(Json.mapper().readValue(new String(in.readAllBytes(), StandardCharsets.UTF_8), Map.class));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        cloudFormation.start();
    }

    @AfterEach
    void stop()
    {
        domain.close();
        cloudFormation.stop(0);
    }

    @Test
    void createAppliesEverythingSignedAndUpdateRemovesWhatThePolicyDropped()
            throws Exception
    {
        SecurityConfigResourceHandler handler = new SecurityConfigResourceHandler(environment());
        try (AutoCloseable credentials = SigV4VerifyingServer.processCredentials(SigV4VerifyingServer.SECRET_ACCESS_KEY)) {
            Map<String, Object> created = handler.handleRequest(event("Create"), null);
            assertThat(created).containsEntry("Status", "SUCCESS");

            existingRoles = "{\"dragnet_c2_researchers\":{},\"dragnet_retired_group\":{},\"all_access\":{}}";
            domainCalls.clear();
            handler.handleRequest(event("Update"), null);
        }

        assertThat(domain.verdicts()).isNotEmpty().allSatisfy(verdict -> assertThat(verdict.problem()).isNull());
        // the update writes the same objects again (PUT replaces) and deletes only the dragnet role the policy dropped
        assertThat(domainCalls).contains(
                "PUT /_plugins/_security/api/actiongroups/dragnet_topic_read",
                "PUT /_plugins/_security/api/roles/dragnet_c2_researchers",
                "PUT /_plugins/_security/api/rolesmapping/dragnet_c2_researchers",
                "DELETE /_plugins/_security/api/roles/dragnet_retired_group");
        assertThat(bodies.get("/_plugins/_security/api/rolesmapping/dragnet_c2_researchers"))
                .isEqualTo(Json.mapper().readTree("{\"backend_roles\":[\"c2-researchers\",\"arn:aws:iam::123456789012:role/dragnet-c2-researchers\"]}"));
        assertThat(bodies.get("/_plugins/_security/api/actiongroups/dragnet_topic_read"))
                .isEqualTo(Json.mapper().readTree("{\"type\":\"index\",\"allowed_actions\":[\"read\"]}"));
        assertThat(domainCalls).filteredOn(call -> call.startsWith("DELETE")).containsExactly("DELETE /_plugins/_security/api/roles/dragnet_retired_group");
        // the audit configuration with its booleans restored from CloudFormation's strings, a read-only setting kept as the domain has it
        assertThat(domainCalls).endsWith("GET /_plugins/_security/api/audit", "PUT /_plugins/_security/api/audit/config");
        assertThat(bodies.get("/_plugins/_security/api/audit/config")).isEqualTo(Json.mapper().readTree("{\"enabled\":true,\"audit\":{\"enable_rest\":true,"
                + "\"exclude_sensitive_headers\":true,\"ignore_users\":[\"arn:aws:iam::123456789012:role/dragnet-prod-emr-instance\"]},\"compliance\":{\"enabled\":false}}"));
        assertThat(cloudFormationAnswers).hasSize(2).allSatisfy(answer -> assertThat(answer)
                .containsEntry("Status", "SUCCESS")
                .containsEntry("PhysicalResourceId", SecurityConfigResourceHandler.PHYSICAL_ID)
                .containsEntry("RequestId", "req-1")
                .containsEntry("LogicalResourceId", "SecurityConfiguration"));
    }

    @Test
    void aRefusedSignatureFailsTheResourceWithTheReason()
            throws Exception
    {
        SecurityConfigResourceHandler handler = new SecurityConfigResourceHandler(environment());
        try (AutoCloseable credentials = SigV4VerifyingServer.processCredentials("a-stale-secret")) {
            handler.handleRequest(event("Create"), null);
        }

        assertThat(domainCalls).isEmpty();
        assertThat(cloudFormationAnswers).singleElement().satisfies(answer -> {
            assertThat(answer).containsEntry("Status", "FAILED");
            assertThat(answer.get("Reason").toString()).contains("applying the security configuration to " + domain.endpoint() + " (sigv4) failed").contains("403");
        });
    }

    @Test
    void aDomainWithoutAnAuditLogFailsTheResourceSayingWhatToEnable()
            throws Exception
    {
        existingAudit = SigV4VerifyingServer.Reply.json(501, "{\"status\":\"NOT_IMPLEMENTED\"}");
        SecurityConfigResourceHandler handler = new SecurityConfigResourceHandler(environment());
        try (AutoCloseable credentials = SigV4VerifyingServer.processCredentials(SigV4VerifyingServer.SECRET_ACCESS_KEY)) {
            handler.handleRequest(event("Create"), null);
        }

        assertThat(domainCalls).doesNotContain("PUT /_plugins/_security/api/audit/config");
        assertThat(cloudFormationAnswers).singleElement().satisfies(answer -> {
            assertThat(answer).containsEntry("Status", "FAILED");
            assertThat(answer.get("Reason").toString()).contains("keeps no audit log").contains("AUDIT_LOGS");
        });
    }

    @Test
    void deleteLeavesTheDomainAloneAndUnknownRequestsFail()
    {
        SecurityConfigResourceHandler handler = new SecurityConfigResourceHandler(environment());
        assertThat(handler.handleRequest(event("Delete"), null)).containsEntry("Status", "SUCCESS");
        assertThat(handler.handleRequest(event("Replace"), null)).containsEntry("Status", "FAILED")
                .containsEntry("Reason", "RequestType 'Replace': expected Create, Update or Delete");
        assertThat(domainCalls).isEmpty();
        assertThat(cloudFormationAnswers).hasSize(2);
    }

    private Map<String, String> environment()
    {
        return domain.environment();
    }

    private Map<String, Object> event(String requestType)
    {
        Map<String, Object> event = new HashMap<>();
        event.put("RequestType", requestType);
        event.put("ResponseURL", "http://127.0.0.1:" + cloudFormation.getAddress().getPort() + "/cfn-response?X-Amz-Signature=abc");
        event.put("StackId", "arn:aws:cloudformation:eu-west-1:123456789012:stack/dragnet-prod/1");
        event.put("RequestId", "req-1");
        event.put("LogicalResourceId", "SecurityConfiguration");
        event.put("ResourceType", "Custom::DragnetSecurityConfig");
        event.put("ResourceProperties", Map.of(
                "ServiceToken", "arn:aws:lambda:eu-west-1:123456789012:function:dragnet-prod-security-config",
                "actiongroups", Map.of("dragnet_topic_read", Map.of("type", "index", "allowed_actions", List.of("read"))),
                "tenants", Map.of(),
                "roles", Map.of("dragnet_c2_researchers", Map.of("cluster_permissions", List.of("cluster_composite_ops_ro"))),
                "rolesmapping", Map.of("dragnet_c2_researchers", Map.of("backend_roles", List.of("c2-researchers", "arn:aws:iam::123456789012:role/dragnet-c2-researchers"))),
                // as CloudFormation sends it: every scalar a string
                "audit", Map.of("enabled", "true",
                        "audit", Map.of("enable_rest", "true", "exclude_sensitive_headers", "false",
                                "ignore_users", List.of("arn:aws:iam::123456789012:role/dragnet-prod-emr-instance")),
                        "compliance", Map.of("enabled", "false"))));
        return event;
    }
}
