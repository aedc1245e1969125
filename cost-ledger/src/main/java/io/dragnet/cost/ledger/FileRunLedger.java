package io.dragnet.cost.ledger;

import io.dragnet.contracts.DragnetException;
import io.dragnet.cost.LedgerRow;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ledger as files under {@code <results>/ledger/}:
 * <ul>
 *   <li>{@code runs/dt=<date>/run=<runId>.csv} — one file per run, the source of truth; concurrent runs never write the same file;</li>
 *   <li>{@code parquet/dt=<date>/run=<runId>.parquet} — the same row in Parquet, for Athena/Spark;</li>
 *   <li>{@code ledger.csv} — the combined view, rebuilt from the per-run files after every write.</li>
 * </ul>
 * Every file is written to a temp sibling and renamed into place, so readers never see half a row.
 */
public final class FileRunLedger
        implements RunLedger
{
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();

    private final Path directory;

    public FileRunLedger(Path directory)
    {
        this.directory = directory.toAbsolutePath().normalize();
    }

    public Path directory()
    {
        return directory;
    }

    public Path runFile(String date, String runId)
    {
        return directory.resolve("runs").resolve("dt=" + date).resolve("run=" + safe(runId) + ".csv");
    }

    public Path parquetFile(String date, String runId)
    {
        return directory.resolve("parquet").resolve("dt=" + date).resolve("run=" + safe(runId) + ".parquet");
    }

    public Path combinedFile()
    {
        return directory.resolve("ledger.csv");
    }

    @Override
    public void write(LedgerRow row)
    {
        writeAtomically(runFile(row.date(), row.runId()), csv(List.of(row)));
        ParquetLedgerFile.write(parquetFile(row.date(), row.runId()), row);
        writeAtomically(combinedFile(), csv(rows()));
    }

    @Override
    public List<LedgerRow> rows()
    {
        Path runs = directory.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        List<LedgerRow> rows = new ArrayList<>();
        try (Stream<Path> files = Files.walk(runs)) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".csv") && !path.getFileName().toString().startsWith(".")).sorted().toList()) {
                rows.addAll(read(file));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runs, e);
        }
        rows.sort(Comparator.comparing(LedgerRow::date).thenComparing(LedgerRow::recordedAt, Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(LedgerRow::runId));
        return rows;
    }

    /** Reads a ledger CSV (one run's file or the combined view). */
    public static List<LedgerRow> read(Path file)
    {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = FORMAT.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
            List<LedgerRow> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                rows.add(LedgerRow.fromCells(record.toMap(), file + ":" + (record.getRecordNumber() + 1)));
            }
            return rows;
        }
        catch (IOException e) {
            throw DragnetException.user("cannot read ledger file " + file + ": " + e.getMessage());
        }
    }

    static String csv(List<LedgerRow> rows)
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

    static void writeAtomically(Path file, String content)
    {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Run ids become file names: keep them to a portable character set. */
    static String safe(String runId)
    {
        return runId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
