package io.dragnet.access.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.opensearch.internal.Pem;
import io.dragnet.storage.OwnerOnly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The user pool whose ID tokens the token gateway accepts: its issuer, its app client (the audience) and its RS256
 * signing key (PEM), kept owner-only in {@code <home>/engines/token-gateway/user-pool.json} by {@code access apply}.
 */
public record PoolTrust(
        @JsonProperty("issuer") String issuer,
        @JsonProperty("audience") String audience,
        @JsonProperty("signing_key") String signingKeyPem)
{
    public PoolTrust
    {
        requireNonNull(issuer, "issuer is null");
        requireNonNull(audience, "audience is null");
        requireNonNull(signingKeyPem, "signingKeyPem is null");
    }

    public static PoolTrust of(String issuer, String audience, RSAPublicKey signingKey)
    {
        return new PoolTrust(issuer, audience, Pem.publicKey(signingKey));
    }

    public static Path file(DragnetHome home)
    {
        return home.engine(TokenGateway.ENGINE).resolve("user-pool.json");
    }

    public void write(DragnetHome home)
    {
        OwnerOnly.writeAtomically(file(home), Json.write(this));
    }

    public static Optional<PoolTrust> read(DragnetHome home)
    {
        Path file = file(home);
        return Files.isRegularFile(file) ? Optional.of(Json.read(file, PoolTrust.class)) : Optional.empty();
    }

    public IdTokenVerifier.TrustedIssuer trusted()
    {
        return new IdTokenVerifier.TrustedIssuer(issuer, audience, (RSAPublicKey) Pem.readRsaPublicKey(signingKeyPem));
    }
}
