package io.dragnet.nids.aws;

import com.sun.net.httpserver.HttpServer;
import io.dragnet.contracts.DragnetException;
import io.dragnet.nids.model.NidsModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SageMaker adapter against an HTTP server answering with SageMaker's response formats for InvokeEndpoint. */
class TestSageMakerScorer
{
    private HttpServer server;
    private SageMakerRuntimeClient client;
    private final AtomicReference<String> requestPath = new AtomicReference<>();
    private final AtomicReference<String> requestContentType = new AtomicReference<>();
    private final AtomicReference<String> requestBody = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String responseResource = "/aws/invoke-endpoint-text-csv.txt";

    @BeforeEach
    void start()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requestPath.set(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            requestContentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            requestBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body;
            try (InputStream in = TestSageMakerScorer.class.getResourceAsStream(responseResource)) {
                body = in.readAllBytes();
            }
            if (status == 200) {
                exchange.getResponseHeaders().add("Content-Type", "text/csv; charset=utf-8");
                exchange.getResponseHeaders().add("x-Amzn-Invoked-Production-Variant", "AllTraffic");
            }
            else {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "ModelError:http://internal.amazon.com/coral/com.amazon.sageruntime/");
            }
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        client = SageMakerRuntimeClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "generated-for-the-test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void stop()
    {
        client.close();
        server.stop(0);
    }

    @Test
    void sendsOneCsvLinePerSessionAndReadsOneProbabilityPerLine()
    {
        List<NidsModel.Verdict> verdicts = new SageMakerScorer(client, "nids-rf", 0.5).score(List.of(new double[] {1.5, 2, 0}, new double[] {0.25, 1, 3}));
        assertThat(requestPath.get()).isEqualTo("POST /endpoints/nids-rf/invocations");
        assertThat(requestContentType.get()).isEqualTo("text/csv");
        assertThat(requestBody.get()).isEqualTo("1.5,2.0,0.0\n0.25,1.0,3.0\n");
        assertThat(verdicts).containsExactly(new NidsModel.Verdict(0.91, true, null), new NidsModel.Verdict(0.08, false, null));
    }

    @Test
    void aModelErrorBecomesAnExternalError()
    {
        status = 424;
        responseResource = "/aws/invoke-endpoint-model-error.json";
        assertThatThrownBy(() -> new SageMakerScorer(client, "nids-rf", 0.5).score(List.<double[]>of(new double[] {1})))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("SageMaker endpoint nids-rf failed")
                .hasMessageContaining("Unsupported content type");
    }

    @Test
    void aScoreCountMismatchIsReported()
    {
        assertThatThrownBy(() -> new SageMakerScorer(client, "nids-rf", 0.5).score(List.<double[]>of(new double[] {1})))
                .isInstanceOf(DragnetException.class)
                .hasMessage("SageMaker endpoint nids-rf answered 2 scores for 1 sessions");
    }
}
