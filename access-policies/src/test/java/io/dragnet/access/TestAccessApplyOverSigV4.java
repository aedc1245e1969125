package io.dragnet.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.opensearch.client.SigV4VerifyingServer;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code access apply --endpoint} against a domain stand-in that verifies every SigV4 signature and answers the security
 * API as a domain the stack has configured: the writers and the sharing step mapped to the stack's roles.
 */
class TestAccessApplyOverSigV4
{
    private static final String ACCOUNT = "123456789012";
    private static final String WRITER = "arn:aws:iam::" + ACCOUNT + ":role/dragnet-prod-emr-instance";
    private static final String PUBLISH = "arn:aws:iam::" + ACCOUNT + ":role/dragnet-prod-PublishFunctionRole-1A2B";

    @TempDir
    Path temp;

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> bodies = new ConcurrentHashMap<>();
    private SigV4VerifyingServer domain;

    @BeforeEach
    void start()
            throws Exception
    {
        domain = SigV4VerifyingServer.start(call -> {
            calls.add(call.method() + " " + call.path());
            if (call.body().length > 0) {
                bodies.put(call.path(), Json.mapper().readTree(call.bodyText()));
            }
            return switch (call.method() + " " + call.path()) {
                case "GET /_plugins/_security/api/rolesmapping/dragnet_writer" -> SigV4VerifyingServer.Reply.json(200, "{\"dragnet_writer\":{\"hosts\":[],"
                        + "\"users\":[],\"reserved\":false,\"hidden\":false,\"backend_roles\":[\"" + WRITER + "\",\"" + PUBLISH + "\"],\"and_backend_roles\":[]}}");
                case "GET /_plugins/_security/api/rolesmapping/dragnet_sharing" -> SigV4VerifyingServer.Reply.json(200,
                        "{\"dragnet_sharing\":{\"backend_roles\":[\"arn:aws:iam::" + ACCOUNT + ":role/share\"],\"reserved\":false}}");
                case "GET /_plugins/_security/api/rolesmapping" -> SigV4VerifyingServer.Reply.json(200,
                        "{\"dragnet_writer\":{},\"dragnet_sharing\":{},\"dragnet_retired_group\":{},\"all_access\":{}}");
                case "GET /_plugins/_security/api/audit" -> SigV4VerifyingServer.Reply.json(200, "{\"_readonly\":[],\"config\":{\"enabled\":false}}");
                default -> call.method().equals("GET") ? SigV4VerifyingServer.Reply.json(200, "{}") : SigV4VerifyingServer.Reply.json(200, "{\"status\":\"OK\"}");
            };
        }, temp);
    }

    @AfterEach
    void stop()
    {
        domain.close();
    }

    @Test
    void appliesTheAwsBindingSignedKeepingTheStacksServiceMappings()
            throws Exception
    {
        StringWriter out = new StringWriter();
        int exit;
        try (AutoCloseable credentials = SigV4VerifyingServer.processCredentials(SigV4VerifyingServer.SECRET_ACCESS_KEY)) {
            exit = new CommandLine(new AccessCommand()).setOut(new PrintWriter(out)).execute("apply",
                    "--policy", RepositoryPaths.samples().resolve("access-policy.yaml").toString(),
                    "--endpoint", domain.endpoint().toString(), "--region", SigV4VerifyingServer.REGION, "--ca-certificate", domain.caCertificate().toString());
        }

        assertThat(exit).as(out.toString()).isZero();
        assertThat(domain.verdicts()).isNotEmpty().allSatisfy(verdict -> assertThat(verdict.problem()).as(verdict.toString()).isNull());
        assertThat(out.toString()).contains(domain.endpoint() + " (sigv4)").contains("put audit/config").contains("the local user pool is left alone");
        // groups map to their IAM roles in the writers' account, not to group names
        assertThat(bodies.get("/_plugins/_security/api/rolesmapping/dragnet_c2_researchers").path("backend_roles").toString())
                .isEqualTo("[\"arn:aws:iam::" + ACCOUNT + ":role/dragnet-c2-researchers\"]");
        // the stack's service mappings stay as the domain has them, in the shape PUT takes
        assertThat(bodies.get("/_plugins/_security/api/rolesmapping/dragnet_writer")).isEqualTo(Json.mapper().readTree(
                "{\"backend_roles\":[\"" + WRITER + "\",\"" + PUBLISH + "\"],\"and_backend_roles\":[],\"users\":[],\"hosts\":[]}"));
        assertThat(calls).contains("PUT /_plugins/_security/api/roles/dragnet_writer", "PUT /_plugins/_security/api/roles/dragnet_sharing");
        assertThat(calls).filteredOn(call -> call.startsWith("DELETE")).containsExactly("DELETE /_plugins/_security/api/rolesmapping/dragnet_retired_group");
        // audit on, the writers' traffic left out
        JsonNode audit = bodies.get("/_plugins/_security/api/audit/config");
        assertThat(audit.path("enabled").asBoolean()).isTrue();
        assertThat(audit.path("audit").path("ignore_users").toString()).isEqualTo("[\"" + WRITER + "\",\"" + PUBLISH + "\"]");
    }

    @Test
    void aDomainTheStackHasNotConfiguredIsRefusedBeforeAnythingIsWritten()
    {
        AccessPolicy policy = AccessPolicyParser.parse(RepositoryPaths.samples().resolve("access-policy.yaml"));
        AuditConfig audit = AuditConfig.read(AuditConfig.besidePolicy(RepositoryPaths.samples().resolve("access-policy.yaml")));
        assertThatThrownBy(() -> AwsBinding.forDomain(policy, audit, Map.of(), Map.of()))
                .isInstanceOf(DragnetException.class).hasMessageContaining("deploy the stack first");
    }

    @Test
    void aStaleSignatureIsRefusedByTheDomain()
            throws Exception
    {
        int exit;
        try (AutoCloseable credentials = SigV4VerifyingServer.processCredentials("a-stale-secret")) {
            exit = new CommandLine(new AccessCommand()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(new StringWriter())).execute("apply",
                    "--policy", RepositoryPaths.samples().resolve("access-policy.yaml").toString(),
                    "--endpoint", domain.endpoint().toString(), "--region", SigV4VerifyingServer.REGION, "--ca-certificate", domain.caCertificate().toString());
        }
        assertThat(exit).isNotZero();
        assertThat(calls).noneMatch(call -> call.startsWith("PUT") || call.startsWith("DELETE"));
        assertThat(domain.verdicts()).isNotEmpty().allSatisfy(verdict -> assertThat(verdict.problem()).isNotNull());
    }
}
