package io.dragnet.sparkjobs.sink;

import java.util.List;

/**
 * Where documents are indexed (OpenSearch, or memory in tests). Writes are idempotent by document id: writing the
 * same documents twice leaves one copy. One sink per Spark partition, opened from a {@link DocumentSinkFactory}.
 */
public interface DocumentSink
        extends AutoCloseable
{
    /** Creates the concrete index when it does not exist yet (mappings come from the index templates). */
    void createIndex(String index);

    void write(String index, List<IndexedDocument> documents);

    void refresh(String index);

    long count(String index);

    @Override
    void close();
}
