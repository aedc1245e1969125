package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.VerdictColumns;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;

/**
 * Adds the enrichment columns that the spec's rules name to matched rows (small): asset owner and criticality by
 * longest-prefix CIDR match (for every row whenever an asset inventory is configured), GeoLite2 city and ASN of both addresses, and the NIDS verdict of the same 5-tuple (highest score when
 * several). The lookup tables are read on the driver and broadcast.
 */
public final class Enrichments
{
    public static final Set<String> KNOWN = Set.of("ioc_metadata", "asset_owner", "geo", "first_last_seen", "nids_verdict");

    private final SparkSession spark;
    private final Storage storage;
    private final JobSpec spec;

    public Enrichments(SparkSession spark, Storage storage, JobSpec spec)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.spec = requireNonNull(spec, "spec is null");
    }

    /** The enrichments any rule asks for; unknown names are a user error naming the rule. */
    public static Set<String> requested(JobSpec spec)
    {
        Set<String> requested = new LinkedHashSet<>();
        for (JobSpec.RuleSpec rule : spec.rules()) {
            for (String name : rule.enrich()) {
                if (!KNOWN.contains(name)) {
                    throw DragnetException.user("rule " + rule.id() + ": enrichment '" + name + "' is unknown; expected one of " + new java.util.TreeSet<>(KNOWN));
                }
                requested.add(name);
            }
        }
        return requested;
    }

    public Dataset<Row> apply(Dataset<Row> matched, EcsMapping mapping)
    {
        Set<String> requested = requested(spec);
        Dataset<Row> result = matched;
        Column sourceIp = mapping.sourceField("source.ip").map(Columns::field).orElse(lit(null)).cast(DataTypes.StringType);
        Column destinationIp = mapping.sourceField("destination.ip").map(Columns::field).orElse(lit(null)).cast(DataTypes.StringType);
        // Access rules depend on an asset's criticality (restricted assets go to the restricted partition), so the
        // inventory is looked up for every document whenever it is configured, whatever the rules asked for.
        if (requested.contains("asset_owner") || spec.enrichmentData().containsKey("asset_inventory")) {
            result = withAssets(result, sourceIp, destinationIp);
        }
        if (requested.contains("geo")) {
            String blocks = required("geo_city_blocks", "geo");
            String locations = spec.enrichmentData().get("geo_city_locations");
            LongestPrefixTable<EnrichmentTables.Geo> geo;
            try (Reader blockReader = storage.openText(Storage.path(blocks));
                    Reader locationReader = locations == null ? null : storage.openText(Storage.path(locations))) {
                geo = EnrichmentTables.geo(blockReader, blocks, locationReader, locations);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            UserDefinedFunction geoLookup = lookup(geo, EnrichmentTables.GEO);
            result = result.withColumn(Documents.SOURCE_GEO_COLUMN, geoLookup.apply(sourceIp))
                    .withColumn(Documents.DESTINATION_GEO_COLUMN, geoLookup.apply(destinationIp));
            String asn = spec.enrichmentData().get("geo_asn");
            if (asn != null) {
                LongestPrefixTable<EnrichmentTables.AutonomousSystem> systems = table(asn, EnrichmentTables::asn);
                UserDefinedFunction asLookup = lookup(systems, EnrichmentTables.AS);
                result = result.withColumn(Documents.SOURCE_AS_COLUMN, asLookup.apply(sourceIp))
                        .withColumn(Documents.DESTINATION_AS_COLUMN, asLookup.apply(destinationIp));
            }
        }
        if (requested.contains("nids_verdict")) {
            result = withVerdicts(result, mapping);
        }
        return result;
    }

    /**
     * Aggregate hits with {@code asset.criticality} (lower-cased, trimmed) of their group's source, else destination,
     * address: who may read a hit depends on it as for record documents. Null when no inventory is configured.
     */
    public Dataset<Row> withAssetCriticality(Dataset<Row> hits)
    {
        if (!spec.enrichmentData().containsKey("asset_inventory")) {
            return hits.withColumn("asset.criticality", lit(null).cast(DataTypes.StringType));
        }
        return withAssets(hits, Columns.field("source.ip"), Columns.field("destination.ip"))
                .withColumn("asset.criticality", Documents.assetCriticality())
                .drop(Documents.ASSET_COLUMN);
    }

    private Dataset<Row> withAssets(Dataset<Row> rows, Column sourceIp, Column destinationIp)
    {
        String location = required("asset_inventory", "asset_owner");
        UserDefinedFunction lookup = lookup(table(location, EnrichmentTables::assets), EnrichmentTables.ASSET);
        return rows.withColumn(Documents.ASSET_COLUMN, org.apache.spark.sql.functions.coalesce(lookup.apply(sourceIp), lookup.apply(destinationIp)));
    }

    /** A lookup table read from one file on the driver. */
    private <T extends EnrichmentTables.RowValue> LongestPrefixTable<T> table(String location, java.util.function.BiFunction<Reader, String, LongestPrefixTable<T>> parser)
    {
        try (Reader reader = storage.openText(Storage.path(location))) {
            return parser.apply(reader, location);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Dataset<Row> withVerdicts(Dataset<Row> matched, EcsMapping mapping)
    {
        String location = required("verdicts", "nids_verdict");
        List<String> tuple = List.of("source.ip", "source.port", "destination.ip", "destination.port", "network.transport");
        if (!storage.exists(location) || tuple.stream().anyMatch(field -> mapping.sourceField(field).isEmpty())) {
            return matched.withColumn(Documents.NIDS_COLUMN, lit(null).cast(Documents.NIDS));
        }
        Dataset<Row> verdicts = spark.read().parquet(location)
                .select(col(VerdictColumns.SRC_IP).cast("string").as("_v_src_ip"), col(VerdictColumns.SRC_PORT).cast("long").as("_v_src_port"),
                        col(VerdictColumns.DST_IP).cast("string").as("_v_dst_ip"), col(VerdictColumns.DST_PORT).cast("long").as("_v_dst_port"),
                        lower(col(VerdictColumns.PROTO)).as("_v_proto"),
                        struct(col(VerdictColumns.SCORE).cast("double").as("score"), col(VerdictColumns.PREDICTED_MALICIOUS).cast("boolean").as("predicted_malicious"),
                                col(VerdictColumns.ATTACK_CATEGORY).cast("string").as("attack_category")).as("_v"))
                .groupBy("_v_src_ip", "_v_src_port", "_v_dst_ip", "_v_dst_port", "_v_proto")
                // max of the struct orders by score first: the most suspicious verdict of the tuple, deterministically
                .agg(max(col("_v")).as(Documents.NIDS_COLUMN));
        Column on = field(mapping, "source.ip").cast("string").equalTo(col("_v_src_ip"))
                .and(field(mapping, "source.port").cast("long").equalTo(col("_v_src_port")))
                .and(field(mapping, "destination.ip").cast("string").equalTo(col("_v_dst_ip")))
                .and(field(mapping, "destination.port").cast("long").equalTo(col("_v_dst_port")))
                .and(lower(field(mapping, "network.transport")).equalTo(col("_v_proto")));
        return matched.join(verdicts, on, "left_outer").drop("_v_src_ip", "_v_src_port", "_v_dst_ip", "_v_dst_port", "_v_proto");
    }

    private static Column field(EcsMapping mapping, String ecsField)
    {
        return Columns.field(mapping.sourceField(ecsField).orElseThrow());
    }

    private String required(String key, String enrichment)
    {
        String location = spec.enrichmentData().get(key);
        if (location == null) {
            throw DragnetException.user("job spec for " + spec.source().name() + ": enrichment " + enrichment + " needs enrichmentData." + key);
        }
        return location;
    }

    private <T extends EnrichmentTables.RowValue> UserDefinedFunction lookup(LongestPrefixTable<T> table, org.apache.spark.sql.types.StructType type)
    {
        Broadcast<LongestPrefixTable<T>> broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(table);
        return udf(new LookupUdf<>(broadcast), type);
    }
}
