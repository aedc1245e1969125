package io.dragnet.opensearch.client;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.OpenSearchConnection;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Plain HTTP against an OpenSearch endpoint where the exact status code matters (health checks while the security
 * plugin initialises, 401/403 checks for tokens). It speaks every mode of the one connection ({@link OpenSearchEndpoint}):
 * basic and JWT send their fixed {@code Authorization} header over the JDK HTTP client; SigV4 goes through the
 * opensearch-java client with the AWS SDK's signer ({@link OpenSearchClients}), so a 401 or 403 is an answer there too.
 * A request that gets no answer (refused connection, TLS, DNS) comes back as status 0 with the failure as body.
 */
public final class RestCaller
{
    private final OpenSearchEndpoint endpoint;
    private final HttpClient http;

    private RestCaller(OpenSearchEndpoint endpoint)
    {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.http = endpoint.auth() instanceof OpenSearchAuth.SigV4 ? null : HttpClient.newBuilder()
                .sslContext(OpenSearchClients.sslContext(endpoint.caCertificatePath()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Calls as the endpoint's {@link OpenSearchAuth} says: basic, JWT or SigV4. */
    public static RestCaller of(OpenSearchEndpoint endpoint)
    {
        return new RestCaller(endpoint);
    }

    public static RestCaller asAdmin(OpenSearchConnection connection)
    {
        return of(OpenSearchEndpoint.basic(requireNonNull(connection, "connection is null")));
    }

    public static RestCaller withBearerToken(OpenSearchConnection connection, String token)
    {
        return of(OpenSearchEndpoint.basic(requireNonNull(connection, "connection is null")).withToken(requireNonNull(token, "token is null")));
    }

    /** Sends the request; a connection failure becomes status 0 with the failure as body. */
    public RestResponse send(String method, String path, String jsonBody)
    {
        return http == null ? sendSigned(method, path, jsonBody) : sendWithHeader(method, path, jsonBody);
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

    private RestResponse sendWithHeader(String method, String path, String jsonBody)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.url().resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", OpenSearchClients.authorization(endpoint.auth()))
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
            throw DragnetException.external("interrupted while calling " + endpoint.url(), e);
        }
    }

    // One client per call: SigV4 callers here make a handful of calls, and a client holds connections that need closing.
    private RestResponse sendSigned(String method, String path, String jsonBody)
    {
        OpenSearchClient client = OpenSearchClients.create(endpoint);
        try {
            return OpenSearchRest.call(client, method, path, jsonBody);
        }
        catch (DragnetException e) {
            if (e.getCause() instanceof IOException failure) {
                return new RestResponse(0, String.valueOf(failure));
            }
            throw e;
        }
        finally {
            OpenSearchClients.close(client);
        }
    }
}
