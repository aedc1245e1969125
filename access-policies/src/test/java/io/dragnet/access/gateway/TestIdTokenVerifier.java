package io.dragnet.access.gateway;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.opensearch.internal.CertificateAuthority;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestIdTokenVerifier
{
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final String ISSUER = "http://127.0.0.1:9229/local_pool";
    private static final String CLIENT = "client-1";

    private final KeyPair poolKey = keyPair();
    private final IdTokenVerifier verifier = new IdTokenVerifier(
            List.of(new IdTokenVerifier.TrustedIssuer(ISSUER, CLIENT, (RSAPublicKey) poolKey.getPublic())),
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(5));

    @Test
    void acceptsAnIdTokenAndNamesItsUserAndGroups()
            throws Exception
    {
        IdTokenVerifier.Identity identity = verifier.verify(sign(poolKey, claims().build()));
        assertThat(identity).isEqualTo(new IdTokenVerifier.Identity("sam", List.of("soc-analysts", "dns-researchers"), NOW.plus(Duration.ofHours(1))));
        assertThat(verifier.verify(sign(poolKey, claims().claim(LocalOpenSearchNode.JWT_ROLES_KEY, null).build())).groups()).isEmpty();
    }

    @Test
    void expiryAndIssueTimeAreRequiredAndBoundedWithTheClockSkew()
            throws Exception
    {
        refused(claims().expirationTime(null), "exp is required");
        refused(claims().issueTime(null), "iat is required");
        refused(claims().issueTime(at(-3600)).expirationTime(at(-6)), "token expired");
        verifier.verify(sign(poolKey, claims().issueTime(at(-3600)).expirationTime(at(-5)).build()));
        refused(claims().issueTime(at(6)).expirationTime(at(3600)), "iat lies in the future");
        verifier.verify(sign(poolKey, claims().issueTime(at(5)).expirationTime(at(3600)).build()));
        refused(claims().expirationTime(at(24 * 3600 + 1)), "lifetime");
        refused(claims().expirationTime(at(0)).issueTime(at(0)), "lifetime");
        refused(claims().notBeforeTime(at(6)), "nbf");
    }

    @Test
    void onlyIdTokensOfTheAppClientWithGroupsAsAnArray()
    {
        refused(claims().claim("token_use", "access"), "token_use must be id");
        refused(claims().claim("token_use", null), "token_use must be id");
        refused(claims().audience((String) null).claim("client_id", CLIENT), "audience");
        refused(claims().audience(List.of(CLIENT, "other")), "audience");
        refused(claims().audience("other"), "audience");
        refused(claims().claim(LocalOpenSearchNode.JWT_ROLES_KEY, "soc-analysts,dns-researchers"), "must be a JSON array");
        refused(claims().claim(LocalOpenSearchNode.JWT_ROLES_KEY, "soc-analysts"), "must be a JSON array");
        refused(claims().claim(LocalOpenSearchNode.JWT_ROLES_KEY, List.of("soc-analysts,dns-researchers")), "without commas");
        refused(claims().claim(LocalOpenSearchNode.JWT_ROLES_KEY, List.of(" ")), "without commas");
        refused(claims().claim(LocalOpenSearchNode.JWT_ROLES_KEY, List.of(1)), "without commas");
        refused(claims().claim(LocalOpenSearchNode.JWT_SUBJECT_KEY, null), "must be a non-blank string");
        refused(claims().claim(LocalOpenSearchNode.JWT_SUBJECT_KEY, List.of("sam")), "must be a non-blank string");
    }

    @Test
    void signatureAlgorithmAndIssuerMustBeTheTrustedOnes()
            throws Exception
    {
        assertThatThrownBy(() -> verifier.verify(sign(keyPair(), claims().build()))).hasMessage("signature does not verify");
        assertThatThrownBy(() -> verifier.verify(sign(poolKey, claims().issuer("http://127.0.0.1:9229/other_pool").build()))).hasMessage("issuer is not trusted");
        assertThatThrownBy(() -> verifier.verify(sign(poolKey, claims().issuer(null).build()))).hasMessage("issuer is not trusted");
        String none = base64("{\"alg\":\"none\"}") + "." + base64(claims().build().toString()) + ".";
        assertThatThrownBy(() -> verifier.verify(none)).hasMessage("not a signed JWT");
        String valid = sign(poolKey, claims().build());
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + base64(claims().claim(LocalOpenSearchNode.JWT_ROLES_KEY, List.of("c2-researchers")).build().toString()) + "." + parts[2];
        assertThatThrownBy(() -> verifier.verify(tampered)).hasMessage("signature does not verify");
        assertThatThrownBy(() -> verifier.verify("not-a-token")).hasMessage("not a signed JWT");
    }

    private void refused(JWTClaimsSet.Builder claims, String reason)
    {
        assertThatThrownBy(() -> verifier.verify(sign(poolKey, claims.build())))
                .isInstanceOf(IdTokenVerifier.RefusedToken.class)
                .hasMessageContaining(reason);
    }

    private static JWTClaimsSet.Builder claims()
    {
        return new JWTClaimsSet.Builder()
                .subject("0b6e2a")
                .issuer(ISSUER)
                .audience(CLIENT)
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
                .claim("token_use", "id")
                .claim(LocalOpenSearchNode.JWT_SUBJECT_KEY, "sam")
                .claim(LocalOpenSearchNode.JWT_ROLES_KEY, List.of("soc-analysts", "dns-researchers"));
    }

    private static Date at(long secondsFromNow)
    {
        return Date.from(NOW.plusSeconds(secondsFromNow));
    }

    private static String sign(KeyPair key, JWTClaimsSet claims)
    {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims);
            jwt.sign(new RSASSASigner(key.getPrivate()));
            return jwt.serialize();
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String base64(String text)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair keyPair()
    {
        try {
            return CertificateAuthority.rsaKeyPair(new SecureRandom());
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
