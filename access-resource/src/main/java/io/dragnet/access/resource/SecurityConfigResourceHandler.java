package io.dragnet.access.resource;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.type.TypeReference;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.OpenSearchEndpoint;
import io.dragnet.opensearch.client.OpenSearchEnvironment;
import io.dragnet.opensearch.client.SecurityConfigApplier;
import io.dragnet.opensearch.client.SecurityConfigApplier.SecurityConfig;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The CloudFormation custom resource {@code Custom::DragnetSecurityConfig}: at deploy time applies the access policy's
 * compiled security configuration (resource properties {@code actiongroups}, {@code tenants}, {@code roles},
 * {@code rolesmapping}, and the audit configuration {@code audit}, generated into infra-sam/access/security-config.yaml) to the domain of the environment
 * ({@link OpenSearchEnvironment}: SigV4 as the domain's master role), idempotently: Create and Update apply (PUT
 * replaces; dragnet roles no longer in the policy are deleted), Delete leaves the domain alone (it goes with the
 * stack). Every request is answered on the pre-signed {@code ResponseURL}, failures included, so a stack never
 * waits for a resource that already failed.
 */
public final class SecurityConfigResourceHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
    public static final String PHYSICAL_ID = "dragnet-security-config";
    private static final String OWNED_PREFIX = "dragnet_";
    private static final int MAX_REASON = 1000;
    private static final TypeReference<Map<String, Map<String, Object>>> OBJECTS = new TypeReference<>() {};

    private final Map<String, String> environment;
    private final HttpClient http;

    public SecurityConfigResourceHandler()
    {
        this(System.getenv());
    }

    SecurityConfigResourceHandler(Map<String, String> environment)
    {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context)
    {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("PhysicalResourceId", PHYSICAL_ID);
        response.put("StackId", event.get("StackId"));
        response.put("RequestId", event.get("RequestId"));
        response.put("LogicalResourceId", event.get("LogicalResourceId"));
        try {
            String requestType = String.valueOf(event.get("RequestType"));
            List<String> applied = switch (requestType) {
                case "Create", "Update" -> apply(securityConfig(event.get("ResourceProperties")));
                case "Delete" -> List.of();
                default -> throw DragnetException.user("RequestType '" + requestType + "': expected Create, Update or Delete");
            };
            response.put("Status", "SUCCESS");
            response.put("Reason", requestType + ": " + applied.size() + " security objects written or removed");
            response.put("Data", Map.of("Changes", String.valueOf(applied.size())));
        }
        catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            response.put("Status", "FAILED");
            response.put("Reason", reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        }
        respond(String.valueOf(event.get("ResponseURL")), response);
        return response;
    }

    private List<String> apply(SecurityConfig config)
    {
        OpenSearchEndpoint endpoint = OpenSearchEnvironment.resolve(environment, null)
                .orElseThrow(() -> DragnetException.user("the security configuration resource needs OpenSearch; " + OpenSearchEnvironment.AUTH + " is disabled"));
        OpenSearchClient client = OpenSearchClients.create(endpoint);
        try {
            return new SecurityConfigApplier(client, OWNED_PREFIX).apply(config);
        }
        catch (RuntimeException e) {
            throw DragnetException.external("applying the security configuration to " + endpoint.describe() + " failed: " + OpenSearchClients.failureMessage(e), e);
        }
        finally {
            OpenSearchClients.close(client);
        }
    }

    static SecurityConfig securityConfig(Object properties)
    {
        if (!(properties instanceof Map<?, ?> map)) {
            throw DragnetException.user("ResourceProperties: expected an object with actiongroups, tenants, roles and rolesmapping");
        }
        return new SecurityConfig(objects(map, "actiongroups"), objects(map, "tenants"), objects(map, "roles"), objects(map, "rolesmapping"), audit(map));
    }

    /**
     * The audit configuration. CloudFormation hands every scalar of a custom resource's properties over as a string,
     * while the audit API refuses {@code "true"} where it expects a boolean: the settings' true/false come back as booleans.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> audit(Map<?, ?> properties)
    {
        Object value = properties.get("audit");
        if (!(value instanceof Map<?, ?> audit)) {
            throw DragnetException.user("ResourceProperties: expected key 'audit' with the audit configuration (enabled, audit, compliance)");
        }
        return (Map<String, Object>) withBooleans(audit);
    }

    private static Object withBooleans(Object value)
    {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), item instanceof String text && (text.equals("true") || text.equals("false"))
                    ? Boolean.valueOf(text) : withBooleans(item)));
            return copy;
        }
        return value;
    }

    private static Map<String, Map<String, Object>> objects(Map<?, ?> properties, String kind)
    {
        Object value = properties.get(kind);
        if (value == null) {
            throw DragnetException.user("ResourceProperties: expected key '" + kind + "'");
        }
        try {
            return Json.mapper().convertValue(value, OBJECTS);
        }
        catch (IllegalArgumentException e) {
            throw DragnetException.user("ResourceProperties." + kind + ": expected name → object");
        }
    }

    /** PUTs the response to CloudFormation's pre-signed S3 URL (no content type: it is not part of the signature). */
    private void respond(String responseUrl, Map<String, Object> response)
    {
        HttpRequest request = HttpRequest.newBuilder(URI.create(responseUrl))
                .timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(Json.writeCompact(response)))
                .build();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                throw DragnetException.external("CloudFormation response URL answered " + answer.statusCode(), null);
            }
        }
        catch (IOException e) {
            throw DragnetException.external("cannot answer CloudFormation at the response URL: " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DragnetException.external("interrupted while answering CloudFormation", e);
        }
    }
}
