package io.dragnet.access;

import io.dragnet.contracts.DragnetException;
import io.dragnet.opensearch.internal.CertificateAuthority;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
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
}
