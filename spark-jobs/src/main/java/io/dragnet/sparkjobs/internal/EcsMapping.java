package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.EcsFields;
import io.dragnet.contracts.JobSpec;
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
 * Which source field feeds which ECS-style document field, by the source's declared mapping ({@link EcsFields}), as
 * Spark columns. Fields the mapping does not name, or the day lacks, stay null.
 */
public final class EcsMapping
{
    private final Map<String, String> sourceFieldByEcs;
    private final String timeField;

    private EcsMapping(Map<String, String> sourceFieldByEcs, String timeField)
    {
        this.sourceFieldByEcs = Map.copyOf(sourceFieldByEcs);
        this.timeField = timeField;
    }

    /** @param schema the fields the day's records have */
    public static EcsMapping of(JobSpec.SourceSpec source, Map<String, FieldType> schema)
    {
        requireNonNull(source, "source is null");
        requireNonNull(schema, "schema is null");
        return new EcsMapping(EcsFields.sourceFields(source, schema.keySet()), EcsFields.timeField(source, schema.keySet()).orElse(null));
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
        DataType type = FieldType.of(EcsFields.DOCUMENT_TYPES.get(ecsField)).sparkType();
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

    /** The mapped url.full, else http://{url.domain}{url.original} when both are mapped (Zeek http.log's host and uri). */
    public Column urlFull()
    {
        if (sourceFieldByEcs.containsKey("url.full")) {
            return column("url.full");
        }
        if (EcsFields.URL_PARTS.stream().allMatch(sourceFieldByEcs::containsKey)) {
            return concat(lit("http://"), Columns.field(sourceFieldByEcs.get("url.domain")), Columns.field(sourceFieldByEcs.get("url.original")));
        }
        return lit(null).cast(DataTypes.StringType);
    }
}
