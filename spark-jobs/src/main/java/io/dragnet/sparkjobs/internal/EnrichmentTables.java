package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parsers of the enrichment inputs (asset inventory, GeoLite2 CSVs) into longest-prefix tables. Pure: readers in, tables out. */
public final class EnrichmentTables
{
    public static final StructType ASSET = struct(
            DataTypes.createStructField("owner", DataTypes.StringType, true),
            DataTypes.createStructField("criticality", DataTypes.StringType, true));
    public static final StructType GEO = struct(
            DataTypes.createStructField("country_iso_code", DataTypes.StringType, true),
            DataTypes.createStructField("city_name", DataTypes.StringType, true),
            DataTypes.createStructField("location", struct(
                    DataTypes.createStructField("lat", DataTypes.DoubleType, true),
                    DataTypes.createStructField("lon", DataTypes.DoubleType, true)), true));
    public static final StructType AS = struct(
            DataTypes.createStructField("number", DataTypes.LongType, true),
            DataTypes.createStructField("organization", DataTypes.StringType, true));

    private EnrichmentTables() {}

    /** A value that becomes a struct column. */
    public interface RowValue
            extends Serializable
    {
        Row toRow();
    }

    public record Asset(String owner, String criticality)
            implements RowValue
    {
        @Override
        public Row toRow()
        {
            return RowFactory.create(owner, criticality);
        }
    }

    public record Geo(String countryIsoCode, String cityName, Double latitude, Double longitude)
            implements RowValue
    {
        @Override
        public Row toRow()
        {
            return RowFactory.create(countryIsoCode, cityName, latitude == null || longitude == null ? null : RowFactory.create(latitude, longitude));
        }
    }

    public record AutonomousSystem(Long number, String organization)
            implements RowValue
    {
        @Override
        public Row toRow()
        {
            return RowFactory.create(number, organization);
        }
    }

    private record Place(String countryIsoCode, String cityName) {}

    /** {@code cidr,owner,criticality,...}: overlapping networks allowed, the longest prefix wins at lookup. */
    public static LongestPrefixTable<Asset> assets(Reader reader, String location)
    {
        LongestPrefixTable<Asset> table = new LongestPrefixTable<>();
        for (CSVRecord record : records(reader, location, List.of("cidr", "owner"))) {
            table.put(cidr(record, "cidr", location), new Asset(record.get("owner"), optional(record, "criticality")));
        }
        return table;
    }

    /** GeoLite2-City-Blocks-IPv4.csv joined with GeoLite2-City-Locations-en.csv on geoname_id. */
    public static LongestPrefixTable<Geo> geo(Reader blocks, String blocksLocation, Reader locations, String locationsLocation)
    {
        Map<String, Place> places = new HashMap<>();
        if (locations != null) {
            for (CSVRecord record : records(locations, locationsLocation, List.of("geoname_id", "country_iso_code", "city_name"))) {
                places.put(record.get("geoname_id"), new Place(optional(record, "country_iso_code"), optional(record, "city_name")));
            }
        }
        LongestPrefixTable<Geo> table = new LongestPrefixTable<>();
        for (CSVRecord record : records(blocks, blocksLocation, List.of("network", "geoname_id", "latitude", "longitude"))) {
            String geonameId = optional(record, "geoname_id");
            if (geonameId == null) {
                geonameId = optional(record, "registered_country_geoname_id");
            }
            Place place = geonameId == null ? null : places.get(geonameId);
            table.put(cidr(record, "network", blocksLocation), new Geo(
                    place == null ? null : place.countryIsoCode(),
                    place == null ? null : place.cityName(),
                    number(record, "latitude", blocksLocation),
                    number(record, "longitude", blocksLocation)));
        }
        return table;
    }

    /** GeoLite2-ASN-Blocks-IPv4.csv. */
    public static LongestPrefixTable<AutonomousSystem> asn(Reader reader, String location)
    {
        LongestPrefixTable<AutonomousSystem> table = new LongestPrefixTable<>();
        for (CSVRecord record : records(reader, location, List.of("network", "autonomous_system_number", "autonomous_system_organization"))) {
            Double number = number(record, "autonomous_system_number", location);
            table.put(cidr(record, "network", location), new AutonomousSystem(number == null ? null : number.longValue(), optional(record, "autonomous_system_organization")));
        }
        return table;
    }

    private static List<CSVRecord> records(Reader reader, String location, List<String> required)
    {
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
            for (String column : required) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw DragnetException.user(location + ":1: expected a header with columns " + required + ", got " + parser.getHeaderNames());
                }
            }
            return parser.getRecords();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location + ": " + e.getMessage(), e);
        }
        catch (UncheckedIOException | IllegalStateException e) {
            throw DragnetException.user(location + ": expected CSV with header " + required + ": " + e.getMessage());
        }
    }

    private static Cidr cidr(CSVRecord record, String column, String location)
    {
        try {
            return Cidr.parse(record.get(column));
        }
        catch (IllegalArgumentException e) {
            throw DragnetException.user(location + ":" + (record.getRecordNumber() + 1) + ": column " + column + ": " + e.getMessage());
        }
    }

    private static Double number(CSVRecord record, String column, String location)
    {
        String text = optional(record, column);
        if (text == null) {
            return null;
        }
        try {
            return Double.parseDouble(text);
        }
        catch (NumberFormatException e) {
            throw DragnetException.user(location + ":" + (record.getRecordNumber() + 1) + ": column " + column + ": expected a number, got '" + text + "'");
        }
    }

    private static String optional(CSVRecord record, String column)
    {
        if (!record.isMapped(column) || !record.isSet(column)) {
            return null;
        }
        String value = record.get(column);
        return value == null || value.isBlank() ? null : value;
    }

    private static StructType struct(StructField... fields)
    {
        return new StructType(fields);
    }
}
