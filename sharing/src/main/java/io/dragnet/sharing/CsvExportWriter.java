package io.dragnet.sharing;

import io.dragnet.contracts.Json;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders an export as CSV: one row per hit, one column per field the recipient keeps; lists joined with '|', sub-field maps (aggregate measures) as JSON. */
public final class CsvExportWriter
{
    private CsvExportWriter() {}

    public static String render(ExportContent content)
    {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator("\n").build())) {
            printer.printRecord(content.fields());
            for (Map<String, Object> view : content.views()) {
                List<String> row = new ArrayList<>(content.fields().size());
                for (String field : content.fields()) {
                    Object value = view.get(field);
                    row.add(value == null ? "" : value instanceof List<?> list ? String.join("|", list.stream().map(Object::toString).toList())
                            : value instanceof Map<?, ?> map ? Json.mapper().writeValueAsString(map) : value.toString());
                }
                printer.printRecord(row);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
