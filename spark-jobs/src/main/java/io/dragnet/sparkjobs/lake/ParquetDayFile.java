package io.dragnet.sparkjobs.lake;

import io.dragnet.sparkjobs.internal.FieldType;
import io.dragnet.storage.OwnerOnly;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One typed Parquet file (zstd) of lake records, written through plain NIO (no Hadoop file system, no checksum files)
 * to an owner-only file. Values arrive as the {@link FieldType} parsers produce them; every column is optional.
 * Timestamps are stored as UTC microseconds, which Spark reads as its timestamp type.
 */
final class ParquetDayFile
        implements Closeable
{
    private final ParquetWriter<Object[]> writer;
    private long records;
    private boolean closed;

    ParquetDayFile(Path file, List<String> fields, List<FieldType> types, long rowGroupBytes)
    {
        MessageType schema = schema(fields, types);
        try {
            writer = new Builder(new NioOutputFile(file), schema, types)
                    .withCompressionCodec(CompressionCodecName.ZSTD)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .withRowGroupSize(rowGroupBytes)
                    .withConf(new Configuration(false))
                    .build();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    void write(Object[] values)
    {
        try {
            writer.write(values);
            records++;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write a Parquet record", e);
        }
    }

    long records()
    {
        return records;
    }

    @Override
    public void close()
            throws IOException
    {
        if (!closed) {
            closed = true;
            writer.close();
        }
    }

    static MessageType schema(List<String> fields, List<FieldType> types)
    {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (int i = 0; i < fields.size(); i++) {
            Type.Repetition optional = Type.Repetition.OPTIONAL;
            Type column = switch (types.get(i)) {
                case STRING, IP -> Types.primitive(PrimitiveTypeName.BINARY, optional).as(LogicalTypeAnnotation.stringType()).named(fields.get(i));
                case LONG -> Types.primitive(PrimitiveTypeName.INT64, optional).named(fields.get(i));
                case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, optional).named(fields.get(i));
                case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, optional).named(fields.get(i));
                case TIMESTAMP -> Types.primitive(PrimitiveTypeName.INT64, optional)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named(fields.get(i));
            };
            message.addField(column);
        }
        return message.named("zeek");
    }

    static long micros(Timestamp timestamp)
    {
        return Math.floorDiv(timestamp.getTime(), 1000L) * 1_000_000L + timestamp.getNanos() / 1000L;
    }

    private static final class Builder
            extends ParquetWriter.Builder<Object[], Builder>
    {
        private final MessageType schema;
        private final List<FieldType> types;

        Builder(OutputFile file, MessageType schema, List<FieldType> types)
        {
            super(file);
            this.schema = requireNonNull(schema, "schema is null");
            this.types = List.copyOf(types);
        }

        @Override
        protected Builder self()
        {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(Configuration configuration)
        {
            return new RecordWriteSupport(schema, types);
        }
    }

    private static final class RecordWriteSupport
            extends WriteSupport<Object[]>
    {
        private final MessageType schema;
        private final List<FieldType> types;
        private RecordConsumer consumer;

        RecordWriteSupport(MessageType schema, List<FieldType> types)
        {
            this.schema = schema;
            this.types = types;
        }

        @Override
        public WriteContext init(Configuration configuration)
        {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer)
        {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Object[] values)
        {
            consumer.startMessage();
            for (int i = 0; i < values.length; i++) {
                Object value = values[i];
                if (value == null) {
                    continue;
                }
                String name = schema.getFieldName(i);
                consumer.startField(name, i);
                switch (types.get(i)) {
                    case STRING, IP -> consumer.addBinary(Binary.fromString((String) value));
                    case LONG -> consumer.addLong((Long) value);
                    case DOUBLE -> consumer.addDouble((Double) value);
                    case BOOLEAN -> consumer.addBoolean((Boolean) value);
                    case TIMESTAMP -> consumer.addLong(micros((Timestamp) value));
                }
                consumer.endField(name, i);
            }
            consumer.endMessage();
        }
    }

    /** A local file as Parquet's output: created owner-only (0600), never a checksum sibling. */
    private record NioOutputFile(Path file)
            implements OutputFile
    {
        @Override
        public PositionOutputStream create(long blockSizeHint)
                throws IOException
        {
            return createOrOverwrite(blockSizeHint);
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint)
                throws IOException
        {
            Files.deleteIfExists(file);
            Files.createFile(file, OwnerOnly.fileAttribute());
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), 1 << 16);
            return new PositionOutputStream()
            {
                private long position;

                @Override
                public long getPos()
                {
                    return position;
                }

                @Override
                public void write(int b)
                        throws IOException
                {
                    out.write(b);
                    position++;
                }

                @Override
                public void write(byte[] bytes, int offset, int length)
                        throws IOException
                {
                    out.write(bytes, offset, length);
                    position += length;
                }

                @Override
                public void flush()
                        throws IOException
                {
                    out.flush();
                }

                @Override
                public void close()
                        throws IOException
                {
                    out.close();
                }
            };
        }

        @Override
        public boolean supportsBlockSize()
        {
            return false;
        }

        @Override
        public long defaultBlockSize()
        {
            return 0;
        }
    }
}
