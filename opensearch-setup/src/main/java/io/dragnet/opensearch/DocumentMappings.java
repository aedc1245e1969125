package io.dragnet.opensearch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ECS-style mappings of what dragnet writes to OpenSearch: the output documents of every topic, the NIDS verdicts and
 * the run ledger: the one definition of the output document contract. Fields are listed flat (dotted ECS names) and
 * nested into object properties here.
 */
public final class DocumentMappings
{
    /**
     * The output document of a rule match (one per rule and source record) or of an aggregate hit (one per rule, group
     * and window: {@code window.end}, {@code aggregate.*}; each measure as {@code aggregate.measures.<name>}, a double) or
     * of a correlation hit (one per rule, group and window: {@code correlation.*}, the group values under {@code correlation.group}).
     * {@code pseudonym.source.ip} and {@code pseudonym.destination.ip} are the addresses' keyed Crypto-PAn images
     * (anonymization's {@code IndexPseudonyms}), added as documents are indexed, typed {@code ip} so prefix (CIDR)
     * queries work on them as on the addresses; {@code source.address} and {@code destination.address} hold the same
     * addresses as text, the fields an access policy masks (the plugin masks only string fields).
     */
    public static final Map<String, String> RESULT_FIELDS = fields(
            "@timestamp", "date",
            "event.dataset", "keyword",
            "event.id", "keyword",
            "rule.id", "keyword",
            "rule.uuid", "keyword",
            "rule.name", "keyword",
            "rule.severity", "keyword",
            "tags", "keyword",
            "dragnet.topic", "keyword",
            "dragnet.run_id", "keyword",
            "dragnet.first_seen", "date",
            "dragnet.last_seen", "date",
            "source.ip", "ip",
            "source.address", "keyword",
            "source.port", "long",
            "destination.ip", "ip",
            "destination.address", "keyword",
            "destination.port", "long",
            "pseudonym.source.ip", "ip",
            "pseudonym.destination.ip", "ip",
            "network.transport", "keyword",
            "network.protocol", "keyword",
            "dns.question.name", "keyword",
            "url.full", "keyword",
            "url.domain", "keyword",
            "http.request.method", "keyword",
            "http.response.status_code", "long",
            "user_agent.original", "keyword",
            "tls.server.name", "keyword",
            "tls.client.ja3", "keyword",
            "file.hash.md5", "keyword",
            "file.hash.sha1", "keyword",
            "file.hash.sha256", "keyword",
            "threat.indicator.type", "keyword",
            "threat.indicator.value", "keyword",
            "threat.indicator.provider", "keyword",
            "threat.indicator.confidence", "keyword",
            "threat.indicator.first_seen", "date",
            "asset.owner", "keyword",
            "asset.criticality", "keyword",
            "source.geo.country_iso_code", "keyword",
            "source.geo.city_name", "keyword",
            "source.geo.location", "geo_point",
            "source.as.number", "long",
            "source.as.organization.name", "keyword",
            "destination.geo.country_iso_code", "keyword",
            "destination.geo.city_name", "keyword",
            "destination.geo.location", "geo_point",
            "destination.as.number", "long",
            "destination.as.organization.name", "keyword",
            "nids.score", "double",
            "nids.predicted_malicious", "boolean",
            "nids.attack_category", "keyword",
            "window.end", "date",
            "aggregate.group", "keyword",
            "aggregate.samples", "keyword",
            "correlation.type", "keyword",
            "correlation.count", "double",
            "correlation.rules", "keyword",
            "correlation.hits", "keyword",
            "correlation.hit_count", "long",
            "correlation.truncated", "boolean");

    /** NIDS verdict records as nids-realtime emits them (VerdictColumns), plus {@code @timestamp}. */
    public static final Map<String, String> VERDICT_FIELDS = fields(
            "@timestamp", "date",
            "session_id", "keyword",
            "src_ip", "ip",
            "src_port", "long",
            "dst_ip", "ip",
            "dst_port", "long",
            "proto", "keyword",
            "service", "keyword",
            "state", "keyword",
            "start_time", "date",
            "end_time", "date",
            "score", "double",
            "predicted_malicious", "boolean",
            "attack_category", "keyword",
            "model_version", "keyword",
            "sent_at_ms", "date",
            "broker_at_ms", "date",
            "features_at_ms", "date",
            "scored_at_ms", "date",
            "dt", "keyword");

    /** The cost ledger: known keys typed, further figures mapped dynamically (strings as keywords). */
    public static final Map<String, String> RUN_FIELDS = fields(
            "@timestamp", "date",
            "run_id", "keyword",
            "date", "date",
            "source", "keyword",
            "status", "keyword",
            "records_read", "long",
            "records_matched", "long",
            "duration_millis", "long",
            "cost_usd", "double");

    private DocumentMappings() {}

    /** The {@code mappings} body: nested properties, unknown strings as keyword, epoch-millis dates accepted. */
    public static Map<String, Object> mapping(Map<String, String> fields)
    {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            Map<String, Object> level = properties;
            String[] parts = field.getKey().split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) level.computeIfAbsent(parts[i], ignored -> new LinkedHashMap<>(Map.of("properties", new LinkedHashMap<String, Object>())));
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) object.get("properties");
                level = next;
            }
            level.put(parts[parts.length - 1], fieldMapping(field.getValue()));
        }
        return Map.of(
                "dynamic", true,
                "dynamic_templates", List.of(
                        Map.of("measures_as_double", Map.of(
                                "path_match", "aggregate.measures.*",
                                "mapping", Map.of("type", "double"))),
                        Map.of("strings_as_keyword", Map.of(
                                "match_mapping_type", "string",
                                "mapping", Map.of("type", "keyword", "ignore_above", 1024)))),
                "properties", properties);
    }

    private static Map<String, Object> fieldMapping(String type)
    {
        return switch (type) {
            case "date" -> Map.of("type", "date", "format", "strict_date_optional_time||epoch_millis");
            case "keyword" -> Map.of("type", "keyword", "ignore_above", 8191);
            default -> Map.of("type", type);
        };
    }

    private static Map<String, String> fields(String... nameThenType)
    {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameThenType.length; i += 2) {
            fields.put(nameThenType[i], nameThenType[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(fields);
    }
}
