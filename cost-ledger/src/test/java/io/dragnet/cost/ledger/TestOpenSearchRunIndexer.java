package io.dragnet.cost.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.cost.LedgerRow;
import io.dragnet.cost.RunOutcome;
import io.dragnet.opensearch.client.OpenSearchClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The indexer with the real opensearch-java client (built by opensearch-setup's OpenSearchClients) against a JDK HTTP
 * server answering with the recorded shape of an OpenSearch 2.19 index response (201 created) or a security-plugin 403.
 */
class TestOpenSearchRunIndexer
{
    private static final String CREATED = """
            {"_index":"dragnet-runs","_id":"run-20181102","_version":1,"result":"created","forced_refresh":true,\
            "_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1}""";
    private static final String FORBIDDEN = """
            {"error":{"root_cause":[{"type":"security_exception","reason":"no permissions for [indices:data/write/index] and User [name=dragnet, backend_roles=[], requestedTenant=null]"}],\
            "type":"security_exception","reason":"no permissions for [indices:data/write/index] and User [name=dragnet, backend_roles=[], requestedTenant=null]"},"status":403}""";

    private static final String BULK_CREATED = """
            {"took":7,"errors":false,"items":[{"index":{"_index":"dragnet-runs","_id":"run-20181101","_version":1,"result":"created","forced_refresh":true,\
            "_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}},{"index":{"_index":"dragnet-runs","_id":"run-20181102",\
            "_version":2,"result":"updated","forced_refresh":true,"_shards":{"total":1,"successful":1,"failed":0},"_seq_no":1,"_primary_term":1,"status":200}}]}""";

    private record Seen(String method, String path, String query, String authorization, String body) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile int status = 201;
    private OpenSearchClient client;
    private final String password = UUID.randomUUID().toString();

    @BeforeEach
    void start()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestURI().getQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            byte[] response = (status != 201 ? FORBIDDEN : exchange.getRequestURI().getPath().endsWith("/_bulk") ? BULK_CREATED : CREATED).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
            exchange.sendResponseHeaders(status, response.length);
            exchange.getResponseBody().write(response);
            exchange.close();
        });
        server.start();
        client = OpenSearchClients.create(new OpenSearchConnection(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "dragnet", password, null));
    }

    @AfterEach
    void stop()
            throws Exception
    {
        client._transport().close();
        server.stop(0);
    }

    @Test
    void indexesTheRowUnderItsRunIdWithMoneyAsNumbers()
            throws IOException
    {
        new OpenSearchRunIndexer(client).index(row());

        assertThat(seen).hasSize(1);
        Seen request = seen.get(0);
        assertThat(request.method()).isIn("PUT", "POST");
        assertThat(request.path()).isEqualTo("/dragnet-runs/_doc/run-20181102");
        assertThat(request.query()).contains("refresh=wait_for");
        assertThat(request.authorization()).isEqualTo(OpenSearchClients.basicAuthorization("dragnet", password));
        JsonNode document = Json.mapper().readTree(request.body());
        assertThat(document.get("total_cost").isNumber()).isTrue();
        assertThat(document.get("total_cost").decimalValue()).isEqualByComparingTo("0.00");
        assertThat(document.get("cost_usd").isNumber()).isTrue();
        assertThat(document.get("@timestamp").asText()).isEqualTo("2018-11-02T05:00:00Z");
        assertThat(document.get("status").asText()).isEqualTo("NO_JOBS");
    }

    @Test
    void reconcilingSendsTheWholeLedgerInOneBulkRequest()
            throws IOException
    {
        LedgerRow failed = LedgerRow.of(new RunOutcome("run-20181101", "2018-11-01", RunOutcome.Status.FAILED, null, "States.TaskFailed", "killed"), null, null,
                Instant.parse("2018-11-01T05:00:00Z"));
        new OpenSearchRunIndexer(client).reconcile(List.of(failed, row()));

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).path()).isEqualTo("/_bulk");
        assertThat(seen.get(0).query()).contains("refresh=wait_for");
        List<String> lines = seen.get(0).body().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(Json.mapper().readTree(lines.get(0)).at("/index/_id").asText()).isEqualTo("run-20181101");
        assertThat(Json.mapper().readTree(lines.get(0)).at("/index/_index").asText()).isEqualTo("dragnet-runs");
        assertThat(Json.mapper().readTree(lines.get(1)).get("status").asText()).isEqualTo("FAILED");
        assertThat(Json.mapper().readTree(lines.get(2)).at("/index/_id").asText()).isEqualTo("run-20181102");
    }

    @Test
    void aRefusalIsAnExternalErrorNamingTheIndex()
    {
        status = 403;

        assertThatThrownBy(() -> new OpenSearchRunIndexer(client).index(row()))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("dragnet-runs")
                .hasMessageContaining("run-20181102");
    }

    private static LedgerRow row()
    {
        return LedgerRow.of(new RunOutcome("run-20181102", "2018-11-02", RunOutcome.Status.NO_JOBS, null, null, null), null, null,
                Instant.parse("2018-11-02T05:00:00Z"));
    }
}
