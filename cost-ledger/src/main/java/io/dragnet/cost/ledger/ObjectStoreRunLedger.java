package io.dragnet.cost.ledger;

import io.dragnet.cost.LedgerRow;
import io.dragnet.storage.ObjectFolder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The ledger in an {@link ObjectFolder} at {@code <results>/ledger/} (a local directory or an S3 prefix):
 * <ul>
 *   <li>{@code runs/dt=<date>/run=<key>.csv} — one object per run and execution ({@link LedgerRow#key()}), the source
 *   of truth; concurrent runs never write the same key;</li>
 *   <li>{@code parquet/dt=<date>/run=<key>.parquet} — the same row in Parquet, for Athena or Spark;</li>
 *   <li>{@code ledger.csv} — the combined view, rebuilt from the per-run objects after every write.</li>
 * </ul>
 * An execution recording its run again replaces its objects, so retries are idempotent; another execution re-using the
 * run id gets objects of its own.
 */
public final class ObjectStoreRunLedger
        implements RunLedger
{
    public static final String COMBINED = "ledger.csv";

    private final ObjectFolder store;

    public ObjectStoreRunLedger(ObjectFolder store)
    {
        this.store = requireNonNull(store, "store is null");
    }

    /** @param key the row's {@link LedgerRow#key()} */
    public static String runKey(String date, String key)
    {
        return "runs/dt=" + date + "/run=" + safe(key) + ".csv";
    }

    /** @param key the row's {@link LedgerRow#key()} */
    public static String parquetKey(String date, String key)
    {
        return "parquet/dt=" + date + "/run=" + safe(key) + ".parquet";
    }

    public String uri(String key)
    {
        return store.uri(key);
    }

    @Override
    public void write(LedgerRow row)
    {
        store.write(runKey(row.date(), row.key()), LedgerCsv.write(List.of(row)).getBytes(StandardCharsets.UTF_8));
        store.write(parquetKey(row.date(), row.key()), ParquetLedgerFile.bytes(row));
        store.write(COMBINED, LedgerCsv.write(rows()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<LedgerRow> rows()
    {
        List<LedgerRow> rows = new ArrayList<>();
        for (String key : store.list("runs/")) {
            if (key.endsWith(".csv")) {
                store.read(key).ifPresent(content -> rows.addAll(LedgerCsv.read(new String(content, StandardCharsets.UTF_8), store.uri(key))));
            }
        }
        rows.sort(Comparator.comparing(LedgerRow::date)
                .thenComparing(LedgerRow::recordedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(LedgerRow::runId));
        return rows;
    }

    /** Row keys become object names: keep them to a portable character set. */
    static String safe(String key)
    {
        return key.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
