package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.IocEntry;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.substring_index;

/**
 * Matches source fields against IoC tables with broadcast hash joins, adding one struct column per (table, field)
 * holding the matched indicator (null when none): exact values join on the lower-cased field; kind {@code domain}
 * joins each label depth of the field ({@code substring_index}) against the domains with that many labels, so
 * {@code a.evil.com} matches {@code evil.com} but {@code notevil.com} does not; kind {@code cidr} joins the address's
 * network at each prefix length present in the table. Tables are distinct by value, so joins never multiply rows.
 */
public final class IocJoins
{
    public static final StructType INDICATOR = new StructType(new StructField[] {
            DataTypes.createStructField("value", DataTypes.StringType, true),
            DataTypes.createStructField("kind", DataTypes.StringType, true),
            DataTypes.createStructField("table", DataTypes.StringType, true),
            DataTypes.createStructField("feed", DataTypes.StringType, true),
            DataTypes.createStructField("confidence", DataTypes.DoubleType, true),
            DataTypes.createStructField("first_seen", DataTypes.StringType, true),
    });

    /** Group of IPv6 CIDR entries: matched by {@link Ipv6IndicatorUdf}, not joined. */
    static final int IPV6_GROUP = -1;

    private IocJoins() {}

    /** The name of the indicator column added for a use. */
    public static String columnName(int index)
    {
        return "_ioc" + index;
    }

    /** Adds one indicator column per use, named {@link #columnName} by position in {@code uses}. */
    public static Dataset<Row> apply(SparkSession spark, Dataset<Row> rows, List<IocUse> uses, Map<String, LoadedIocTable> tables)
    {
        Dataset<Row> result = rows;
        for (int index = 0; index < uses.size(); index++) {
            IocUse use = uses.get(index);
            LoadedIocTable table = tables.get(use.table());
            String target = columnName(index);
            Map<Integer, List<IocEntry>> groups = groups(table);
            List<Column> parts = new ArrayList<>();
            int part = 0;
            for (Map.Entry<Integer, List<IocEntry>> group : groups.entrySet()) {
                if (group.getKey() == IPV6_GROUP) {
                    parts.add(org.apache.spark.sql.functions.udf(new Ipv6IndicatorUdf(group.getValue(), table.kind(), table.id()), INDICATOR)
                            .apply(Columns.field(use.field()).cast(DataTypes.StringType)));
                    continue;
                }
                String keyColumn = target + "_k" + part;
                String valueColumn = target + "_v" + part;
                Dataset<Row> lookup = lookupTable(spark, table, group.getValue(), group.getKey(), keyColumn, valueColumn);
                Column key = key(table.kind(), Columns.field(use.field()), group.getKey());
                result = result.join(broadcast(lookup), key.equalTo(lookup.col(keyColumn)), "left_outer").drop(keyColumn);
                parts.add(Columns.field(valueColumn));
                part++;
            }
            Column combined = parts.isEmpty()
                    ? org.apache.spark.sql.functions.lit(null).cast(INDICATOR)
                    : parts.size() == 1 ? parts.get(0) : coalesce(parts.toArray(Column[]::new));
            result = result.withColumn(target, combined);
            for (int i = 0; i < part; i++) {
                result = result.drop(target + "_v" + i);
            }
        }
        return result;
    }

    /**
     * Entries grouped by the key they join on: label count for domains, prefix length for CIDRs (longest first, so
     * the most specific indicator wins in the coalesce), a single group otherwise.
     */
    static Map<Integer, List<IocEntry>> groups(LoadedIocTable table)
    {
        Map<Integer, List<IocEntry>> groups = new TreeMap<>((a, b) -> Integer.compare(b, a));
        for (IocEntry entry : table.entries()) {
            int group = switch (table.kind()) {
                case "domain" -> labels(entry.value());
                case "cidr" -> entry.value().indexOf(':') >= 0 ? IPV6_GROUP : Cidr.parse(entry.value()).prefixLength();
                default -> 0;
            };
            groups.computeIfAbsent(group, ignored -> new ArrayList<>()).add(entry);
        }
        return new LinkedHashMap<>(groups);
    }

    static int labels(String domain)
    {
        int labels = 1;
        for (int i = 0; i < domain.length(); i++) {
            if (domain.charAt(i) == '.') {
                labels++;
            }
        }
        return labels;
    }

    private static Column key(String kind, Column field, int group)
    {
        return switch (kind) {
            case "domain" -> substring_index(lower(field.cast(DataTypes.StringType)), ".", -group);
            case "cidr" -> shiftrightunsigned(Columns.ipv4(field.cast(DataTypes.StringType)), 32 - group);
            default -> lower(field.cast(DataTypes.StringType));
        };
    }

    private static Dataset<Row> lookupTable(SparkSession spark, LoadedIocTable table, List<IocEntry> entries, int group, String keyColumn, String valueColumn)
    {
        boolean cidr = table.kind().equals("cidr");
        StructType schema = new StructType(new StructField[] {
                DataTypes.createStructField(keyColumn, cidr ? DataTypes.LongType : DataTypes.StringType, false),
                DataTypes.createStructField(valueColumn, INDICATOR, false),
        });
        // lower-casing can fold two values together: keep the first per key so the join never multiplies rows
        Map<Object, Row> rows = new LinkedHashMap<>();
        for (IocEntry entry : entries) {
            Object key = cidr
                    ? (Object) Cidr.prefixKey(Cidr.parse(entry.value()).network(), group)
                    : entry.value().toLowerCase(Locale.ROOT);
            Row indicator = RowFactory.create(entry.value(), table.kind(), table.id(), entry.feed(), entry.confidence(), entry.firstSeen());
            rows.putIfAbsent(key, RowFactory.create(key, indicator));
        }
        return spark.createDataFrame(new ArrayList<>(rows.values()), schema);
    }
}
