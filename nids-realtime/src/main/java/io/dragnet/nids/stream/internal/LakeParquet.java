package io.dragnet.nids.stream.internal;

import io.dragnet.contracts.VerdictColumns;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.Arrays;

/**
 * Lake files written outside a Spark job, by a long-running task: the schema and footer of Spark's own Parquet write
 * support with the settings a Spark write of the lake uses (snappy, INT96 timestamps, no dictionary for the columns of
 * one value per verdict), so readers and the compaction see the same files either way; the values go straight into
 * Parquet's column writers ({@link LakeFileWriter}).
 */
final class LakeParquet
{
    /** The columns inside a day's file: the lake's, without the day its directory names. */
    static final StructType DATA_SCHEMA = new StructType(Arrays.copyOf(LakeRows.SCHEMA.fields(), LakeRows.SCHEMA.size() - 1));

    static {
        if (!LakeRows.SCHEMA.fields()[LakeRows.SCHEMA.size() - 1].name().equals(VerdictColumns.DT)) {
            throw new IllegalStateException("the lake's last column must be " + VerdictColumns.DT);
        }
    }

    private LakeParquet() {}

    static LakeFileWriter create(Path file, Configuration base)
            throws IOException
    {
        return new LakeFileWriter(file, base, Formats.LAKE, CompressionCodecName.SNAPPY, ParquetWriter.DEFAULT_BLOCK_SIZE);
    }

    /** Spark's write support settings for the lake, over {@code base}. */
    static Configuration configuration(Configuration base)
    {
        Configuration conf = new Configuration(base);
        ParquetWriteSupport.setSchema(DATA_SCHEMA, conf);
        conf.set("spark.sql.parquet.writeLegacyFormat", "false");
        conf.set("spark.sql.parquet.outputTimestampType", "INT96");
        conf.set("spark.sql.parquet.fieldId.write.enabled", "false");
        return conf;
    }

    static LakeFileWriter.Format format()
    {
        return Formats.LAKE;
    }

    /** Built on first use, once per JVM: the settings above decide it, not the file system's. */
    private static final class Formats
    {
        static final LakeFileWriter.Format LAKE = LakeFileWriter.Format.of(configuration(new Configuration(false)), DATA_SCHEMA, new ParquetWriteSupport(),
                ParquetBatchCommit.UNIQUE_COLUMNS);
    }
}
