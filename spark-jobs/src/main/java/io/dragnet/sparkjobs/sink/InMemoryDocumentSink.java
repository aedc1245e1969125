package io.dragnet.sparkjobs.sink;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static java.util.Objects.requireNonNull;

/**
 * A sink that keeps documents in memory, per named store, so tests can read what a local-mode Spark job wrote from
 * its executor threads (same JVM). Like OpenSearch, a second write of an id replaces the first.
 */
public final class InMemoryDocumentSink
        implements DocumentSink
{
    private static final ConcurrentMap<String, ConcurrentMap<String, ConcurrentMap<String, String>>> STORES = new ConcurrentHashMap<>();

    private final String store;

    private InMemoryDocumentSink(String store)
    {
        this.store = requireNonNull(store, "store is null");
    }

    public static DocumentSinkFactory factory(String store)
    {
        return () -> new InMemoryDocumentSink(store);
    }

    /** index → (id → JSON) of a store. */
    public static Map<String, Map<String, String>> contents(String store)
    {
        Map<String, ConcurrentMap<String, String>> indexes = STORES.getOrDefault(store, new ConcurrentHashMap<>());
        return indexes.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, entry -> Map.copyOf(entry.getValue())));
    }

    public static void clear(String store)
    {
        STORES.remove(store);
    }

    private ConcurrentMap<String, ConcurrentMap<String, String>> indexes()
    {
        return STORES.computeIfAbsent(store, ignored -> new ConcurrentHashMap<>());
    }

    @Override
    public void createIndex(String index)
    {
        indexes().computeIfAbsent(index, ignored -> new ConcurrentHashMap<>());
    }

    @Override
    public void write(String index, List<IndexedDocument> documents)
    {
        ConcurrentMap<String, String> target = indexes().get(index);
        if (target == null) {
            throw new IllegalStateException("index " + index + " does not exist");
        }
        for (IndexedDocument document : documents) {
            target.put(document.id(), document.json());
        }
    }

    @Override
    public void refresh(String index) {}

    @Override
    public long count(String index)
    {
        ConcurrentMap<String, String> target = indexes().get(index);
        return target == null ? 0 : target.size();
    }

    @Override
    public void close() {}
}
