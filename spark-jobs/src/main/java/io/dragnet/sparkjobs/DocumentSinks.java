package io.dragnet.sparkjobs;

import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.sparkjobs.sink.DocumentSinkFactory;
import io.dragnet.sparkjobs.sink.OpenSearchDocumentSink;

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

    /** The configured connection; see {@link OpenSearchConnection#configured}. */
    public static Optional<OpenSearchConnection> connection(Map<String, String> environment, String explicit)
    {
        return OpenSearchConnection.configured(environment, explicit);
    }

    /** The OpenSearch sink of this environment, if a connection is configured. */
    public static Optional<DocumentSinkFactory> fromEnvironment()
    {
        return connection(System.getenv(), null).map(OpenSearchDocumentSink::factory);
    }
}
