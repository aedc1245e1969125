package io.dragnet.opensearch.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.Json;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The retention policy enforced by dragnet itself where the cluster has no index-management (ISM) plugin — the
 * embedded node, whose plugin is not published on Maven Central. Same rule as the ISM policy {@link #POLICY} that
 * opensearch-setup installs where ISM exists: an index of the {@link Scope}'s patterns older than the retention (by
 * creation date) is deleted; the run ledger never is. Where ISM is installed this does nothing and ISM does the work.
 */
public final class RetentionSweep
{
    /** Name of the ISM policy carrying the same rule. */
    public static final String POLICY = "dragnet-retention";

    private final OpenSearchClient client;
    private final Scope scope;

    public RetentionSweep(OpenSearchClient client, Scope scope)
    {
        this.client = requireNonNull(client, "client is null");
        this.scope = requireNonNull(scope, "scope is null");
    }

    /**
     * Which indices retention covers and for how long.
     *
     * @param retentionDays age after which result and verdict indices are deleted (the ledger is kept)
     */
    public record Scope(List<String> topics, int retentionDays)
    {
        public static final List<String> DEFAULT_TOPICS = List.of("c2", "dns", "web", "nids");
        public static final int DEFAULT_RETENTION_DAYS = 90;

        public Scope
        {
            topics = List.copyOf(topics);
            topics.forEach(IndexNames::checkTopic);
            if (retentionDays < 1) {
                throw new IllegalArgumentException("retentionDays must be >= 1");
            }
        }

        public static Scope defaults()
        {
            return new Scope(DEFAULT_TOPICS, DEFAULT_RETENTION_DAYS);
        }

        /** Every topic's indices (with its restricted partition and their sandbox indices) and the verdict indices; never the ledger. */
        public List<String> indexPatterns()
        {
            List<String> patterns = new ArrayList<>();
            topics.forEach(topic -> IndexNames.partitions(topic).forEach(partition -> {
                patterns.add(IndexNames.topicPattern(partition));
                patterns.add(IndexNames.sandboxPattern(partition));
            }));
            patterns.add(IndexNames.VERDICTS_PREFIX + "-*");
            return List.copyOf(patterns);
        }
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
        RestResponse ism = OpenSearchRest.call(client, "GET", "/_plugins/_ism/policies/" + POLICY, null);
        if (!(ism.status() == 400 && ism.body().contains("no handler found"))) {
            return List.of();
        }
        RestResponse listed = OpenSearchRest.call(client, "GET",
                "/_cat/indices/" + String.join(",", scope.indexPatterns()) + "?format=json&h=index,creation.date&expand_wildcards=open", null);
        if (!listed.ok()) {
            throw new DragnetException(DragnetException.Category.EXTERNAL, "listing indices for retention failed with " + listed.status() + ": " + listed.body());
        }
        List<String> deleted = expired(parse(listed.body()), now, scope.retentionDays());
        for (String index : deleted) {
            OpenSearchRest.require(client, "DELETE", "/" + index, null);
        }
        return deleted;
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
