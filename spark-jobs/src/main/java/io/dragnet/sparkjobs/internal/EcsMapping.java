package io.dragnet.sparkjobs.internal;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;

/**
 * Which source field feeds which ECS-style document field, found by the source's own field names (Zeek's
 * {@code id.orig_h}, the verdicts' {@code src_ip}, common generic names). Fields a source lacks stay null.
 */
public final class EcsMapping
{
    private static final Map<String, List<String>> CANDIDATES = new LinkedHashMap<>();

    static {
        CANDIDATES.put("event.id", List.of("uid", "session_id", "event_id", "id"));
        CANDIDATES.put("source.ip", List.of("id.orig_h", "src_ip", "source_ip", "src"));
        CANDIDATES.put("source.port", List.of("id.orig_p", "src_port", "source_port", "sport"));
        CANDIDATES.put("destination.ip", List.of("id.resp_h", "dst_ip", "destination_ip", "dst"));
        CANDIDATES.put("destination.port", List.of("id.resp_p", "dst_port", "destination_port", "dport"));
        CANDIDATES.put("network.transport", List.of("proto", "transport", "protocol"));
        CANDIDATES.put("network.protocol", List.of("service", "app_protocol"));
        CANDIDATES.put("dns.question.name", List.of("query", "dns_query", "qname"));
        CANDIDATES.put("url.domain", List.of("host", "domain", "url_domain"));
        CANDIDATES.put("http.request.method", List.of("method", "http_method"));
        CANDIDATES.put("http.response.status_code", List.of("status_code", "http_status"));
        CANDIDATES.put("user_agent.original", List.of("user_agent", "useragent"));
        CANDIDATES.put("tls.server.name", List.of("server_name", "sni"));
        CANDIDATES.put("tls.client.ja3", List.of("ja3"));
        CANDIDATES.put("file.hash.md5", List.of("md5"));
        CANDIDATES.put("file.hash.sha1", List.of("sha1"));
        CANDIDATES.put("file.hash.sha256", List.of("sha256"));
        CANDIDATES.put("nids.score", List.of("score"));
        CANDIDATES.put("nids.predicted_malicious", List.of("predicted_malicious"));
        CANDIDATES.put("nids.attack_category", List.of("attack_category"));
    }

    /** ECS fields filled from source fields, with their document types. */
    public static final Map<String, DataType> MAPPED_TYPES = Map.ofEntries(
            Map.entry("event.id", DataTypes.StringType),
            Map.entry("source.ip", DataTypes.StringType),
            Map.entry("source.port", DataTypes.LongType),
            Map.entry("destination.ip", DataTypes.StringType),
            Map.entry("destination.port", DataTypes.LongType),
            Map.entry("network.transport", DataTypes.StringType),
            Map.entry("network.protocol", DataTypes.StringType),
            Map.entry("dns.question.name", DataTypes.StringType),
            Map.entry("url.domain", DataTypes.StringType),
            Map.entry("http.request.method", DataTypes.StringType),
            Map.entry("http.response.status_code", DataTypes.LongType),
            Map.entry("user_agent.original", DataTypes.StringType),
            Map.entry("tls.server.name", DataTypes.StringType),
            Map.entry("tls.client.ja3", DataTypes.StringType),
            Map.entry("file.hash.md5", DataTypes.StringType),
            Map.entry("file.hash.sha1", DataTypes.StringType),
            Map.entry("file.hash.sha256", DataTypes.StringType),
            Map.entry("nids.score", DataTypes.DoubleType),
            Map.entry("nids.predicted_malicious", DataTypes.BooleanType),
            Map.entry("nids.attack_category", DataTypes.StringType));

    private final Map<String, String> sourceFieldByEcs;
    private final String timeField;

    private EcsMapping(Map<String, String> sourceFieldByEcs, String timeField)
    {
        this.sourceFieldByEcs = Map.copyOf(sourceFieldByEcs);
        this.timeField = timeField;
    }

    /** @param timeField the spec's time field, or null to look for ts/start_time/@timestamp/timestamp */
    public static EcsMapping of(Map<String, FieldType> schema, String timeField)
    {
        requireNonNull(schema, "schema is null");
        Map<String, String> mapping = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : CANDIDATES.entrySet()) {
            entry.getValue().stream().filter(schema::containsKey).findFirst().ifPresent(field -> mapping.put(entry.getKey(), field));
        }
        String time = timeField != null && schema.containsKey(timeField)
                ? timeField
                : List.of("ts", "start_time", "@timestamp", "timestamp").stream().filter(schema::containsKey).findFirst().orElse(null);
        return new EcsMapping(mapping, time);
    }

    public Optional<String> sourceField(String ecsField)
    {
        return Optional.ofNullable(sourceFieldByEcs.get(ecsField));
    }

    public Optional<String> timeField()
    {
        return Optional.ofNullable(timeField);
    }

    /** The document value of an ECS field, cast to its document type; null literal when the source lacks it. */
    public Column column(String ecsField)
    {
        DataType type = MAPPED_TYPES.get(ecsField);
        String field = sourceFieldByEcs.get(ecsField);
        if (field == null) {
            return lit(null).cast(type);
        }
        Column column = Columns.field(field).cast(type);
        return ecsField.equals("network.transport") ? lower(column) : column;
    }

    public Column timestamp()
    {
        return timeField == null ? lit(null).cast(DataTypes.TimestampType) : Columns.field(timeField).cast(DataTypes.TimestampType);
    }

    /** http://host/uri for HTTP logs (Zeek http.log has host and uri), else a source field named url. */
    public Column urlFull(Map<String, FieldType> schema)
    {
        if (schema.containsKey("url")) {
            return Columns.field("url").cast(DataTypes.StringType);
        }
        if (schema.containsKey("host") && schema.containsKey("uri")) {
            return concat(lit("http://"), Columns.field("host"), Columns.field("uri"));
        }
        return lit(null).cast(DataTypes.StringType);
    }
}
