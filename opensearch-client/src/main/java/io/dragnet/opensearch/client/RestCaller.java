package io.dragnet.opensearch.client;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.OpenSearchConnection;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Plain HTTP against an OpenSearch endpoint with a fixed Authorization header (basic or bearer): used where the
 * exact status code matters (health checks while the security plugin initialises, 401/403 checks for tokens).
 */
public final class RestCaller
{
    private final URI endpoint;
    private final String authorization;
    private final HttpClient http;

    private RestCaller(OpenSearchConnection connection, String authorization)
    {
        this.endpoint = requireNonNull(connection, "connection is null").endpoint();
        this.authorization = requireNonNull(authorization, "authorization is null");
        this.http = HttpClient.newBuilder()
                .sslContext(OpenSearchClients.sslContext(connection.caCertificatePath()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public static RestCaller asAdmin(OpenSearchConnection connection)
    {
        return new RestCaller(connection, OpenSearchClients.basicAuthorization(connection.username(), connection.password()));
    }

    public static RestCaller withBearerToken(OpenSearchConnection connection, String token)
    {
        return new RestCaller(connection, "Bearer " + token);
    }

    /** Sends the request; a connection failure becomes status 0 with the failure as body. */
    public RestResponse send(String method, String path, String jsonBody)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .header("Content-Type", jsonBody != null && path.contains("_bulk") ? "application/x-ndjson" : "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new RestResponse(response.statusCode(), response.body());
        }
        catch (IOException e) {
            return new RestResponse(0, String.valueOf(e));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DragnetException.external("interrupted while calling " + endpoint, e);
        }
    }

    public RestResponse get(String path)
    {
        return send("GET", path, null);
    }

    /** Sends and fails with an EXTERNAL error naming the call when the status is not 2xx. */
    public String require(String method, String path, String jsonBody)
    {
        RestResponse response = send(method, path, jsonBody);
        if (!response.ok()) {
            throw new DragnetException(DragnetException.Category.EXTERNAL, method + " " + path + " failed with " + response.status() + ": " + response.body());
        }
        return response.body();
    }
}
