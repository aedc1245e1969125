package io.dragnet.contracts;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    /**
     * The connection file this process should use, first found of: {@code explicit} (a path or file URI, e.g. from a
     * handler's input), system property {@code dragnet.opensearch.connection}, env {@code DRAGNET_OPENSEARCH_CONNECTION},
     * else the embedded node's {@link #defaultFile} when it exists.
     */
    public static Optional<Path> locate(Map<String, String> environment, String explicit)
    {
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(explicit.startsWith("file:") ? Path.of(URI.create(explicit)) : Path.of(explicit));
        }
        String property = System.getProperty("dragnet.opensearch.connection");
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property));
        }
        Optional<String> configured = EnvironmentVariable.DRAGNET_OPENSEARCH_CONNECTION.read(environment);
        if (configured.isPresent()) {
            return configured.map(Path::of);
        }
        Path fallback = defaultFile(DragnetHome.fromEnvironment());
        return Files.isRegularFile(fallback) ? Optional.of(fallback) : Optional.empty();
    }

    /** The located connection; a file named explicitly (argument, property or env) that does not exist is a user error. */
    public static Optional<OpenSearchConnection> configured(Map<String, String> environment, String explicit)
    {
        Optional<Path> file = locate(environment, explicit);
        if (file.isPresent() && !Files.isRegularFile(file.get())) {
            throw DragnetException.user("OpenSearch connection file " + file.get() + " does not exist; expected the JSON the embedded node writes");
        }
        return file.map(path -> Json.read(path, OpenSearchConnection.class));
    }
}
