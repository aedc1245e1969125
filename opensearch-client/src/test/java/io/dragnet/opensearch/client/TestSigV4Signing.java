package io.dragnet.opensearch.client;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.BulkRequest;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SigV4 mode against a server that recomputes each signature with the AWS SDK's signer. */
class TestSigV4Signing
{
    private static final String BULK_OK = """
            {"took":1,"errors":false,"items":[{"index":{"_index":"dragnet-c2-2018.11.02-r1","_id":"d1","status":201,"result":"created",
            "_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"_version":1}}]}""";

    @TempDir
    Path temp;

    private SigV4VerifyingServer server;

    @BeforeEach
    void start()
    {
        server = SigV4VerifyingServer.start(call -> switch (call.method() + " " + call.path()) {
            case "POST /_bulk" -> SigV4VerifyingServer.Reply.json(200, BULK_OK);
            case "GET /_cat/indices/dragnet-c2-*,dragnet-verdicts-*" -> SigV4VerifyingServer.Reply.json(200, "[]");
            case "PUT /_plugins/_security/api/roles/dragnet_c2_reader" -> SigV4VerifyingServer.Reply.json(200, "{\"status\":\"OK\"}");
            default -> SigV4VerifyingServer.Reply.json(404, "{\"error\":\"no fake for " + call.method() + " " + call.path() + "\"}");
        }, temp);
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    @Test
    void everyKindOfRequestCarriesTheSignatureTheSdkComputes()
            throws Exception
    {
        OpenSearchEndpoint endpoint = OpenSearchEnvironment.resolve(server.environment(), null).orElseThrow();
        try (AutoCloseable credentials = SigV4VerifyingServer.processCredentials(SigV4VerifyingServer.SECRET_ACCESS_KEY)) {
            OpenSearchClient client = OpenSearchClients.create(endpoint);
            try {
                // a bulk body large enough for the transport to gzip it: the signature covers the compressed bytes
                String large = "x".repeat(20_000);
                BulkRequest.Builder bulk = new BulkRequest.Builder();
                bulk.operations(operation -> operation.index(index -> index.index("dragnet-c2-2018.11.02-r1").id("d1").document(Map.of("message", large))));
                assertThat(client.bulk(bulk.build()).errors()).isFalse();
                // a path with a comma and wildcards, a query string with a comma
                assertThat(OpenSearchRest.call(client, "GET", "/_cat/indices/dragnet-c2-*,dragnet-verdicts-*?format=json&h=index,creation.date", null).status()).isEqualTo(200);
                // a PUT with a JSON body through the generic client (what the security configuration applier sends)
                OpenSearchRest.require(client, "PUT", "/_plugins/_security/api/roles/dragnet_c2_reader", Map.of("cluster_permissions", List.of("cluster_composite_ops_ro")));
            }
            finally {
                OpenSearchClients.close(client);
            }
        }

        assertThat(server.verdicts()).hasSize(3).allSatisfy(verdict -> assertThat(verdict.problem()).isNull());
        assertThat(server.accepted().get(0).headers().get("content-encoding")).containsExactly("gzip");
        assertThat(server.accepted().get(0).bodyText()).contains("\"_id\":\"d1\"").contains(large());
        assertThat(Json.mapper().readTree(server.accepted().get(2).bodyText())).isEqualTo(Json.mapper().readTree("{\"cluster_permissions\":[\"cluster_composite_ops_ro\"]}"));
    }

    @Test
    void theStatusCallerSignsWithTheSameConnectionAndReportsRefusalsAsAnswers()
            throws Exception
    {
        try (AutoCloseable credentials = SigV4VerifyingServer.processCredentials(SigV4VerifyingServer.SECRET_ACCESS_KEY)) {
            RestCaller caller = RestCaller.of(server.sigV4Endpoint());
            assertThat(caller.get("/_cat/indices/dragnet-c2-*,dragnet-verdicts-*?format=json").status()).isEqualTo(200);
            assertThat(caller.require("PUT", "/_plugins/_security/api/roles/dragnet_c2_reader", "{\"cluster_permissions\":[]}")).contains("OK");
        }
        try (AutoCloseable credentials = SigV4VerifyingServer.processCredentials("not-the-secret")) {
            RestResponse refused = RestCaller.of(server.sigV4Endpoint()).get("/_cat/indices/dragnet-c2-*,dragnet-verdicts-*");
            assertThat(refused.status()).isEqualTo(403);
        }
        assertThat(server.verdicts()).extracting(SigV4VerifyingServer.Verdict::accepted).containsExactly(true, true, false);
        assertThat(server.accepted().get(1).bodyText()).isEqualTo("{\"cluster_permissions\":[]}");
    }

    @Test
    void aSignedCallThatGetsNoAnswerIsStatusZero()
            throws Exception
    {
        try (AutoCloseable credentials = SigV4VerifyingServer.processCredentials(SigV4VerifyingServer.SECRET_ACCESS_KEY);
                java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.net.URI nowhere = java.net.URI.create("https://127.0.0.1:" + closed.getLocalPort());
            closed.close();
            RestResponse response = RestCaller.of(new OpenSearchEndpoint(nowhere, new OpenSearchAuth.SigV4(SigV4VerifyingServer.REGION), null))
                    .get("/_cluster/health");
            assertThat(response.status()).as(response.body()).isZero();
        }
    }

    @Test
    void aWrongSecretIsRefusedAndTheCallerSaysSo()
            throws Exception
    {
        try (AutoCloseable credentials = SigV4VerifyingServer.processCredentials("not-the-secret")) {
            OpenSearchClient client = OpenSearchClients.create(server.sigV4Endpoint());
            try {
                assertThatThrownBy(() -> OpenSearchRest.require(client, "PUT", "/_plugins/_security/api/roles/dragnet_c2_reader", Map.of()))
                        .isInstanceOf(DragnetException.class)
                        .hasMessageContaining("failed with 403")
                        .hasMessageContaining("signature we calculated does not match");
            }
            finally {
                OpenSearchClients.close(client);
            }
        }
        assertThat(server.verdicts()).singleElement().satisfies(verdict -> assertThat(verdict.accepted()).isFalse());
        assertThat(server.accepted()).isEmpty();
    }

    @Test
    void aSignedRequestWhoseBodyChangedOnTheWayIsRefused()
            throws Exception
    {
        String signedBody = "{\"cluster_permissions\":[]}";
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.PUT)
                .uri(server.endpoint().resolve("/_plugins/_security/api/roles/dragnet_c2_reader"))
                .putHeader("Content-Type", "application/json")
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                .identity(AwsCredentialsIdentity.create(SigV4VerifyingServer.ACCESS_KEY_ID, SigV4VerifyingServer.SECRET_ACCESS_KEY))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(signedBody))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "es")
                .putProperty(AwsV4HttpSigner.REGION_NAME, SigV4VerifyingServer.REGION));
        HttpClient http = HttpClient.newBuilder().sslContext(OpenSearchClients.sslContext(Optional.of(server.caCertificate()))).build();

        assertThat(send(http, signed, signedBody)).isEqualTo(200);
        assertThat(send(http, signed, "{\"cluster_permissions\":[\"*\"]}")).isEqualTo(403);
        assertThat(server.verdicts()).extracting(SigV4VerifyingServer.Verdict::accepted).containsExactly(true, false);
    }

    private static int send(HttpClient http, SignedRequest signed, String body)
            throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.request().getUri()).method("PUT", HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String large()
    {
        return "x".repeat(20_000);
    }
}
