package io.dragnet.nids.stream.internal;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A Parquet file of flat rows written value by value into Parquet's column writers: the file Spark's own write support
 * would write (its schema and footer come from that write support), without the record layer in between, which
 * boxed every field index and walked a record model per value and cost about as much as the encoding itself.
 * <p>
 * Rows are buffered in a row group, which is flushed when its encoded size passes the row group size (Parquet's
 * default: an epoch's verdicts make one), and the footer written on {@link #close}.
 */
final class LakeFileWriter
        implements Closeable
{
    // Checking the buffered size walks every column's buffers: not once per row.
    private static final int ROWS_PER_SIZE_CHECK = 1000;
    private static final long JULIAN_DAY_OF_UNIX_EPOCH = 2_440_588;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final ParquetFileWriter file;
    private final MessageType schema;
    private final ParquetProperties properties;
    private final CodecFactory codecs;
    private final CodecFactory.BytesCompressor compressor;
    private final Map<String, String> footerMetadata;
    private final List<ColumnDescriptor> columns;
    private final ValueWriter[] values;
    private final long rowGroupBytes;
    private final byte[] int96 = new byte[12];
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore store;
    private ColumnWriter[] writers;
    private long rowsInGroup;
    private boolean closed;

    /** How one column's value goes from a row into its column writer. */
    @FunctionalInterface
    private interface ValueWriter
    {
        void write(InternalRow row, int ordinal, ColumnWriter column);
    }

    /**
     * What every file of one layout shares: the Parquet schema and footer metadata Spark's write support gives for the
     * row schema, and the encoding settings. Built once, not per file: the write support's setup costs more than a
     * small file's writes.
     */
    record Format(StructType rowSchema, MessageType schema, Map<String, String> footerMetadata, ParquetProperties properties)
    {
        /**
         * @param writeSupport Spark's write support; {@code conf} holds its settings
         * @param dictionaryless the columns of one value per row, whose dictionaries would only be built to be dropped
         */
        static Format of(Configuration conf, StructType rowSchema, WriteSupport<InternalRow> writeSupport, List<String> dictionaryless)
        {
            WriteSupport.WriteContext context = writeSupport.init(conf);
            MessageType schema = context.getSchema();
            if (schema.getFieldCount() != rowSchema.size()) {
                throw new IllegalArgumentException("a Parquet schema of " + schema.getFieldCount() + " columns for " + rowSchema.size() + " row fields");
            }
            ParquetProperties.Builder builder = ParquetProperties.builder();
            for (String column : dictionaryless) {
                builder = builder.withDictionaryEncoding(column, false);
            }
            Map<String, String> footer = new HashMap<>(context.getExtraMetaData());
            String model = writeSupport.getName();
            if (model != null) {
                footer.put(ParquetWriter.OBJECT_MODEL_NAME_PROP, model);
            }
            return new Format(rowSchema, schema, Map.copyOf(footer), builder.build());
        }
    }

    /** @param conf the file system's settings */
    LakeFileWriter(Path path, Configuration conf, Format format, CompressionCodecName codec, long rowGroupBytes)
            throws IOException
    {
        this.rowGroupBytes = rowGroupBytes;
        this.schema = format.schema();
        this.properties = format.properties();
        this.footerMetadata = format.footerMetadata();
        this.columns = schema.getColumns();
        this.values = new ValueWriter[format.rowSchema().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = valueWriter(format.rowSchema().fields()[i].dataType());
        }
        this.file = new ParquetFileWriter(HadoopOutputFile.fromPath(path, conf), schema, ParquetFileWriter.Mode.OVERWRITE, rowGroupBytes,
                ParquetWriter.MAX_PADDING_SIZE_DEFAULT, properties.getColumnIndexTruncateLength(), properties.getStatisticsTruncateLength(),
                properties.getPageWriteChecksumEnabled());
        this.codecs = new CodecFactory(conf, properties.getPageSizeThreshold());
        this.compressor = codecs.getCompressor(requireNonNull(codec, "codec is null"));
        file.start();
    }

    void write(InternalRow row)
            throws IOException
    {
        if (store == null) {
            startRowGroup();
        }
        for (int i = 0; i < writers.length; i++) {
            if (row.isNullAt(i)) {
                writers[i].writeNull(0, 0);
            }
            else {
                values[i].write(row, i, writers[i]);
            }
        }
        store.endRecord();
        rowsInGroup++;
        if (rowsInGroup % ROWS_PER_SIZE_CHECK == 0 && store.getBufferedSize() >= rowGroupBytes) {
            flushRowGroup();
        }
    }

    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flushRowGroup();
            file.end(footerMetadata);
        }
        finally {
            codecs.release();
        }
    }

    private void startRowGroup()
    {
        pages = new ColumnChunkPageWriteStore(compressor, schema, properties.getAllocator(), properties.getColumnIndexTruncateLength(), properties.getPageWriteChecksumEnabled());
        store = properties.newColumnWriteStore(schema, pages, pages);
        writers = new ColumnWriter[columns.size()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = store.getColumnWriter(columns.get(i));
        }
    }

    private void flushRowGroup()
            throws IOException
    {
        if (store == null) {
            return;
        }
        store.flush();
        if (rowsInGroup > 0) {
            file.startBlock(rowsInGroup);
            pages.flushToFileWriter(file);
            file.endBlock();
        }
        store.close();
        store = null;
        pages = null;
        writers = null;
        rowsInGroup = 0;
    }

    private ValueWriter valueWriter(DataType type)
    {
        if (type == DataTypes.StringType) {
            // the row's bytes as they are: Parquet copies what it keeps (dictionary, statistics) itself
            return (row, ordinal, column) -> column.write(Binary.fromReusedByteArray(row.getUTF8String(ordinal).getBytes()), 0, 1);
        }
        if (type == DataTypes.LongType) {
            return (row, ordinal, column) -> column.write(row.getLong(ordinal), 0, 1);
        }
        if (type == DataTypes.IntegerType) {
            return (row, ordinal, column) -> column.write(row.getInt(ordinal), 0, 1);
        }
        if (type == DataTypes.DoubleType) {
            return (row, ordinal, column) -> column.write(row.getDouble(ordinal), 0, 1);
        }
        if (type == DataTypes.BooleanType) {
            return (row, ordinal, column) -> column.write(row.getBoolean(ordinal), 0, 1);
        }
        if (type == DataTypes.TimestampType) {
            return (row, ordinal, column) -> column.write(int96(row.getLong(ordinal)), 0, 1);
        }
        throw new IllegalArgumentException("no lake column of type " + type.simpleString());
    }

    /**
     * Microseconds since the epoch as Spark writes an INT96 timestamp: nanoseconds of the day, then the Julian day,
     * little-endian (proleptic Gregorian, which Spark 3 reads as such from a file its version wrote).
     */
    private Binary int96(long micros)
    {
        // DateTimeUtils.toJulianDay's arithmetic, truncating as it does
        long julianMicros = micros + JULIAN_DAY_OF_UNIX_EPOCH * MICROS_PER_DAY;
        ByteBuffer.wrap(int96).order(ByteOrder.LITTLE_ENDIAN).putLong(julianMicros % MICROS_PER_DAY * 1000).putInt((int) (julianMicros / MICROS_PER_DAY));
        return Binary.fromReusedByteArray(int96);
    }
}
