package io.dragnet.sparkjobs.sink;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dragnet.anonymization.IndexPseudonyms;
import io.dragnet.anonymization.SharingKeys;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.OpenSearchEndpoint;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Bulk-indexes documents with the opensearch-java client (the opensearch-spark connector does not exist for Spark 3.5 /
 * Scala 2.12). Index operations carry the document id, so a re-run overwrites instead of duplicating. With a sharing
 * key, each document gets its addresses' pseudonyms ({@link IndexPseudonyms}) as it is indexed, so groups whose
 * access policy masks or hides the addresses can search by pseudonym.
 */
public final class OpenSearchDocumentSink
        implements DocumentSink
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final OpenSearchClient client;
    private final IndexPseudonyms pseudonyms;

    public OpenSearchDocumentSink(OpenSearchClient client)
    {
        this(client, null);
    }

    /** @param pseudonyms adds the address pseudonyms to every document, or null to index documents as they are */
    public OpenSearchDocumentSink(OpenSearchClient client, IndexPseudonyms pseudonyms)
    {
        this.client = requireNonNull(client, "client is null");
        this.pseudonyms = pseudonyms;
    }

    /** A serializable factory: the endpoint travels with the task and each partition builds its own client. */
    public static DocumentSinkFactory factory(OpenSearchEndpoint endpoint)
    {
        return factory(endpoint, null);
    }

    /** As {@link #factory(OpenSearchEndpoint)}, adding pseudonyms under {@code keys} when not null. */
    public static DocumentSinkFactory factory(OpenSearchEndpoint endpoint, SharingKeys keys)
    {
        requireNonNull(endpoint, "endpoint is null");
        return () -> new OpenSearchDocumentSink(OpenSearchClients.create(endpoint), keys == null ? null : new IndexPseudonyms(keys));
    }

    /** A factory writing as the local connection file's administrator. */
    public static DocumentSinkFactory factory(OpenSearchConnection connection)
    {
        return factory(OpenSearchEndpoint.basic(connection));
    }

    @Override
    public void createIndex(String index)
    {
        try {
            if (!client.indices().exists(request -> request.index(index)).value()) {
                client.indices().create(request -> request.index(index));
            }
        }
        catch (IOException | RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().contains("resource_already_exists_exception")) {
                return;
            }
            throw DragnetException.external("cannot create OpenSearch index " + index, e);
        }
    }

    @Override
    public void write(String index, List<IndexedDocument> documents)
    {
        if (documents.isEmpty()) {
            return;
        }
        BulkRequest.Builder bulk = new BulkRequest.Builder();
        for (IndexedDocument document : documents) {
            Map<String, Object> source = parse(document.json());
            if (pseudonyms != null) {
                pseudonyms.addTo(source);
            }
            bulk.operations(operation -> operation.index(request -> request.index(index).id(document.id()).document(source)));
        }
        try {
            BulkResponse response = client.bulk(bulk.build());
            if (response.errors()) {
                for (BulkResponseItem item : response.items()) {
                    if (item.error() != null) {
                        throw DragnetException.external("bulk indexing into " + index + " failed for document " + item.id() + ": " + item.error().type() + ": " + item.error().reason(), null);
                    }
                }
            }
        }
        catch (IOException e) {
            throw DragnetException.external("bulk indexing into " + index + " failed", e);
        }
    }

    @Override
    public void refresh(String index)
    {
        try {
            client.indices().refresh(request -> request.index(index));
        }
        catch (IOException e) {
            throw DragnetException.external("cannot refresh " + index, e);
        }
    }

    @Override
    public long count(String index)
    {
        try {
            return client.count(request -> request.index(index)).count();
        }
        catch (IOException e) {
            throw DragnetException.external("cannot count " + index, e);
        }
    }

    @Override
    public void close()
    {
        try {
            client._transport().close();
        }
        catch (IOException e) {
            throw DragnetException.external("cannot close OpenSearch client", e);
        }
    }

    private static Map<String, Object> parse(String json)
    {
        try {
            return MAPPER.readValue(json, MAP);
        }
        catch (IOException e) {
            throw new IllegalArgumentException("document is not JSON: " + e.getMessage(), e);
        }
    }
}
