package io.dragnet.sparkjobs.internal;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Parses one CSV line (RFC 4180 quoting, no line breaks inside fields) whose columns follow the file's header line.
 * Empty cells are null.
 */
public final class CsvLineParser
        implements LineParser
{
    private final String headerLine;
    private final List<String> fields;
    private final List<FieldType> types;

    public CsvLineParser(String headerLine, List<String> fields, List<FieldType> types)
    {
        this.headerLine = requireNonNull(headerLine, "headerLine is null");
        this.fields = List.copyOf(fields);
        this.types = List.copyOf(types);
    }

    @Override
    public List<String> fields()
    {
        return fields;
    }

    @Override
    public List<FieldType> types()
    {
        return types;
    }

    @Override
    public boolean isMetadata(String line)
    {
        return line.isBlank() || line.equals(headerLine);
    }

    @Override
    public ParsedLine parse(String line)
    {
        CSVRecord record;
        try (CSVParser parser = CSVFormat.RFC4180.parse(new StringReader(line))) {
            List<CSVRecord> records = parser.getRecords();
            if (records.size() != 1) {
                return ParsedLine.rejected("expected one CSV record per line");
            }
            record = records.get(0);
        }
        catch (IOException | IllegalStateException | java.io.UncheckedIOException e) {
            return ParsedLine.rejected("expected a CSV record: " + e.getMessage());
        }
        if (record.size() != fields.size()) {
            return ParsedLine.rejected("expected " + fields.size() + " CSV columns (header), got " + record.size());
        }
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            String text = record.get(i);
            if (text.isEmpty()) {
                continue;
            }
            try {
                values[i] = types.get(i).parse(text);
            }
            catch (IllegalArgumentException e) {
                return ParsedLine.rejected("field '" + fields.get(i) + "' (" + types.get(i).name().toLowerCase() + "): " + e.getMessage());
            }
        }
        return ParsedLine.parsed(values);
    }
}
