package io.dragnet.sparkjobs;

import io.dragnet.opensearch.client.OpenSearchEnvironment;
import io.dragnet.sparkjobs.sink.DocumentSinkFactory;
import io.dragnet.sparkjobs.sink.OpenSearchDocumentSink;

import java.util.Optional;

/** The OpenSearch sink of this process, from the one environment contract {@link OpenSearchEnvironment}. */
public final class DocumentSinks
{
    private DocumentSinks() {}

    /** The sink; empty only when OpenSearch is explicitly disabled ({@code OPENSEARCH_AUTH=disabled}). */
    public static Optional<DocumentSinkFactory> fromEnvironment()
    {
        return OpenSearchEnvironment.fromProcess().map(OpenSearchDocumentSink::factory);
    }
}
