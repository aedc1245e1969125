package io.dragnet.cost.ledger;

import io.dragnet.contracts.DragnetException;
import io.dragnet.cost.LedgerRow;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectFolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The ledger in a local directory ({@code <results>/ledger/}); layout as in {@link ObjectStoreRunLedger}. */
public final class FileRunLedger
        implements RunLedger
{
    private final Path directory;
    private final ObjectStoreRunLedger ledger;

    public FileRunLedger(Path directory)
    {
        this.directory = directory.toAbsolutePath().normalize();
        this.ledger = new ObjectStoreRunLedger(new ObjectFolder(new LocalObjectStore(), this.directory.toUri().toString()));
    }

    public Path directory()
    {
        return directory;
    }

    /** @param key the row's {@link LedgerRow#key()}: the run id, plus the execution's name when an execution recorded it */
    public Path runFile(String date, String key)
    {
        return directory.resolve(ObjectStoreRunLedger.runKey(date, key));
    }

    /** @param key the row's {@link LedgerRow#key()} */
    public Path parquetFile(String date, String key)
    {
        return directory.resolve(ObjectStoreRunLedger.parquetKey(date, key));
    }

    public Path combinedFile()
    {
        return directory.resolve(ObjectStoreRunLedger.COMBINED);
    }

    @Override
    public void write(LedgerRow row)
    {
        ledger.write(row);
    }

    @Override
    public List<LedgerRow> rows()
    {
        return ledger.rows();
    }

    /** Reads a ledger CSV file (one run's file or the combined view). */
    public static List<LedgerRow> read(Path file)
    {
        try {
            return LedgerCsv.read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        }
        catch (IOException e) {
            throw DragnetException.user("cannot read ledger file " + file + ": " + e.getMessage());
        }
    }
}
