package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.ScanFields;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;

/**
 * Which source field feeds which ECS-style document field ({@link ScanFields#ECS_CANDIDATES}), as Spark columns.
 * Fields a source lacks stay null.
 */
public final class EcsMapping
{
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
        return new EcsMapping(ScanFields.ecsSourceFields(schema.keySet()), ScanFields.timeField(schema.keySet(), timeField).orElse(null));
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
