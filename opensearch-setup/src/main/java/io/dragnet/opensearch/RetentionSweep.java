package io.dragnet.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The retention policy enforced by dragnet itself where the cluster has no index-management (ISM) plugin — the
 * embedded node, whose plugin is not published on Maven Central. Same rule as the ISM policy of
 * {@link OpenSearchSetup#retentionPolicy}: an index of those patterns older than the retention (by creation date)
 * is deleted; the run ledger never is. Where ISM is installed this does nothing and ISM does the work.
 */
public final class RetentionSweep
{
    private final OpenSearchClient client;
    private final OpenSearchSetup.Options options;

    public RetentionSweep(OpenSearchClient client, OpenSearchSetup.Options options)
    {
        this.client = requireNonNull(client, "client is null");
        this.options = requireNonNull(options, "options is null");
    }

    /** An index and when it was created. */
    public record IndexAge(String index, Instant created)
    {
        public IndexAge
        {
            requireNonNull(index, "index is null");
            requireNonNull(created, "created is null");
        }
    }

    /** Indices older than the retention at {@code now} (pure). */
    public static List<String> expired(List<IndexAge> indices, Instant now, int retentionDays)
    {
        Instant cutoff = now.minus(Duration.ofDays(retentionDays));
        return indices.stream().filter(index -> index.created().isBefore(cutoff)).map(IndexAge::index).sorted().toList();
    }

    /** Deletes expired indices unless ISM manages retention on this cluster; returns what it deleted. */
    public List<String> enforceWhereIsmMissing(Instant now)
    {
        RestResponse ism = OpenSearchRest.call(client, "GET", "/_plugins/_ism/policies/" + OpenSearchSetup.RETENTION_POLICY, null);
        if (!(ism.status() == 400 && ism.body().contains("no handler found"))) {
            return List.of();
        }
        List<String> patterns = patterns(options);
        RestResponse listed = OpenSearchRest.call(client, "GET",
                "/_cat/indices/" + String.join(",", patterns) + "?format=json&h=index,creation.date&expand_wildcards=open", null);
        if (!listed.ok()) {
            throw new DragnetException(DragnetException.Category.EXTERNAL, "listing indices for retention failed with " + listed.status() + ": " + listed.body());
        }
        List<String> deleted = expired(parse(listed.body()), now, options.retentionDays());
        for (String index : deleted) {
            OpenSearchRest.require(client, "DELETE", "/" + index, null);
        }
        return deleted;
    }

    @SuppressWarnings("unchecked")
    static List<String> patterns(OpenSearchSetup.Options options)
    {
        Map<String, Object> policy = (Map<String, Object>) OpenSearchSetup.retentionPolicy(options).get("policy");
        List<Map<String, Object>> templates = (List<Map<String, Object>>) policy.get("ism_template");
        return (List<String>) templates.get(0).get("index_patterns");
    }

    private static List<IndexAge> parse(String body)
    {
        try {
            List<IndexAge> indices = new ArrayList<>();
            for (JsonNode row : Json.mapper().readTree(body)) {
                indices.add(new IndexAge(row.path("index").asText(), Instant.ofEpochMilli(row.path("creation.date").asLong())));
            }
            return indices;
        }
        catch (IOException e) {
            throw new DragnetException(DragnetException.Category.EXTERNAL, "unreadable _cat/indices answer: " + e.getMessage(), e);
        }
    }
}
