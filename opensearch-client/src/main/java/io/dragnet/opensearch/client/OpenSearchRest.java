package io.dragnet.opensearch.client;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

import java.io.IOException;
import java.util.Map;

/** JSON calls through the opensearch-java generic client, for APIs without typed requests (ISM, security, templates by body). */
public final class OpenSearchRest
{
    private OpenSearchRest() {}

    public static RestResponse call(OpenSearchClient client, String method, String path, Object body)
    {
        Requests.JsonBodyBuilder request = Requests.builder().method(method).endpoint(path);
        if (body != null) {
            request.json(body instanceof String text ? text : Json.write(body));
        }
        try (Response response = client.generic().execute(request.build())) {
            String text = response.getBody().map(Body::bodyAsString).orElse("");
            return new RestResponse(response.getStatus(), text);
        }
        catch (OpenSearchException e) {
            // the SigV4 transport turns 401 and 403 into exceptions even for generic requests; report them as answers
            return new RestResponse(e.status(), String.valueOf(e.getMessage()));
        }
        catch (IOException e) {
            throw DragnetException.external(method + " " + path + " failed: " + e.getMessage(), e);
        }
    }

    /** Like {@link #call} but an answer other than 2xx is an EXTERNAL error naming the call. */
    public static String require(OpenSearchClient client, String method, String path, Object body)
    {
        RestResponse response = call(client, method, path, body);
        if (!response.ok()) {
            throw DragnetException.external(method + " " + path + " failed with " + response.status() + ": " + response.body(), null);
        }
        return response.body();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String json)
    {
        try {
            return Json.mapper().readValue(json, Map.class);
        }
        catch (IOException e) {
            throw DragnetException.external("OpenSearch answered with invalid JSON: " + e.getMessage(), e);
        }
    }
}
