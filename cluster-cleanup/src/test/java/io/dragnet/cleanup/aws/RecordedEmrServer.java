package io.dragnet.cleanup.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * EMR's JSON 1.1 protocol on 127.0.0.1, answering from src/test/resources/emr-recordings: ListClusters page 1, or
 * page 2 when the request carries a Marker; DescribeCluster-&lt;ClusterId&gt;.json, or EMR's InvalidRequestException
 * for an id without a recording; TerminateJobFlows. Keeps every request for the tests to check.
 */
final class RecordedEmrServer
        implements AutoCloseable
{
    record Request(String operation, JsonNode body) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    RecordedEmrServer()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requests(String operation)
    {
        return requests.stream().filter(request -> request.operation().equals(operation)).toList();
    }

    private void answer(HttpExchange exchange)
            throws IOException
    {
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        String operation = target.substring(target.indexOf('.') + 1);
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        requests.add(new Request(operation, body));
        String recording = switch (operation) {
            case "ListClusters" -> body.has("Marker") ? "ListClusters-2.json" : "ListClusters-1.json";
            case "DescribeCluster" -> "DescribeCluster-" + body.path("ClusterId").asText() + ".json";
            default -> operation + ".json";
        };
        int status = 200;
        byte[] response = read(recording);
        if (response == null && operation.equals("DescribeCluster")) {
            status = 400;
            response = new String(read("DescribeCluster-unknown.json"), StandardCharsets.UTF_8)
                    .replace("CLUSTER_ID", body.path("ClusterId").asText()).getBytes(StandardCharsets.UTF_8);
        }
        else if (response == null) {
            status = 400;
            response = ("{\"__type\":\"InvalidRequestException\",\"Message\":\"no recording for " + operation + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().add("x-amzn-RequestId", "7f0c3c55-0000-4000-8000-" + String.format("%012d", requests.size()));
        exchange.sendResponseHeaders(status, response.length);
        exchange.getResponseBody().write(response);
        exchange.close();
    }

    private byte[] read(String recording)
            throws IOException
    {
        try (InputStream in = getClass().getResourceAsStream("/emr-recordings/" + recording)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
