package io.dragnet.sparkjobs.internal;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The rows of a source day with {@link ScanColumns}, its field schema, and the input size.
 *
 * @param countedByTally true when lines read/rejected come from tally rows; false for Parquet (no rejects)
 * @param pruned true when only the fields the job's rules need were read ({@code schema} holds just those)
 */
public record SourceScan(Dataset<Row> rows, Map<String, FieldType> schema, long bytes, int files, boolean countedByTally, boolean pruned)
{
    /** A scan of every field. */
    public SourceScan(Dataset<Row> rows, Map<String, FieldType> schema, long bytes, int files, boolean countedByTally)
    {
        this(rows, schema, bytes, files, countedByTally, false);
    }

    public SourceScan
    {
        requireNonNull(rows, "rows is null");
        schema = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(schema));
    }
}
