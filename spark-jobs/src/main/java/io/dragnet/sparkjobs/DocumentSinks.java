package io.dragnet.sparkjobs;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.sparkjobs.sink.DocumentSinkFactory;
import io.dragnet.sparkjobs.sink.OpenSearchDocumentSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the OpenSearch connection of this environment: system property {@code dragnet.opensearch.connection} or env
 * {@code DRAGNET_OPENSEARCH_CONNECTION} (path of a connection JSON), else the embedded node's
 * {@link OpenSearchConnection#defaultFile} under DragnetHome.
 */
public final class DocumentSinks
{
    private DocumentSinks() {}

    public static Optional<Path> connectionFile(Map<String, String> environment, String explicit)
    {
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit.startsWith("file:") ? java.net.URI.create(explicit).getPath() : explicit));
        }
        String property = System.getProperty("dragnet.opensearch.connection");
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property));
        }
        String configured = environment.get("DRAGNET_OPENSEARCH_CONNECTION");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        Path fallback = OpenSearchConnection.defaultFile(DragnetHome.fromEnvironment());
        return Files.isRegularFile(fallback) ? Optional.of(fallback) : Optional.empty();
    }

    /** The configured connection; a file named explicitly (argument, property or env) that does not exist is a user error. */
    public static Optional<OpenSearchConnection> connection(Map<String, String> environment, String explicit)
    {
        Optional<Path> file = connectionFile(environment, explicit);
        if (file.isPresent() && !Files.isRegularFile(file.get())) {
            throw DragnetException.user("OpenSearch connection file " + file.get() + " does not exist; expected the JSON the embedded node writes (OpenSearchConnection)");
        }
        return file.map(path -> Json.read(path, OpenSearchConnection.class));
    }

    /** The OpenSearch sink of this environment, if a connection is configured. */
    public static Optional<DocumentSinkFactory> fromEnvironment()
    {
        return connection(System.getenv(), null).map(OpenSearchDocumentSink::factory);
    }
}
