package io.dragnet.sparkjobs.internal;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

import java.util.Arrays;

/** Spark's internal rows for tests of code that reads and writes them: built from plain values, read back as {@link Row}s. */
final class InternalRows
{
    private InternalRows() {}

    /** A row of the values, texts as Spark holds them (the other values used in these tests are the same inside and out). */
    static InternalRow internal(Object... values)
    {
        return new GenericInternalRow(Arrays.stream(values).map(value -> value instanceof String text ? UTF8String.fromString(text) : value).toArray());
    }

    /** The row as a {@link Row} of the schema's columns, converted as Spark converts them. */
    static Row external(InternalRow row, StructType schema)
    {
        return (Row) CatalystTypeConverters.createToScalaConverter(schema).apply(row);
    }
}
