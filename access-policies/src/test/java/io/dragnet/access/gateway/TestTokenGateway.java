package io.dragnet.access.gateway;

import io.dragnet.contracts.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestTokenGateway
{
    /** A node whose security index predates the gateway trusts other keys: the gateway names those domains and will not start. */
    @Test
    void namesTheNodesDomainsThatTrustAnotherKey()
            throws Exception
    {
        String config = """
                {"config":{"dynamic":{"authc":{
                  "jwt_auth_domain":{"http_enabled":true,"http_authenticator":{"type":"jwt","config":{"signing_key":"GATEWAY"}}},
                  "cognito_user_pool_auth_domain":{"http_enabled":true,"http_authenticator":{"type":"jwt","config":{"signing_key":"POOL"}}},
                  "switched_off":{"http_enabled":false,"http_authenticator":{"type":"jwt","config":{"signing_key":"OLD"}}},
                  "proxy_domain":{"http_enabled":true,"http_authenticator":{"type":"proxy","config":{}}},
                  "basic_internal_auth_domain":{"http_enabled":true,"http_authenticator":{"type":"basic","challenge":true}}}}}}
                """;
        assertThat(TokenGateway.domainsBypassingTheGateway(Json.mapper().readTree(config), "GATEWAY"))
                .containsExactlyInAnyOrder("cognito_user_pool_auth_domain", "proxy_domain");
        assertThat(TokenGateway.domainsBypassingTheGateway(Json.mapper().readTree(config.replace("POOL", "GATEWAY").replace("\"type\":\"proxy\",\"config\":{}", "\"type\":\"jwt\",\"config\":{\"signing_key\":\"GATEWAY\"}")), "GATEWAY"))
                .isEmpty();
    }
}
