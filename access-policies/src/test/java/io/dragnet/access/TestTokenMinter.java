package io.dragnet.access;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.dragnet.contracts.DragnetException;
import io.dragnet.opensearch.internal.CertificateAuthority;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTokenMinter
{
    @Test
    void refusesEmptyWildcardAndReservedNames()
            throws Exception
    {
        TokenMinter minter = new TokenMinter(CertificateAuthority.rsaKeyPair(new SecureRandom()).getPrivate(), Clock.systemUTC());
        for (String user : List.of("", " ", "admin", "Admin", "*", "a*", "all_access", "kibanaserver", "rita,admin")) {
            assertThatThrownBy(() -> minter.mint(user, List.of("c2-researchers"), Duration.ofMinutes(5))).as("user '%s'", user)
                    .isInstanceOf(DragnetException.class).hasMessageStartingWith("user '" + user + "' refused");
        }
        for (String group : List.of("", "admin", "ADMIN", "*", "c2-*", "security_rest_api_access", "a,b", " c2-researchers")) {
            assertThatThrownBy(() -> minter.mint("rita", List.of("c2-researchers", group), Duration.ofMinutes(5))).as("group '%s'", group)
                    .isInstanceOf(DragnetException.class).hasMessageStartingWith("group '" + group + "' refused");
        }
        assertThat(minter.mint("rita", List.of("c2-researchers"), Duration.ofMinutes(5))).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    }

    /** The node cannot require exp, bound iat or refuse a groups string, so every minted token carries them right. */
    @Test
    void tokensCarryAnExpiryTheIssueTimeAndGroupsAsAnArray()
            throws Exception
    {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");
        TokenMinter minter = new TokenMinter(CertificateAuthority.rsaKeyPair(new SecureRandom()).getPrivate(), Clock.fixed(now, ZoneOffset.UTC));
        JWTClaimsSet claims = SignedJWT.parse(minter.mint("rita", List.of("c2-researchers", "soc-analysts"), Duration.ofMinutes(5))).getJWTClaimsSet();
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(now);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(now.plus(Duration.ofMinutes(5)));
        assertThat(claims.getStringClaim("token_use")).isEqualTo("id");
        assertThat(claims.getClaim("cognito:groups")).isInstanceOf(List.class);
        assertThat(claims.getStringListClaim("cognito:groups")).containsExactly("c2-researchers", "soc-analysts");
    }
}
