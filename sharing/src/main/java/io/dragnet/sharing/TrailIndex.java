package io.dragnet.sharing;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.Json;
import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.opensearch.client.RestResponse;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Mirrors the export trail into {@link IndexNames#EXPORT_TRAIL_INDEX}, which no access-policy group can read, so admins
 * search exports in Dashboards. The trail's store is the record of truth: every mirror sends all of its entries under
 * their trail keys, so an entry a failed mirror missed arrives with the next one and none is ever doubled.
 */
public final class TrailIndex
{
    private static final Map<String, Object> MAPPINGS = Map.of("dynamic", "strict", "properties", properties());

    private final OpenSearchClient client;

    public TrailIndex(OpenSearchClient client)
    {
        this.client = requireNonNull(client, "client is null");
    }

    private static Map<String, Object> properties()
    {
        Map<String, Object> keyword = Map.of("type", "keyword");
        Map<String, Object> count = Map.of("type", "long");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("time", Map.of("type", "date"));
        for (String field : List.of("operator", "recipient", "format", "policyVersion", "topics", "file", "sha256")) {
            properties.put(field, keyword);
        }
        properties.put("from", Map.of("type", "date", "format", "strict_date"));
        properties.put("to", Map.of("type", "date", "format", "strict_date"));
        properties.put("rowsRead", count);
        properties.put("rowsExported", count);
        properties.put("rowsWithheld", Map.of("type", "flat_object"));
        return properties;
    }

    /** Sends every entry of the trail; returns how many the index holds afterwards. */
    public int mirror(ExportTrail trail)
    {
        List<RecordFolder.Stored<ExportTrail.Entry>> entries = trail.stored();
        ensureIndex();
        if (!entries.isEmpty()) {
            StringBuilder bulk = new StringBuilder();
            for (RecordFolder.Stored<ExportTrail.Entry> entry : entries) {
                bulk.append(Json.writeCompact(Map.of("index", Map.of("_index", IndexNames.EXPORT_TRAIL_INDEX, "_id", entry.key())))).append('\n')
                        .append(Json.writeCompact(entry.record())).append('\n');
            }
            Map<String, Object> answer = OpenSearchRest.parse(OpenSearchRest.require(client, "POST", "/_bulk?refresh=wait_for", bulk.toString()));
            if (Boolean.TRUE.equals(answer.get("errors"))) {
                throw DragnetException.external("the export trail index refused entries: " + firstError(answer), null);
            }
        }
        Map<String, Object> count = OpenSearchRest.parse(OpenSearchRest.require(client, "GET", "/" + IndexNames.EXPORT_TRAIL_INDEX + "/_count", null));
        return ((Number) count.get("count")).intValue();
    }

    private void ensureIndex()
    {
        RestResponse exists = OpenSearchRest.call(client, "HEAD", "/" + IndexNames.EXPORT_TRAIL_INDEX, null);
        if (exists.status() == 200) {
            return;
        }
        RestResponse created = OpenSearchRest.call(client, "PUT", "/" + IndexNames.EXPORT_TRAIL_INDEX,
                Map.of("settings", Map.of("index", Map.of("number_of_shards", 1, "auto_expand_replicas", "0-1")), "mappings", MAPPINGS));
        if (!created.ok() && !created.body().contains("resource_already_exists_exception")) {
            throw DragnetException.external("cannot create the export trail index: HTTP " + created.status() + ": " + created.body(), null);
        }
    }

    @SuppressWarnings("unchecked")
    private static String firstError(Map<String, Object> answer)
    {
        for (Object item : (List<Object>) answer.get("items")) {
            Map<String, Object> result = (Map<String, Object>) ((Map<String, Object>) item).values().iterator().next();
            if (result.get("error") != null) {
                return String.valueOf(result.get("error"));
            }
        }
        return "(no error reported)";
    }
}
