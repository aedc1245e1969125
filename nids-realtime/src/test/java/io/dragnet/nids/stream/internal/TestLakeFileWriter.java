package io.dragnet.nids.stream.internal;

import io.dragnet.contracts.VerdictColumns;
import io.dragnet.testing.SparkFixture;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The lake's direct Parquet writer against Spark's own write support, file for file, as Spark reads them. */
@Tag("integration")
class TestLakeFileWriter
{
    private static final Configuration CONF = new Configuration();

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @TempDir
    java.nio.file.Path directory;

    @Test
    void writesTheRowsSchemaAndFooterSparksWriteSupportWrites()
            throws IOException
    {
        List<InternalRow> rows = rows(3_000);
        Path direct = file("direct.parquet");
        try (LakeFileWriter writer = LakeParquet.create(direct, CONF)) {
            for (InternalRow row : rows) {
                writer.write(row);
            }
        }
        Path spark = writeWithSparksWriteSupport(file("spark.parquet"), rows);

        assertThat(read(direct)).hasSize(rows.size()).containsExactlyElementsOf(read(spark));
        ParquetMetadata directFooter = footer(direct);
        ParquetMetadata sparkFooter = footer(spark);
        assertThat(directFooter.getFileMetaData().getSchema()).isEqualTo(sparkFooter.getFileMetaData().getSchema());
        assertThat(directFooter.getFileMetaData().getKeyValueMetaData()).isEqualTo(sparkFooter.getFileMetaData().getKeyValueMetaData())
                .containsKey("org.apache.spark.sql.parquet.row.metadata");
        assertThat(directFooter.getBlocks()).hasSize(1);
        assertThat(directFooter.getBlocks().get(0).getColumns()).allSatisfy(column -> assertThat(column.getCodec()).isEqualTo(CompressionCodecName.SNAPPY));
    }

    @Test
    void startsANewRowGroupOnceTheBufferedOneIsFull()
            throws IOException
    {
        List<InternalRow> rows = rows(20_000);
        Path direct = file("groups.parquet");
        try (LakeFileWriter writer = new LakeFileWriter(direct, CONF, LakeParquet.format(), CompressionCodecName.SNAPPY, 64 * 1024)) {
            for (InternalRow row : rows) {
                writer.write(row);
            }
        }
        assertThat(footer(direct).getBlocks()).hasSizeGreaterThan(1);
        assertThat(read(direct)).containsExactlyElementsOf(read(writeWithSparksWriteSupport(file("one-group.parquet"), rows)));
    }

    private Path file(String name)
    {
        return new Path(directory.resolve(name).toUri());
    }

    private static List<Row> read(Path file)
    {
        return SPARK.session().read().parquet(file.toString()).orderBy(VerdictColumns.SESSION_ID).collectAsList();
    }

    private static ParquetMetadata footer(Path file)
            throws IOException
    {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, CONF))) {
            return reader.getFooter();
        }
    }

    /** Every lake column filled with varied values, some nullable ones null, times around the epoch and today. */
    private static List<InternalRow> rows(int count)
    {
        Random random = new Random(5);
        List<InternalRow> rows = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            Object[] values = new Object[LakeParquet.DATA_SCHEMA.size()];
            for (int c = 0; c < values.length; c++) {
                String name = LakeParquet.DATA_SCHEMA.fields()[c].name();
                DataType type = LakeParquet.DATA_SCHEMA.fields()[c].dataType();
                if (name.equals(VerdictColumns.SESSION_ID)) {
                    values[c] = UTF8String.fromString(String.format("s-%06d", r));
                }
                else if (random.nextInt(10) == 0) {
                    values[c] = null;
                }
                else if (type == DataTypes.StringType) {
                    values[c] = UTF8String.fromString("v" + random.nextInt(40) + (random.nextInt(50) == 0 ? "é" : ""));
                }
                else if (type == DataTypes.TimestampType) {
                    values[c] = (random.nextBoolean() ? 1_541_116_800_000_000L : -86_400_000_000L) + random.nextInt(1_000_000_000);
                }
                else if (type == DataTypes.LongType) {
                    values[c] = 1_541_116_800_000L + random.nextInt(5_000);
                }
                else if (type == DataTypes.DoubleType) {
                    values[c] = random.nextDouble();
                }
                else if (type == DataTypes.BooleanType) {
                    values[c] = random.nextBoolean();
                }
                else {
                    throw new IllegalStateException("no test values for " + type);
                }
            }
            rows.add(new GenericInternalRow(values));
        }
        return rows;
    }

    /** The lake file as the writer before this one wrote it: Parquet's record writer over Spark's write support. */
    private static Path writeWithSparksWriteSupport(Path file, List<InternalRow> rows)
            throws IOException
    {
        Configuration conf = LakeParquet.configuration(CONF);
        SparkWriteSupportBuilder builder = new SparkWriteSupportBuilder(HadoopOutputFile.fromPath(file, conf))
                .withConf(conf)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY);
        for (String column : ParquetBatchCommit.UNIQUE_COLUMNS) {
            builder = builder.withDictionaryEncoding(column, false);
        }
        try (ParquetWriter<InternalRow> writer = builder.build()) {
            for (InternalRow row : rows) {
                writer.write(row);
            }
        }
        return file;
    }

    private static final class SparkWriteSupportBuilder
            extends ParquetWriter.Builder<InternalRow, SparkWriteSupportBuilder>
    {
        SparkWriteSupportBuilder(HadoopOutputFile file)
        {
            super(file);
        }

        @Override
        protected SparkWriteSupportBuilder self()
        {
            return this;
        }

        @Override
        protected WriteSupport<InternalRow> getWriteSupport(Configuration conf)
        {
            return new ParquetWriteSupport();
        }
    }
}
