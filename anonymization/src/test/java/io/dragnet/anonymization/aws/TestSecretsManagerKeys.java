package io.dragnet.anonymization.aws;

import io.dragnet.anonymization.SharingKeys;
import com.sun.net.httpserver.HttpServer;
import io.dragnet.contracts.DragnetException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real SDK client against Secrets Manager's recorded GetSecretValue answers (JSON 1.1 protocol, the shapes of
 * the service's API reference) served over HTTP on 127.0.0.1: no Secrets Manager emulator runs here.
 */
class TestSecretsManagerKeys
{
    private static final String KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    private HttpServer server;
    private final List<String> targets = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " " + body);
            String answer;
            int status = 200;
            if (body.contains("dragnet/sharing-key")) {
                answer = "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:dragnet/sharing-key-a1b2c3\",\"CreatedDate\":1.7330448E9,"
                        + "\"Name\":\"dragnet/sharing-key\",\"SecretString\":\"" + KEY + "\",\"VersionId\":\"EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE\",\"VersionStages\":[\"AWSCURRENT\"]}";
            }
            else if (body.contains("dragnet/not-hex")) {
                answer = "{\"Name\":\"dragnet/not-hex\",\"SecretString\":\"hunter2-do-not-print\",\"VersionStages\":[\"AWSCURRENT\"]}";
            }
            else {
                status = 400;
                answer = "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Secrets Manager can't find the specified secret.\"}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.stop(0);
    }

    @Test
    void readsTheKeyAndGivesTheSamePseudonymsAsTheLocalFile()
    {
        try (SecretsManagerClient client = client()) {
            SharingKeys fromAws = new SecretsManagerKeys(client).load("dragnet/sharing-key");
            SharingKeys local = SharingKeys.of(HexFormat.of().parseHex(KEY));
            assertThat(fromAws.pseudonyms().pseudonym("owner", "alice")).isEqualTo(local.pseudonyms().pseudonym("owner", "alice"));
        }
        assertThat(targets).singleElement().asString().startsWith("secretsmanager.GetSecretValue").contains("\"SecretId\":\"dragnet/sharing-key\"");
    }

    @Test
    void namesTheSecretButNeverItsContent()
    {
        try (SecretsManagerClient client = client()) {
            assertThatThrownBy(() -> new SecretsManagerKeys(client).load("dragnet/not-hex"))
                    .isInstanceOf(DragnetException.class)
                    .hasMessageContaining("dragnet/not-hex")
                    .hasMessageNotContaining("hunter2");
            assertThatThrownBy(() -> new SecretsManagerKeys(client).load("dragnet/missing"))
                    .hasMessageContaining("no Secrets Manager secret 'dragnet/missing'");
        }
    }

    private SecretsManagerClient client()
    {
        return SecretsManagerClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
