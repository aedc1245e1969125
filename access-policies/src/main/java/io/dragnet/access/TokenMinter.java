package io.dragnet.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.opensearch.ReservedNames;
import io.dragnet.opensearch.internal.Pem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Mints RS256 tokens shaped like Cognito ID tokens ({@code cognito:username}, {@code cognito:groups},
 * {@code token_use: id}). The home's minter ({@link #forHome}) signs tokens with the local pool's issuer and audience
 * that stand in for analysts signing in through Cognito; the token gateway checks them like the pool's own. The
 * gateway's minter ({@link #forGateway}) signs the short-lived tokens the node accepts, for identities the gateway has
 * verified.
 */
public final class TokenMinter
{
    private final PrivateKey signingKey;
    private final Clock clock;
    private final String issuer;
    private final String audience;

    public TokenMinter(PrivateKey signingKey, Clock clock, String issuer, String audience)
    {
        this.signingKey = requireNonNull(signingKey, "signingKey is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.issuer = requireNonNull(issuer, "issuer is null");
        this.audience = requireNonNull(audience, "audience is null");
    }

    /** A minter of local analyst tokens (issuer and audience of the local pool). */
    public TokenMinter(PrivateKey signingKey, Clock clock)
    {
        this(signingKey, clock, LocalOpenSearchNode.JWT_ISSUER, LocalOpenSearchNode.JWT_AUDIENCE);
    }

    /** The home's minter of analyst tokens (its key is created with the node's secrets on first start). */
    public static TokenMinter forHome(DragnetHome home, Clock clock)
    {
        return new TokenMinter(signingKey(LocalOpenSearchNode.minterSigningKeyFile(home)), clock);
    }

    /** The token gateway's minter of node tokens: the only key and issuer the node's JWT domain trusts. */
    public static TokenMinter forGateway(DragnetHome home, Clock clock)
    {
        return new TokenMinter(signingKey(LocalOpenSearchNode.gatewaySigningKeyFile(home)), clock, LocalOpenSearchNode.GATEWAY_ISSUER,
                LocalOpenSearchNode.GATEWAY_AUDIENCE);
    }

    private static PrivateKey signingKey(Path key)
    {
        try {
            return Pem.readRsaPrivateKey(Files.readString(key, StandardCharsets.US_ASCII));
        }
        catch (IOException e) {
            throw DragnetException.user("no token signing key at " + key + ": start the node first (dragnet opensearch start)");
        }
    }

    public static String mint(DragnetHome home, String username, List<String> groups, Duration ttl)
    {
        return forHome(home, Clock.systemUTC()).mint(username, groups, ttl);
    }

    /** Refuses empty, wildcard and reserved user and group names: a token must never name the administrator or a built-in role. */
    public static void checkIdentity(String username, List<String> groups)
    {
        if (ReservedNames.isReserved(username)) {
            throw DragnetException.user("user '" + username + "' refused: a token's user may not be one of " + ReservedNames.describe());
        }
        for (String group : groups) {
            if (ReservedNames.isReserved(group)) {
                throw DragnetException.user("group '" + group + "' refused: a token's group may not be one of " + ReservedNames.describe());
            }
        }
    }

    public String mint(String username, List<String> groups, Duration ttl)
    {
        requireNonNull(username, "username is null");
        requireNonNull(groups, "groups is null");
        requireNonNull(ttl, "ttl is null");
        checkIdentity(username, groups);
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString())
                .issuer(issuer)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .claim("auth_time", now.getEpochSecond())
                .claim("token_use", "id")
                .claim(LocalOpenSearchNode.JWT_SUBJECT_KEY, username);
        if (!groups.isEmpty()) {
            claims.claim(LocalOpenSearchNode.JWT_ROLES_KEY, List.copyOf(groups));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("dragnet-local").build(), claims.build());
        try {
            jwt.sign(new RSASSASigner(signingKey));
        }
        catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
        return jwt.serialize();
    }
}
