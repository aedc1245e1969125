package io.dragnet.access.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.dragnet.opensearch.LocalOpenSearchNode;

import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Checks a Cognito-shaped ID token strictly, beyond what the OpenSearch 2.19 JWT authenticator can: an RS256 signature
 * by the key of the token's (trusted) issuer, exactly that issuer's audience, {@code token_use} {@code id},
 * {@code exp} required and not passed, {@code iat} required and not in the future, a lifetime of at most
 * {@link #MAX_LIFETIME}, {@code nbf} (when present) reached — each time compared with {@code clockSkew} of tolerance —
 * a non-blank {@code cognito:username}, and {@code cognito:groups} absent or a JSON array of non-blank names without
 * commas. Pure apart from the clock.
 */
public final class IdTokenVerifier
{
    public static final Duration MAX_LIFETIME = Duration.ofHours(24);

    private final Map<String, TrustedIssuer> issuers;
    private final Clock clock;
    private final Duration clockSkew;

    /** A token issuer the gateway trusts: its {@code iss}, the audience its ID tokens must name, and its signing key. */
    public record TrustedIssuer(String issuer, String audience, RSAPublicKey signingKey)
    {
        public TrustedIssuer
        {
            requireNonNull(issuer, "issuer is null");
            requireNonNull(audience, "audience is null");
            requireNonNull(signingKey, "signingKey is null");
        }
    }

    /** Who a verified token names. */
    public record Identity(String username, List<String> groups, Instant expiresAt)
    {
        public Identity
        {
            requireNonNull(username, "username is null");
            groups = List.copyOf(groups);
            requireNonNull(expiresAt, "expiresAt is null");
        }
    }

    /** A token the gateway refuses, with a reason safe to show the caller (never the token's contents). */
    public static final class RefusedToken
            extends Exception
    {
        public RefusedToken(String reason)
        {
            super(reason);
        }
    }

    public IdTokenVerifier(List<TrustedIssuer> issuers, Clock clock, Duration clockSkew)
    {
        Map<String, TrustedIssuer> byIssuer = new LinkedHashMap<>();
        for (TrustedIssuer issuer : issuers) {
            if (byIssuer.put(issuer.issuer(), issuer) != null) {
                throw new IllegalArgumentException("issuer " + issuer.issuer() + " is trusted twice");
            }
        }
        this.issuers = Map.copyOf(byIssuer);
        this.clock = requireNonNull(clock, "clock is null");
        this.clockSkew = requireNonNull(clockSkew, "clockSkew is null");
    }

    public Identity verify(String token)
            throws RefusedToken
    {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(requireNonNull(token, "token is null"));
            claims = jwt.getJWTClaimsSet();
        }
        catch (ParseException e) {
            throw new RefusedToken("not a signed JWT");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new RefusedToken("algorithm must be RS256");
        }
        TrustedIssuer trusted = claims.getIssuer() == null ? null : issuers.get(claims.getIssuer());
        if (trusted == null) {
            throw new RefusedToken("issuer is not trusted");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(trusted.signingKey()))) {
                throw new RefusedToken("signature does not verify");
            }
        }
        catch (JOSEException e) {
            throw new RefusedToken("signature does not verify");
        }
        if (!List.of(trusted.audience()).equals(claims.getAudience())) {
            throw new RefusedToken("audience must be exactly the app client");
        }
        if (!"id".equals(claims.getClaim("token_use"))) {
            throw new RefusedToken("token_use must be id (an ID token)");
        }
        Instant now = clock.instant();
        Instant expires = instant(claims.getExpirationTime(), "exp");
        Instant issued = instant(claims.getIssueTime(), "iat");
        if (now.isAfter(expires.plus(clockSkew))) {
            throw new RefusedToken("token expired");
        }
        if (issued.isAfter(now.plus(clockSkew))) {
            throw new RefusedToken("iat lies in the future");
        }
        if (!expires.isAfter(issued) || Duration.between(issued, expires).compareTo(MAX_LIFETIME) > 0) {
            throw new RefusedToken("lifetime (exp - iat) must be positive and at most " + MAX_LIFETIME.toHours() + " hours");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(clockSkew))) {
            throw new RefusedToken("token not valid yet (nbf)");
        }
        return new Identity(username(claims), groups(claims), expires);
    }

    private static Instant instant(Date date, String claim)
            throws RefusedToken
    {
        if (date == null) {
            throw new RefusedToken(claim + " is required");
        }
        return date.toInstant();
    }

    private static String username(JWTClaimsSet claims)
            throws RefusedToken
    {
        if (claims.getClaim(LocalOpenSearchNode.JWT_SUBJECT_KEY) instanceof String username && !username.isBlank()) {
            return username;
        }
        throw new RefusedToken(LocalOpenSearchNode.JWT_SUBJECT_KEY + " must be a non-blank string");
    }

    private static List<String> groups(JWTClaimsSet claims)
            throws RefusedToken
    {
        Object value = claims.getClaim(LocalOpenSearchNode.JWT_ROLES_KEY);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new RefusedToken(LocalOpenSearchNode.JWT_ROLES_KEY + " must be a JSON array");
        }
        List<String> groups = new ArrayList<>();
        for (Object element : list) {
            if (!(element instanceof String group) || group.isBlank() || group.contains(",")) {
                throw new RefusedToken(LocalOpenSearchNode.JWT_ROLES_KEY + " must hold non-blank group names without commas");
            }
            groups.add(group);
        }
        return groups;
    }
}
