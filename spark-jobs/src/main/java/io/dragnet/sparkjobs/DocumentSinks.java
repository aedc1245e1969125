package io.dragnet.sparkjobs;

import io.dragnet.anonymization.SharingKeys;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.opensearch.client.OpenSearchAuth;
import io.dragnet.opensearch.client.OpenSearchEnvironment;
import io.dragnet.sparkjobs.sink.DocumentSinkFactory;
import io.dragnet.sparkjobs.sink.OpenSearchDocumentSink;

import java.util.Optional;

/**
 * The OpenSearch sink of this process, from the one environment contract {@link OpenSearchEnvironment}. Writing to a
 * local node (a connection file, basic auth), documents get their address pseudonyms under the home's sharing key
 * ({@link SharingKeys#localFile}, created owner-only on first use), the key exports use.
 */
public final class DocumentSinks
{
    private DocumentSinks() {}

    /** The sink; empty only when OpenSearch is explicitly disabled ({@code OPENSEARCH_AUTH=disabled}). */
    public static Optional<DocumentSinkFactory> fromEnvironment()
    {
        return OpenSearchEnvironment.fromProcess().map(endpoint -> OpenSearchDocumentSink.factory(endpoint,
                endpoint.auth() instanceof OpenSearchAuth.Basic ? SharingKeys.loadOrCreate(SharingKeys.localFile(DragnetHome.fromEnvironment())) : null));
    }
}
