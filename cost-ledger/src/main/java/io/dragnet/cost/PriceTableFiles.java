package io.dragnet.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads a price table from a directory laid out as {@code samples/prices/} (see its README): the AWS Price List bulk
 * CSV of AmazonEC2 and ElasticMapReduce for one region, and a DescribeSpotPriceHistory JSON response.
 */
public final class PriceTableFiles
{

    private PriceTableFiles() {}

    /** Loads the one region present in the directory (us-east-1 when several are). */
    public static PriceTable load(Path directory)
    {
        List<String> regions;
        try (Stream<Path> files = Files.list(directory)) {
            regions = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("AmazonEC2-") && name.endsWith(".csv"))
                    .map(name -> name.substring("AmazonEC2-".length(), name.length() - ".csv".length()))
                    .sorted()
                    .toList();
        }
        catch (IOException e) {
            throw DragnetException.user("cannot list price table directory " + directory + ": " + e.getMessage());
        }
        if (regions.isEmpty()) {
            throw DragnetException.user("price table directory " + directory + " holds no AmazonEC2-<region>.csv (AWS Price List bulk CSV)");
        }
        return load(directory, regions.contains("us-east-1") ? "us-east-1" : regions.get(0));
    }

    public static PriceTable load(Path directory, String region)
    {
        Path ec2 = directory.resolve("AmazonEC2-" + region + ".csv");
        Path emr = directory.resolve("ElasticMapReduce-" + region + ".csv");
        Path spot = directory.resolve("spot-price-history-" + region + ".json");
        Map<String, BigDecimal> onDemand = new HashMap<>();
        Map<String, BigDecimal> ebs = new HashMap<>();
        readOffer(ec2, row -> {
            if (is(row, "TermType", "OnDemand") && is(row, "Product Family", "Compute Instance") && is(row, "Operating System", "Linux")
                    && is(row, "Tenancy", "Shared") && is(row, "CapacityStatus", "Used") && is(row, "Pre Installed S/W", "NA")
                    && is(row, "Unit", "Hrs")) {
                put(onDemand, row.get("Instance Type"), row, ec2);
            }
            else if (is(row, "TermType", "OnDemand") && is(row, "Product Family", "Storage") && is(row, "Unit", "GB-Mo")) {
                put(ebs, row.get("Volume API Name"), row, ec2);
            }
        });
        Map<String, BigDecimal> emrRates = new HashMap<>();
        readOffer(emr, row -> {
            if (is(row, "TermType", "OnDemand") && is(row, "Product Family", "Elastic Map Reduce Instance")
                    && is(row, "Software Type", "EMR") && is(row, "Unit", "Hrs")) {
                put(emrRates, row.get("Instance Type"), row, emr);
            }
        });
        if (ebs.isEmpty()) {
            throw DragnetException.user(ec2 + ": no OnDemand Storage row with a Volume API Name and Unit GB-Mo (EBS rates)");
        }
        String source = directory.getFileName() + " (" + region + ", " + publication(ec2) + ")";
        return new PriceTable(region, source, onDemand, emrRates, readSpotHistory(spot), ebs);
    }

    /** Parses a DescribeSpotPriceHistory response body in its JSON shape ({@code SpotPriceHistory[]}). */
    public static List<SpotPrice> readSpotHistory(Path file)
    {
        if (!Files.exists(file)) {
            throw DragnetException.user("spot price history " + file + " is missing (expected aws ec2 describe-spot-price-history JSON output)");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(file.toFile());
        }
        catch (IOException e) {
            throw DragnetException.user(file + ": not valid JSON: " + e.getMessage());
        }
        JsonNode history = root.path("SpotPriceHistory");
        if (!history.isArray()) {
            throw DragnetException.user(file + ": expected an object with a SpotPriceHistory array");
        }
        List<SpotPrice> prices = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            JsonNode entry = history.get(i);
            String where = file + ": SpotPriceHistory[" + i + "]";
            try {
                prices.add(new SpotPrice(
                        required(entry, "InstanceType", where),
                        required(entry, "AvailabilityZone", where),
                        new BigDecimal(required(entry, "SpotPrice", where)),
                        OffsetDateTime.parse(required(entry, "Timestamp", where)).toInstant()));
            }
            catch (NumberFormatException | DateTimeParseException e) {
                throw DragnetException.user(where + ": SpotPrice must be a decimal and Timestamp ISO-8601 with offset: " + e.getMessage());
            }
        }
        return prices;
    }

    private static String required(JsonNode entry, String field, String where)
    {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw DragnetException.user(where + ": " + field + " is missing");
        }
        return value.asText();
    }

    private static void readOffer(Path file, Consumer<CSVRecord> consumer)
    {
        if (!Files.exists(file)) {
            throw DragnetException.user("price list " + file + " is missing (expected the AWS Price List bulk CSV layout)");
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            skipMetadata(reader, file);
            try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
                for (String column : List.of("TermType", "Product Family", "Unit", "PricePerUnit", "Currency")) {
                    if (!parser.getHeaderMap().containsKey(column)) {
                        throw DragnetException.user(file + ": header row has no column '" + column + "' (AWS Price List bulk CSV expected)");
                    }
                }
                for (CSVRecord row : parser) {
                    consumer.accept(row);
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The bulk CSV starts with key/value metadata lines (FormatVersion, Disclaimer, …) before the header, which starts with "SKU". */
    private static void skipMetadata(Reader reader, Path file)
            throws IOException
    {
        BufferedReader lines = (BufferedReader) reader;
        for (int line = 1; line <= 20; line++) {
            lines.mark(1 << 16);
            String text = lines.readLine();
            if (text == null) {
                break;
            }
            if (text.startsWith("\"SKU\"") || text.startsWith("SKU,")) {
                lines.reset();
                return;
            }
        }
        throw DragnetException.user(file + ": no header row starting with \"SKU\" in the first 20 lines (AWS Price List bulk CSV expected)");
    }

    private static String publication(Path file)
    {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.limit(5).filter(line -> line.startsWith("\"Publication Date\""))
                    .map(line -> line.substring(line.indexOf(',') + 1).replace("\"", ""))
                    .findFirst().map(date -> "published " + date).orElse("publication date unknown");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean is(CSVRecord row, String column, String value)
    {
        return row.isMapped(column) && value.equals(row.get(column));
    }

    private static void put(Map<String, BigDecimal> target, String key, CSVRecord row, Path file)
    {
        if (!is(row, "Currency", "USD")) {
            throw DragnetException.user(file + ": record " + row.getRecordNumber() + " after the header: currency " + row.get("Currency") + ", expected USD");
        }
        BigDecimal price;
        try {
            price = new BigDecimal(row.get("PricePerUnit"));
        }
        catch (NumberFormatException e) {
            throw DragnetException.user(file + ": record " + row.getRecordNumber() + " after the header: PricePerUnit '" + row.get("PricePerUnit") + "' is not a decimal");
        }
        BigDecimal previous = target.putIfAbsent(key, price);
        if (previous != null && previous.compareTo(price) != 0) {
            throw DragnetException.user(file + ": record " + row.getRecordNumber() + " after the header: two different rates for " + key + " (" + previous + " and " + price + ")");
        }
    }
}
