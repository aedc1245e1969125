package io.dragnet.opensearch.client;

import io.dragnet.contracts.OpenSearchConnection;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One OpenSearch connection as every dragnet client uses it: where ({@code url}), how it authenticates
 * ({@link OpenSearchAuth}: basic, JWT or SigV4) and which CA to trust for TLS. {@link OpenSearchEnvironment} builds it
 * from the environment; {@link OpenSearchClients} turns it into a client.
 *
 * @param caCertificate PEM file of the CA that signed the server certificate, or null for the JVM trust store
 */
public record OpenSearchEndpoint(URI url, OpenSearchAuth auth, String caCertificate)
        implements Serializable
{
    public OpenSearchEndpoint
    {
        requireNonNull(url, "url is null");
        requireNonNull(auth, "auth is null");
    }

    /** The local connection file's endpoint as its administrator. */
    public static OpenSearchEndpoint basic(OpenSearchConnection connection)
    {
        return new OpenSearchEndpoint(connection.endpoint(), new OpenSearchAuth.Basic(connection.username(), connection.password()), connection.caCertificate());
    }

    /** The same endpoint and trust as a signed-in user holding {@code token}. */
    public OpenSearchEndpoint withToken(String token)
    {
        return new OpenSearchEndpoint(url, new OpenSearchAuth.Jwt(token), caCertificate);
    }

    public Optional<Path> caCertificatePath()
    {
        return Optional.ofNullable(caCertificate).map(Path::of);
    }

    /** For messages: the URL and the mode, never a secret. */
    public String describe()
    {
        return url + " (" + auth.mode() + ")";
    }
}
