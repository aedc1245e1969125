package io.dragnet.sparkjobs.internal;

import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;

import static java.util.Objects.requireNonNull;

/** Longest-prefix lookup of an address in a broadcast table, as a struct (null when no network contains it). */
public final class LookupUdf<T extends EnrichmentTables.RowValue>
        implements UDF1<String, Row>
{
    private final Broadcast<LongestPrefixTable<T>> table;

    public LookupUdf(Broadcast<LongestPrefixTable<T>> table)
    {
        this.table = requireNonNull(table, "table is null");
    }

    @Override
    public Row call(String address)
    {
        if (address == null) {
            return null;
        }
        return table.value().lookup(address).map(EnrichmentTables.RowValue::toRow).orElse(null);
    }
}
