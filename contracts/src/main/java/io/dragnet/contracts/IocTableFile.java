package io.dragnet.contracts;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The IoC table file the rule compiler writes and the Spark job joins against (a job spec's {@code iocTables} name
 * them): CSV with the header {@code value,feed,confidence,first_seen,description}, one indicator per row.
 * {@code confidence} is a number (a feed's 0–100 score) or empty.
 */
public final class IocTableFile
{
    public static final List<String> HEADER = List.of("value", "feed", "confidence", "first_seen", "description");

    private IocTableFile() {}

    /** The file's bytes: the header, then the entries in order. */
    public static byte[] write(List<IocEntry> entries)
    {
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build())) {
            printer.printRecord(HEADER);
            for (IocEntry entry : entries) {
                printer.printRecord(entry.value(), orEmpty(entry.feed()), entry.confidence() == null ? "" : plain(entry.confidence()),
                        orEmpty(entry.firstSeen()), orEmpty(entry.description()));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The entries as written, values unchanged; a user error names {@code location}, the line and what was expected. */
    public static List<IocEntry> read(Reader reader, String location)
    {
        return read(reader, location, UnaryOperator.identity());
    }

    /**
     * The entries with each value in the form {@code valueForm} gives it; an {@link IllegalArgumentException} from it
     * becomes a user error naming the value's line.
     */
    public static List<IocEntry> read(Reader reader, String location, UnaryOperator<String> valueForm)
    {
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
            if (!parser.getHeaderMap().containsKey("value")) {
                throw DragnetException.user(location + ":1: expected a header with column 'value' (" + String.join(",", HEADER) + "), got " + parser.getHeaderNames());
            }
            List<IocEntry> entries = new ArrayList<>();
            for (CSVRecord record : parser) {
                long line = record.getRecordNumber() + 1;
                String value = record.get("value");
                if (value == null || value.isBlank()) {
                    throw DragnetException.user(location + ":" + line + ": expected a non-empty value");
                }
                try {
                    value = valueForm.apply(value);
                }
                catch (IllegalArgumentException e) {
                    throw DragnetException.user(location + ":" + line + ": " + e.getMessage());
                }
                entries.add(new IocEntry(value, optional(record, "feed"), confidence(record, location, line), optional(record, "first_seen"), optional(record, "description")));
            }
            return entries;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read IoC table " + location + ": " + e.getMessage(), e);
        }
        catch (UncheckedIOException | IllegalStateException e) {
            throw DragnetException.user(location + ": expected CSV with header " + String.join(",", HEADER) + ": " + e.getMessage());
        }
    }

    /** A confidence as a feed gives it: a finite number, or blank for none; anything else is not a confidence. */
    public static Double parseConfidence(String text)
    {
        if (text == null || text.isBlank()) {
            return null;
        }
        double confidence = Double.parseDouble(text.trim());
        if (!Double.isFinite(confidence)) {
            throw new NumberFormatException("not a finite number");
        }
        return confidence;
    }

    private static Double confidence(CSVRecord record, String location, long line)
    {
        String text = optional(record, "confidence");
        try {
            return parseConfidence(text);
        }
        catch (NumberFormatException e) {
            throw DragnetException.user(location + ":" + line + ": column confidence: expected a number, got '" + text + "'");
        }
    }

    private static String optional(CSVRecord record, String column)
    {
        if (!record.isMapped(column) || !record.isSet(column)) {
            return null;
        }
        String value = record.get(column);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String orEmpty(String text)
    {
        return text == null ? "" : text;
    }

    private static String plain(double number)
    {
        return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }
}
