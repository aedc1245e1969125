package io.dragnet.opensearch.client;

import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/**
 * How a client proves who it is to OpenSearch. Serializable so a Spark partition can rebuild its own client; secrets
 * never appear in {@code toString}.
 */
public sealed interface OpenSearchAuth
        extends Serializable
        permits OpenSearchAuth.Basic, OpenSearchAuth.Jwt, OpenSearchAuth.SigV4
{
    /** The mode's name as {@code OPENSEARCH_AUTH} spells it. */
    String mode();

    /** HTTP basic as a user of the security plugin's internal database: the local node's admin. */
    record Basic(String username, String password)
            implements OpenSearchAuth
    {
        public Basic
        {
            requireNonNull(username, "username is null");
            requireNonNull(password, "password is null");
        }

        @Override
        public String mode()
        {
            return "basic";
        }

        @Override
        public String toString()
        {
            return "Basic[username=" + username + ", password=***]";
        }
    }

    /** {@code Authorization: Bearer <token>}: a signed-in user's ID token, checked by the JWT authentication domain. */
    record Jwt(String token)
            implements OpenSearchAuth
    {
        public Jwt
        {
            requireNonNull(token, "token is null");
        }

        @Override
        public String mode()
        {
            return "jwt";
        }

        @Override
        public String toString()
        {
            return "Jwt[token=***]";
        }
    }

    /**
     * AWS Signature Version 4 with the AWS SDK's default credentials chain (Lambda and EMR roles, environment, profile),
     * for OpenSearch Service: signing service {@code es}.
     */
    record SigV4(String region, String service)
            implements OpenSearchAuth
    {
        public static final String OPENSEARCH_SERVICE = "es";

        public SigV4
        {
            requireNonNull(region, "region is null");
            requireNonNull(service, "service is null");
        }

        public SigV4(String region)
        {
            this(region, OPENSEARCH_SERVICE);
        }

        @Override
        public String mode()
        {
            return "sigv4";
        }
    }
}
