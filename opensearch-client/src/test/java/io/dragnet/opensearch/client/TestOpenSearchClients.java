package io.dragnet.opensearch.client;

import com.sun.net.httpserver.HttpServer;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.OpenSearchConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.InfoResponse;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestOpenSearchClients
{
    private static final String INFO = """
            {"name":"node-1","cluster_name":"dragnet","cluster_uuid":"abc","version":{"distribution":"opensearch",
            "number":"2.19.4","build_type":"zip","build_hash":"h","build_date":"2025-01-01T00:00:00Z","build_snapshot":false,
            "lucene_version":"9.12.1","minimum_wire_compatibility_version":"7.10.0","minimum_index_compatibility_version":"7.0.0"},
            "tagline":"The OpenSearch Project: https://opensearch.org/"}
            """;

    @Test
    void sendsBasicAuthAndParsesResponsesWithTheProjectsJackson()
            throws Exception
    {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = INFO.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            OpenSearchClient client = OpenSearchClients.create(new OpenSearchConnection(endpoint, "admin", "s3cret", null));
            try {
                InfoResponse info = client.info();
                assertThat(info.version().number()).isEqualTo("2.19.4");
                assertThat(info.clusterName()).isEqualTo("dragnet");
            }
            finally {
                client._transport().close();
            }
            OpenSearchClient tokenClient = OpenSearchClients.createWithBearerToken(new OpenSearchConnection(endpoint, "ignored", "ignored", null), "tok.en.sig");
            try {
                tokenClient.info();
            }
            finally {
                tokenClient._transport().close();
            }
        }
        finally {
            server.stop(0);
        }
        assertThat(authorizations).containsExactly("Basic YWRtaW46czNjcmV0", "Bearer tok.en.sig");
    }

    @Test
    void rejectsUnusableCaFileNamingIt(@TempDir Path dir)
            throws Exception
    {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        assertThatThrownBy(() -> OpenSearchClients.sslContext(Optional.of(notPem)))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining(notPem.toString())
                .hasMessageContaining("expected a PEM X.509 certificate");
    }

    @Test
    void rejectsNonHttpEndpoint()
    {
        assertThatThrownBy(() -> OpenSearchClients.create(new OpenSearchConnection(URI.create("ftp://127.0.0.1:21"), "a", "b", null)))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("expected an http:// or https:// URI");
    }
}
