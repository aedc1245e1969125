package io.dragnet.access.cognito;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.dragnet.contracts.DragnetException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;

/** Reads a user pool's signing key from its JWKS endpoint, for the token gateway to trust. */
public final class PoolJwks
{
    private PoolJwks() {}

    /** The RS256 public key the pool publishes at {@code <endpoint>/<pool id>/.well-known/jwks.json}. */
    public static RSAPublicKey signingKey(URI endpoint, String userPoolId)
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
}
