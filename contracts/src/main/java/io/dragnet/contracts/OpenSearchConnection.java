package io.dragnet.contracts;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How to reach an OpenSearch cluster as its administrator. The embedded node writes one to
 * {@code <home>/engines/opensearch/connection.json} when it starts; on AWS it comes from configuration.
 *
 * @param caCertificate PEM file of the CA that signed the node certificate, or null to use the JVM trust store
 */
public record OpenSearchConnection(URI endpoint, String username, String password, String caCertificate)
{
    public OpenSearchConnection
    {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
    }

    public Optional<Path> caCertificatePath()
    {
        return Optional.ofNullable(caCertificate).map(Path::of);
    }

    public static Path defaultFile(DragnetHome home)
    {
        return home.engine("opensearch").resolve("connection.json");
    }
}
