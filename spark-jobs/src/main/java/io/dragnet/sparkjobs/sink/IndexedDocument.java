package io.dragnet.sparkjobs.sink;

import static java.util.Objects.requireNonNull;

/** A document ready for indexing: its deterministic id and its JSON source. */
public record IndexedDocument(String id, String json)
{
    public IndexedDocument
    {
        requireNonNull(id, "id is null");
        requireNonNull(json, "json is null");
    }
}
