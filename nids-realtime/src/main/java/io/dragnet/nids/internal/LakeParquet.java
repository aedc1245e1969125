package io.dragnet.nids.internal;

import io.dragnet.contracts.VerdictColumns;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.Arrays;

/**
 * Lake files written outside a Spark job, by a long-running task: Spark's own Parquet write support over Spark's
 * internal rows, with the settings a Spark write of the lake uses (snappy, INT96 timestamps, no dictionary for the
 * columns of one value per verdict), so readers and the compaction see the same files either way.
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

    static ParquetWriter<InternalRow> create(Path file, Configuration base)
            throws IOException
    {
        Configuration conf = new Configuration(base);
        ParquetWriteSupport.setSchema(DATA_SCHEMA, conf);
        conf.set("spark.sql.parquet.writeLegacyFormat", "false");
        conf.set("spark.sql.parquet.outputTimestampType", "INT96");
        conf.set("spark.sql.parquet.fieldId.write.enabled", "false");
        Builder builder = new Builder(HadoopOutputFile.fromPath(file, conf))
                .withConf(conf)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY);
        for (String column : ParquetBatchCommit.UNIQUE_COLUMNS) {
            builder = builder.withDictionaryEncoding(column, false);
        }
        return builder.build();
    }

    private static final class Builder
            extends ParquetWriter.Builder<InternalRow, Builder>
    {
        Builder(HadoopOutputFile file)
        {
            super(file);
        }

        @Override
        protected Builder self()
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
