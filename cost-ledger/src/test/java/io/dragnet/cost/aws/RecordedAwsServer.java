package io.dragnet.cost.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dragnet.contracts.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serves recorded AWS responses (src/test/resources/aws-recordings) over real HTTP on 127.0.0.1 to the real SDK clients
 * pointed at it with endpointOverride. JSON-protocol calls (EMR, Pricing) are routed by their X-Amz-Target header,
 * EC2 query calls by the Action form parameter. Every request is kept so tests can check what the adapter asked.
 */
final class RecordedAwsServer
        implements AutoCloseable
{
    record Request(String target, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    RecordedAwsServer()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requests()
    {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String recording;
        String contentType;
        if ("ElasticMapReduce.DescribeCluster".equals(target) && body.contains("j-GONE")) {
            requests.add(new Request(target, body));
            respond(exchange, 400, "application/x-amz-json-1.1", readRecording("emr-DescribeCluster-NoSuchCluster.json"));
            return;
        }
        if (target != null) {
            requests.add(new Request(target, body));
            contentType = "application/x-amz-json-1.1";
            recording = switch (target) {
                case "ElasticMapReduce.DescribeCluster" -> "emr-DescribeCluster.json";
                case "ElasticMapReduce.ListInstanceFleets" -> "emr-ListInstanceFleets.json";
                case "ElasticMapReduce.ListInstances" -> "emr-ListInstances.json";
                case "ElasticMapReduce.ListSteps" -> "emr-ListSteps.json";
                case "AWSPriceListService.GetProducts" -> getProducts(body);
                default -> null;
            };
        }
        else {
            String action = formParameter(body, "Action");
            requests.add(new Request("EC2." + action, URLDecoder.decode(body, StandardCharsets.UTF_8)));
            contentType = "text/xml;charset=UTF-8";
            recording = "DescribeSpotPriceHistory".equals(action) ? "ec2-DescribeSpotPriceHistory.xml" : null;
        }
        byte[] response;
        int status = 200;
        try (InputStream stream = recording == null ? null : getClass().getResourceAsStream("/aws-recordings/" + recording)) {
            if (stream == null) {
                status = 400;
                response = ("{\"__type\":\"InvalidRequestException\",\"message\":\"no recording for " + target + " " + body.replace('"', '\'') + "\"}").getBytes(StandardCharsets.UTF_8);
                contentType = "application/x-amz-json-1.1";
            }
            else {
                response = stream.readAllBytes();
            }
        }
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.getResponseHeaders().add("x-amzn-RequestId", "00000000-0000-0000-0000-00000000000" + (requests.size() % 10));
        exchange.sendResponseHeaders(status, response.length);
        exchange.getResponseBody().write(response);
        exchange.close();
    }

    private byte[] readRecording(String name)
            throws IOException
    {
        try (InputStream stream = getClass().getResourceAsStream("/aws-recordings/" + name)) {
            return stream.readAllBytes();
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] response)
            throws IOException
    {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.getResponseHeaders().add("x-amzn-RequestId", "00000000-0000-0000-0000-000000000400");
        exchange.sendResponseHeaders(status, response.length);
        exchange.getResponseBody().write(response);
        exchange.close();
    }

    /** pricing-GetProducts-<ServiceCode>-<instanceType or volumeApiName>.json */
    private static String getProducts(String body)
            throws IOException
    {
        JsonNode request = Json.mapper().readTree(body);
        String key = null;
        for (JsonNode filter : request.path("Filters")) {
            String field = filter.path("Field").asText();
            if (field.equals("instanceType") || field.equals("volumeApiName")) {
                key = filter.path("Value").asText();
            }
        }
        return "pricing-GetProducts-" + request.path("ServiceCode").asText() + "-" + key + ".json";
    }

    private static String formParameter(String body, String name)
    {
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
