package io.dragnet.cost.ledger;

import io.dragnet.contracts.DragnetException;
import io.dragnet.cost.LedgerRow;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Ledger rows as CSV with a header of {@link LedgerRow#COLUMNS}. */
public final class LedgerCsv
{
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();

    private LedgerCsv() {}

    public static String write(List<LedgerRow> rows)
    {
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, FORMAT)) {
            printer.printRecord(LedgerRow.COLUMNS);
            for (LedgerRow row : rows) {
                printer.printRecord(row.toCells());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** @param where the file or object the text came from, for error messages */
    public static List<LedgerRow> read(String text, String where)
    {
        try (CSVParser parser = FORMAT.builder().setHeader().setSkipHeaderRecord(true).build().parse(new StringReader(text))) {
            List<LedgerRow> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                rows.add(LedgerRow.fromCells(record.toMap(), where + ":" + (record.getRecordNumber() + 1)));
            }
            return rows;
        }
        catch (IOException | UncheckedIOException e) {
            throw DragnetException.user("cannot read ledger " + where + ": " + e.getMessage());
        }
    }
}
