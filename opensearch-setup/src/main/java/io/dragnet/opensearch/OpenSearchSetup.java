package io.dragnet.opensearch;

import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.opensearch.client.RestResponse;
import io.dragnet.opensearch.client.RetentionSweep;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.Json;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Applies what analysts' OpenSearch needs, idempotently: an index template per topic (ECS mappings of the output
 * documents), one for NIDS verdicts and one for the run ledger, and the ISM retention policy. Each object carries
 * the SHA-256 of its desired content, so a second run finds everything {@link Action#UNCHANGED} and writes nothing.
 * The Dashboards saved objects are a committed NDJSON file ({@link #dashboardsSavedObjects()}), imported through
 * Dashboards' own import API.
 */
public final class OpenSearchSetup
{
    public static final String RETENTION_POLICY = RetentionSweep.POLICY;
    public static final String SAVED_OBJECTS_RESOURCE = "dashboards-saved-objects.ndjson";
    public static final List<String> DEFAULT_TOPICS = RetentionSweep.Scope.DEFAULT_TOPICS;

    public enum Action { CREATED, UPDATED, UNCHANGED, SKIPPED }

    public record Change(String kind, String name, Action action, String detail)
    {
        public Change
        {
            requireNonNull(kind, "kind is null");
            requireNonNull(name, "name is null");
            requireNonNull(action, "action is null");
            requireNonNull(detail, "detail is null");
        }
    }

    /**
     * @param replicas 0 on the single local node; 1 or more on a domain with several data nodes
     * @param retentionDays age after which result and verdict indices are deleted (the ledger is kept)
     */
    public record Options(List<String> topics, int replicas, int retentionDays)
    {
        public Options
        {
            topics = List.copyOf(topics);
            topics.forEach(IndexNames::checkTopic);
            if (replicas < 0 || retentionDays < 1) {
                throw new IllegalArgumentException("replicas must be >= 0 and retentionDays >= 1");
            }
        }

        public static Options local()
        {
            return new Options(DEFAULT_TOPICS, 0, RetentionSweep.Scope.DEFAULT_RETENTION_DAYS);
        }

        public RetentionSweep.Scope retention()
        {
            return new RetentionSweep.Scope(topics, retentionDays);
        }
    }

    private final OpenSearchClient client;
    private final Options options;
    private final Clock clock;

    public OpenSearchSetup(OpenSearchClient client, Options options)
    {
        this(client, options, Clock.systemUTC());
    }

    /** @param clock tells the retention sweep, where the domain lacks ISM, which indexes are past retention */
    public OpenSearchSetup(OpenSearchClient client, Options options, Clock clock)
    {
        this.client = requireNonNull(client, "client is null");
        this.options = requireNonNull(options, "options is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<Change> apply()
    {
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> template : indexTemplates(options).entrySet()) {
            changes.add(applyTemplate(template.getKey(), template.getValue()));
        }
        Change retention = applyRetentionPolicy(retentionPolicy(options));
        changes.add(retention);
        if (retention.action() == Action.SKIPPED) {
            List<String> deleted = new RetentionSweep(client, options.retention()).enforceWhereIsmMissing(clock.instant());
            changes.add(new Change("retention_sweep", RETENTION_POLICY, deleted.isEmpty() ? Action.UNCHANGED : Action.UPDATED,
                    "ISM missing: dragnet enforces " + options.retentionDays() + " days itself" + (deleted.isEmpty() ? "" : "; deleted " + deleted)));
        }
        return List.copyOf(changes);
    }

    /** Template name → body, without the content hash (pure; tested without a node). */
    public static Map<String, Map<String, Object>> indexTemplates(Options options)
    {
        Map<String, Map<String, Object>> templates = new LinkedHashMap<>();
        for (String topic : options.topics()) {
            for (String partition : IndexNames.partitions(topic)) {
                // the partition's sandbox indices hold the same documents, so they get the same mapping
                templates.put(IndexNames.topicAlias(partition), template(List.of(IndexNames.topicPattern(partition), IndexNames.sandboxPattern(partition)),
                        DocumentMappings.RESULT_FIELDS, options.replicas(), "output documents of topic " + partition + " and of its sandbox runs"));
            }
        }
        templates.put(IndexNames.VERDICTS_PREFIX, template(List.of(IndexNames.VERDICTS_PREFIX + "-*"), DocumentMappings.VERDICT_FIELDS, options.replicas(),
                "NIDS verdicts"));
        templates.put(IndexNames.RUNS_INDEX, template(List.of(IndexNames.RUNS_INDEX, IndexNames.RUNS_INDEX + "-*"), DocumentMappings.RUN_FIELDS, options.replicas(),
                "run and cost ledger"));
        return templates;
    }

    /** The ISM policy body: result and verdict indices deleted after the retention; never the ledger. */
    public static Map<String, Object> retentionPolicy(Options options)
    {
        List<String> patterns = options.retention().indexPatterns();
        return Map.of("policy", Map.of(
                "description", "dragnet: delete result and verdict indices after " + options.retentionDays() + " days",
                "default_state", "hot",
                "states", List.of(
                        Map.of("name", "hot", "actions", List.of(),
                                "transitions", List.of(Map.of("state_name", "delete", "conditions", Map.of("min_index_age", options.retentionDays() + "d")))),
                        Map.of("name", "delete", "actions", List.of(Map.of("delete", Map.of())), "transitions", List.of())),
                "ism_template", List.of(Map.of("index_patterns", patterns, "priority", 100))));
    }

    /** The committed Dashboards saved objects (index pattern per topic, saved searches, visualizations). */
    public static String dashboardsSavedObjects()
    {
        try (InputStream in = OpenSearchSetup.class.getResourceAsStream(SAVED_OBJECTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SAVED_OBJECTS_RESOURCE + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> template(List<String> patterns, Map<String, String> fields, int replicas, String description)
    {
        return Map.of(
                "index_patterns", patterns,
                "priority", 100,
                "template", Map.of(
                        "settings", Map.of("index", Map.of("number_of_shards", 1, "number_of_replicas", replicas, "refresh_interval", "5s")),
                        "mappings", DocumentMappings.mapping(fields)),
                "_meta", Map.of("managed_by", "dragnet", "description", description));
    }

    private Change applyTemplate(String name, Map<String, Object> body)
    {
        String hash = sha256(body);
        RestResponse existing = OpenSearchRest.call(client, "GET", "/_index_template/" + name, null);
        Action action = Action.CREATED;
        if (existing.ok()) {
            if (hash.equals(templateHash(existing.body()))) {
                return new Change("index_template", name, Action.UNCHANGED, "");
            }
            action = Action.UPDATED;
        }
        Map<String, Object> withHash = new LinkedHashMap<>(body);
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) body.get("_meta"));
        meta.put("content_sha256", hash);
        withHash.put("_meta", meta);
        OpenSearchRest.require(client, "PUT", "/_index_template/" + name, withHash);
        return new Change("index_template", name, action, "");
    }

    @SuppressWarnings("unchecked")
    private static String templateHash(String getResponse)
    {
        List<Map<String, Object>> templates = (List<Map<String, Object>>) OpenSearchRest.parse(getResponse).get("index_templates");
        if (templates == null || templates.isEmpty()) {
            return null;
        }
        Map<String, Object> template = (Map<String, Object>) templates.get(0).get("index_template");
        Map<String, Object> meta = (Map<String, Object>) template.get("_meta");
        return meta == null ? null : (String) meta.get("content_sha256");
    }

    @SuppressWarnings("unchecked")
    private Change applyRetentionPolicy(Map<String, Object> body)
    {
        String hash = sha256(body);
        String path = "/_plugins/_ism/policies/" + RETENTION_POLICY;
        RestResponse existing = OpenSearchRest.call(client, "GET", path, null);
        if (existing.status() == 400 && existing.body().contains("no handler found")) {
            return new Change("ism_policy", RETENTION_POLICY, Action.SKIPPED, "the index-management (ISM) plugin is not installed on this cluster");
        }
        Map<String, Object> policy = new LinkedHashMap<>((Map<String, Object>) body.get("policy"));
        policy.put("description", policy.get("description") + " [content_sha256 " + hash + "]");
        if (existing.ok()) {
            Map<String, Object> current = OpenSearchRest.parse(existing.body());
            Map<String, Object> currentPolicy = (Map<String, Object>) current.get("policy");
            if (currentPolicy != null && String.valueOf(currentPolicy.get("description")).contains(hash)) {
                return new Change("ism_policy", RETENTION_POLICY, Action.UNCHANGED, "");
            }
            OpenSearchRest.require(client, "PUT", path + "?if_seq_no=" + current.get("_seq_no") + "&if_primary_term=" + current.get("_primary_term"), Map.of("policy", policy));
            return new Change("ism_policy", RETENTION_POLICY, Action.UPDATED, "");
        }
        OpenSearchRest.require(client, "PUT", path, Map.of("policy", policy));
        return new Change("ism_policy", RETENTION_POLICY, Action.CREATED, "");
    }

    static String sha256(Object value)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Json.write(value).getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
