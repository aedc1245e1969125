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
 * {@code token_use: id}, issuer and audience of the local pool), signed with the key the local node's JWT domain
 * trusts. They stand in for analysts signing in through Cognito.
 */
public final class TokenMinter
{
    private final PrivateKey signingKey;
    private final Clock clock;

    public TokenMinter(PrivateKey signingKey, Clock clock)
    {
        this.signingKey = requireNonNull(signingKey, "signingKey is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A minter with the signing key of the home's node (created with the node's secrets on first start). */
    public static TokenMinter forHome(DragnetHome home, Clock clock)
    {
        Path key = LocalOpenSearchNode.jwtSigningKeyFile(home);
        try {
            return new TokenMinter(Pem.readRsaPrivateKey(Files.readString(key, StandardCharsets.US_ASCII)), clock);
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
                .issuer(LocalOpenSearchNode.JWT_ISSUER)
                .audience(LocalOpenSearchNode.JWT_AUDIENCE)
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
