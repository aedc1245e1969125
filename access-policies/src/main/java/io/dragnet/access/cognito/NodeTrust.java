package io.dragnet.access.cognito;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.opensearch.client.RestCaller;
import io.dragnet.opensearch.internal.Pem;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Makes the local OpenSearch node trust a user pool's ID tokens: the 2.19 JWT authenticator takes one static signing
 * key, so the pool's RS256 key is read from its JWKS endpoint and configured, with the pool's issuer and app client
 * (audience), as the authentication domain {@value #DOMAIN} through the security REST API. Idempotent.
 */
public final class NodeTrust
{
    public static final String DOMAIN = "cognito_user_pool_auth_domain";

    private NodeTrust() {}

    /** The RS256 public key the pool publishes at {@code <endpoint>/<pool id>/.well-known/jwks.json}. */
    public static PublicKey poolSigningKey(URI endpoint, String userPoolId)
    {
        URI jwks = endpoint.resolve("/" + userPoolId + "/.well-known/jwks.json");
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(jwks).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw DragnetException.external("GET " + jwks + " answered " + response.statusCode(), null);
            }
            List<JWK> keys = JWKSet.parse(response.body()).getKeys();
            if (keys.size() != 1 || !(keys.get(0) instanceof RSAKey key)) {
                throw DragnetException.external(jwks + ": expected exactly one RSA key, found " + keys.size() + " key(s)", null);
            }
            return key.toRSAPublicKey();
        }
        catch (IOException | ParseException | JOSEException e) {
            throw DragnetException.external("cannot read the pool's signing key from " + jwks, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DragnetException.external("interrupted while reading " + jwks, e);
        }
    }

    /** Configures (or replaces) the node's authentication domain for the pool's ID tokens. */
    public static void trust(RestCaller admin, PublicKey signingKey, String issuer, String audience)
    {
        Map<String, Object> domain = Map.of(
                "description", "ID tokens of the local Cognito user pool (cognito-local)",
                "http_enabled", true,
                "transport_enabled", false,
                "order", 1,
                "http_authenticator", Map.of("type", "jwt", "challenge", false, "config", Map.of(
                        "signing_key", Pem.publicKeyOneLine(signingKey),
                        "jwt_header", "Authorization",
                        "roles_key", LocalOpenSearchNode.JWT_ROLES_KEY,
                        "subject_key", LocalOpenSearchNode.JWT_SUBJECT_KEY,
                        "required_issuer", issuer,
                        "required_audience", audience,
                        "jwt_clock_skew_tolerance_seconds", LocalOpenSearchNode.JWT_CLOCK_SKEW_SECONDS)),
                "authentication_backend", Map.of("type", "noop"));
        // A domain that challenges (HTTP basic) ends the chain when a request carries no credentials for it, so it must
        // come after every token domain.
        admin.require("PATCH", "/_plugins/_security/api/securityconfig", Json.write(List.of(
                Map.of("op", "add", "path", "/config/dynamic/authc/" + DOMAIN, "value", domain),
                Map.of("op", "add", "path", "/config/dynamic/authc/" + LocalOpenSearchNode.BASIC_AUTH_DOMAIN + "/order", "value", LocalOpenSearchNode.BASIC_AUTH_ORDER))));
    }
}
