package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.EcsFields;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.VerdictColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * Turns matched source rows (with rule ids, indicator and enrichment columns) into one document per (rule, record)
 * with the ECS-style fields of the output document contract (opensearch-setup's {@code DocumentMappings}). The
 * {@code _id} is the hex SHA-256 of rule id, source and the record's canonical JSON over the fields the scan read (on an
 * imported day, the fields the job's rules need; for verdicts: of its session id), so a re-run of the same day with the
 * same rules, or a re-scored session, produces the same ids. Enrichment fields are filled only for
 * rules that name the enrichment, except {@code asset.criticality} (lower-cased, trimmed), which access rules depend on.
 */
public final class Documents
{
    public static final String ID = "_id";
    public static final String ENTITY = "dragnet.entity";
    public static final String TIMESTAMP = "@timestamp";
    public static final String RULE_ID = "rule.id";

    public static final String ASSET_COLUMN = "_asset";
    public static final String SOURCE_GEO_COLUMN = "_src_geo";
    public static final String DESTINATION_GEO_COLUMN = "_dst_geo";
    public static final String SOURCE_AS_COLUMN = "_src_as";
    public static final String DESTINATION_AS_COLUMN = "_dst_as";
    public static final String NIDS_COLUMN = "_nids";

    public static final StructType NIDS = new StructType(new StructField[] {
            DataTypes.createStructField("score", DataTypes.DoubleType, true),
            DataTypes.createStructField("predicted_malicious", DataTypes.BooleanType, true),
            DataTypes.createStructField("attack_category", DataTypes.StringType, true),
    });

    /** JSON options that make a row's canonical text independent of the session time zone. */
    public static final Map<String, String> JSON_OPTIONS = Map.of("timeZone", "UTC", "timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    /** The document columns, in order. */
    public static final List<String> COLUMNS = List.of(
            ID, TIMESTAMP, "event.dataset", "event.id", "event.original",
            RULE_ID, "rule.uuid", "rule.name", "rule.severity", "tags", "dragnet.topic", "dragnet.run_id",
            "source.ip", "source.port", "destination.ip", "destination.port", "network.transport", "network.protocol",
            "dns.question.name", "url.full", "url.domain", "http.request.method", "http.response.status_code",
            "user_agent.original", "tls.server.name", "tls.client.ja3", "file.hash.md5", "file.hash.sha1", "file.hash.sha256",
            "threat.indicator.type", "threat.indicator.value", "threat.indicator.provider", "threat.indicator.confidence", "threat.indicator.first_seen",
            "asset.owner", "asset.criticality",
            "source.geo.country_iso_code", "source.geo.city_name", "source.geo.location", "source.as.number", "source.as.organization.name",
            "destination.geo.country_iso_code", "destination.geo.city_name", "destination.geo.location", "destination.as.number", "destination.as.organization.name",
            "nids.score", "nids.predicted_malicious", "nids.attack_category",
            ENTITY, "dragnet.first_seen", "dragnet.last_seen");

    private static final StructType RULES = new StructType(new StructField[] {
            DataTypes.createStructField("_rule_id", DataTypes.StringType, false),
            DataTypes.createStructField("_rule_uuid", DataTypes.StringType, true),
            DataTypes.createStructField("_rule_name", DataTypes.StringType, true),
            DataTypes.createStructField("_rule_severity", DataTypes.StringType, true),
            DataTypes.createStructField("_rule_tags", DataTypes.createArrayType(DataTypes.StringType), false),
            DataTypes.createStructField("_rule_topic", DataTypes.StringType, false),
            DataTypes.createStructField("_rule_enrich", DataTypes.createArrayType(DataTypes.StringType), false),
    });

    private Documents() {}

    /**
     * What makes two rows the same record: a verdict is its session (a re-scored session has another score and scoring
     * time, but must update its document, not add one); any other record is its whole content.
     */
    private static Column recordKey(Map<String, FieldType> schema, List<Column> sourceFields)
    {
        if (VerdictColumns.isVerdictSource(schema.keySet())) {
            return to_json(struct(VerdictColumns.IDENTITY.stream().map(Columns::field).toArray(Column[]::new)), JSON_OPTIONS);
        }
        return to_json(struct(sourceFields.toArray(Column[]::new)), JSON_OPTIONS);
    }

    /**
     * @param matched rows with source fields, {@link ScanColumns#RULES}, indicator columns and the optional enrichment columns
     * @param iocColumnsByRule rule id → the indicator columns its predicate refers to
     * @param history entity → (first, last) time seen on earlier days, or null when no rule asks for first_last_seen
     */
    public static Dataset<Row> build(
            SparkSession spark,
            Dataset<Row> matched,
            JobSpec spec,
            Map<String, FieldType> schema,
            Map<String, List<String>> iocColumnsByRule,
            Dataset<Row> history)
    {
        EcsMapping mapping = EcsMapping.of(spec.source(), schema);
        String source = spec.source().name();
        Dataset<Row> rows = withMissing(matched);
        List<Column> sourceFields = schema.keySet().stream().map(Columns::field).toList();
        rows = rows.withColumn("_record_key", recordKey(schema, sourceFields))
                .withColumn("_rule", explode(col(ScanColumns.RULES)));
        rows = rows.join(broadcast(rules(spark, spec.rules())), col("_rule").equalTo(col("_rule_id")), "inner");

        Column indicator = indicator(iocColumnsByRule);
        Column iocMetadata = enriched("ioc_metadata");
        List<Column> columns = new ArrayList<>();
        columns.add(sha2(concat_ws("\u001f", col("_rule"), lit(source), col("_record_key")), 256).as(ID));
        columns.add(mapping.timestamp().as(TIMESTAMP));
        columns.add(lit(spec.source().dataset()).as("event.dataset"));
        columns.add(original(spec.rules(), schema).as("event.original"));
        columns.add(col("_rule").as(RULE_ID));
        columns.add(col("_rule_uuid").as("rule.uuid"));
        columns.add(col("_rule_name").as("rule.name"));
        columns.add(col("_rule_severity").as("rule.severity"));
        columns.add(col("_rule_tags").as("tags"));
        columns.add(col("_rule_topic").as("dragnet.topic"));
        columns.add(lit(spec.runId()).as("dragnet.run_id"));
        for (String field : EcsFields.DOCUMENT_TYPES.keySet()) {
            if (field.equals("url.full")) {
                columns.add(mapping.urlFull().as(field));
            }
            else if (!field.startsWith("nids.")) { // nids.* fall back to the verdict enrichment below
                columns.add(mapping.column(field).as(field));
            }
        }
        columns.add(indicator.getField("kind").as("threat.indicator.type"));
        columns.add(indicator.getField("value").as("threat.indicator.value"));
        columns.add(when(iocMetadata, indicator.getField("feed")).as("threat.indicator.provider"));
        columns.add(when(iocMetadata, indicator.getField("confidence")).as("threat.indicator.confidence"));
        columns.add(when(iocMetadata, indicator.getField("first_seen")).as("threat.indicator.first_seen"));
        Column assets = enriched("asset_owner");
        columns.add(when(assets, col(ASSET_COLUMN).getField("owner")).as("asset.owner"));
        // Criticality decides who may read a document: present whenever the inventory knows the asset, normalized.
        columns.add(assetCriticality().as("asset.criticality"));
        Column geo = enriched("geo");
        for (String side : List.of("source", "destination")) {
            String geoColumn = side.equals("source") ? SOURCE_GEO_COLUMN : DESTINATION_GEO_COLUMN;
            String asColumn = side.equals("source") ? SOURCE_AS_COLUMN : DESTINATION_AS_COLUMN;
            columns.add(when(geo, col(geoColumn).getField("country_iso_code")).as(side + ".geo.country_iso_code"));
            columns.add(when(geo, col(geoColumn).getField("city_name")).as(side + ".geo.city_name"));
            columns.add(when(geo, col(geoColumn).getField("location")).as(side + ".geo.location"));
            columns.add(when(geo, col(asColumn).getField("number")).as(side + ".as.number"));
            columns.add(when(geo, col(asColumn).getField("organization")).as(side + ".as.organization.name"));
        }
        Column verdicts = enriched("nids_verdict");
        columns.add(coalesce(mapping.column("nids.score"), when(verdicts, col(NIDS_COLUMN).getField("score"))).as("nids.score"));
        columns.add(coalesce(mapping.column("nids.predicted_malicious"), when(verdicts, col(NIDS_COLUMN).getField("predicted_malicious"))).as("nids.predicted_malicious"));
        columns.add(coalesce(mapping.column("nids.attack_category"), when(verdicts, col(NIDS_COLUMN).getField("attack_category"))).as("nids.attack_category"));
        columns.add(col("_rule_enrich"));
        Dataset<Row> documents = rows.select(columns.toArray(Column[]::new));
        documents = documents.withColumn(ENTITY, entity());

        if (history != null) {
            documents = documents.join(history, Columns.field(ENTITY).equalTo(col("_history_entity")), "left_outer");
            Column wanted = array_contains(col("_rule_enrich"), "first_last_seen");
            documents = documents.withColumn("dragnet.first_seen", when(wanted, col("_history_first")))
                    .withColumn("dragnet.last_seen", when(wanted, col("_history_last")));
        }
        else {
            documents = documents.withColumn("dragnet.first_seen", lit(null).cast(DataTypes.TimestampType))
                    .withColumn("dragnet.last_seen", lit(null).cast(DataTypes.TimestampType));
        }
        return documents.select(COLUMNS.stream().map(Columns::field).toArray(Column[]::new));
    }

    /** The criticality of the looked-up asset ({@link #ASSET_COLUMN}), normalized as access rules compare it. */
    public static Column assetCriticality()
    {
        return lower(trim(col(ASSET_COLUMN).getField("criticality")));
    }

    /** The entity a document is about, for first/last seen and summary top lists: the indicator, else the name or address contacted. */
    public static Column entity()
    {
        return coalesce(Columns.field("threat.indicator.value"), Columns.field("dns.question.name"), Columns.field("tls.server.name"),
                Columns.field("url.domain"), Columns.field("destination.ip"));
    }

    /** Entity → first/last @timestamp over earlier days' documents; columns _history_entity, _history_first, _history_last. */
    public static Dataset<Row> history(Dataset<Row> earlierDocuments)
    {
        return earlierDocuments.where(Columns.field(ENTITY).isNotNull())
                .groupBy(Columns.field(ENTITY).as("_history_entity"))
                .agg(min(Columns.field(TIMESTAMP)).as("_history_first"), max(Columns.field(TIMESTAMP)).as("_history_last"));
    }

    private static Column enriched(String name)
    {
        return array_contains(col("_rule_enrich"), name);
    }

    private static Column indicator(Map<String, List<String>> iocColumnsByRule)
    {
        Column result = null;
        for (Map.Entry<String, List<String>> entry : iocColumnsByRule.entrySet()) {
            if (entry.getValue().isEmpty()) {
                continue;
            }
            Column columns = entry.getValue().size() == 1
                    ? col(entry.getValue().get(0))
                    : coalesce(entry.getValue().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
            result = result == null ? when(col("_rule").equalTo(lit(entry.getKey())), columns) : result.when(col("_rule").equalTo(lit(entry.getKey())), columns);
        }
        return result == null ? lit(null).cast(IocJoins.INDICATOR) : result;
    }

    private static Column original(List<JobSpec.RuleSpec> rules, Map<String, FieldType> schema)
    {
        Column all = to_json(struct(schema.keySet().stream().map(Columns::field).toArray(Column[]::new)), JSON_OPTIONS);
        Column result = null;
        for (JobSpec.RuleSpec rule : rules) {
            List<String> kept = rule.outputFields().stream().filter(schema::containsKey).toList();
            if (kept.isEmpty()) {
                continue;
            }
            Column selected = to_json(struct(kept.stream().map(Columns::field).toArray(Column[]::new)), JSON_OPTIONS);
            result = result == null ? when(col("_rule").equalTo(lit(rule.id())), selected) : result.when(col("_rule").equalTo(lit(rule.id())), selected);
        }
        return result == null ? all : result.otherwise(all);
    }

    private static Dataset<Row> withMissing(Dataset<Row> rows)
    {
        Set<String> present = Set.of(rows.columns());
        Dataset<Row> result = rows;
        if (!present.contains(ASSET_COLUMN)) {
            result = result.withColumn(ASSET_COLUMN, lit(null).cast(EnrichmentTables.ASSET));
        }
        for (String column : List.of(SOURCE_GEO_COLUMN, DESTINATION_GEO_COLUMN)) {
            if (!present.contains(column)) {
                result = result.withColumn(column, lit(null).cast(EnrichmentTables.GEO));
            }
        }
        for (String column : List.of(SOURCE_AS_COLUMN, DESTINATION_AS_COLUMN)) {
            if (!present.contains(column)) {
                result = result.withColumn(column, lit(null).cast(EnrichmentTables.AS));
            }
        }
        if (!present.contains(NIDS_COLUMN)) {
            result = result.withColumn(NIDS_COLUMN, lit(null).cast(NIDS));
        }
        return result;
    }

    private static Dataset<Row> rules(SparkSession spark, List<JobSpec.RuleSpec> rules)
    {
        List<Row> rows = new ArrayList<>();
        for (JobSpec.RuleSpec rule : rules) {
            rows.add(RowFactory.create(rule.id(), rule.uuid(), rule.title(), rule.severity(),
                    rule.tags(), rule.topic(),
                    rule.enrich()));
        }
        return spark.createDataFrame(rows, RULES);
    }
}
