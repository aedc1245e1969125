package io.dragnet.cost.ledger;

import io.dragnet.cost.LedgerRow;
import io.dragnet.storage.OwnerOnly;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ledger row as a one-row Parquet file (parquet-mr's example Group writer, no Avro). Money columns are
 * DECIMAL(18,2) on INT64, so Spark and Athena read exact cents.
 */
public final class ParquetLedgerFile
{
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message ledger_row {
              required binary run_id (STRING);
              required binary date (STRING);
              required binary status (STRING);
              optional binary cluster_id (STRING);
              required boolean estimate;
              required boolean still_running;
              optional binary recorded_at (STRING);
              optional binary cluster_created_at (STRING);
              optional binary cluster_ended_at (STRING);
              required int64 duration_seconds;
              optional binary fleet (STRING);
              required int64 on_demand_instance_seconds;
              required int64 spot_instance_seconds;
              optional binary instance_seconds (STRING);
              required int64 ec2_cost (DECIMAL(18,2));
              required int64 emr_cost (DECIMAL(18,2));
              required int64 ebs_cost (DECIMAL(18,2));
              required int64 total_cost (DECIMAL(18,2));
              required int64 on_demand_cost (DECIMAL(18,2));
              required int64 savings (DECIMAL(18,2));
              required int64 savings_percent (DECIMAL(18,1));
              required int32 spot_interruptions;
              required int64 records_processed;
              optional int64 cost_per_million_records (DECIMAL(18,4));
              optional binary step_durations (STRING);
              optional binary currency (STRING);
              optional binary price_source (STRING);
              optional binary error (STRING);
              optional binary cause (STRING);
              optional binary note (STRING);
              optional binary execution_id (STRING);
              repeated binary problems (STRING);
            }
            """);

    private static final Map<String, Integer> DECIMAL_SCALES = Map.of(
            "ec2_cost", 2, "emr_cost", 2, "ebs_cost", 2, "total_cost", 2, "on_demand_cost", 2, "savings", 2,
            "savings_percent", 1, "cost_per_million_records", 4);

    private ParquetLedgerFile() {}

    public static void write(Path file, LedgerRow row)
    {
        try {
            OwnerOnly.createDirectories(file.getParent());
            Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            Group group = new SimpleGroupFactory(SCHEMA).newGroup();
            for (Map.Entry<String, Object> cell : row.toMap().entrySet()) {
                Object value = cell.getValue();
                String column = cell.getKey();
                if (value == null) {
                    continue;
                }
                if (DECIMAL_SCALES.containsKey(column)) {
                    group.add(column, ((BigDecimal) value).setScale(DECIMAL_SCALES.get(column)).unscaledValue().longValueExact());
                }
                else if (value instanceof Boolean bool) {
                    group.add(column, bool);
                }
                else if (value instanceof Integer integer) {
                    group.add(column, integer);
                }
                else if (value instanceof Long number) {
                    group.add(column, number);
                }
                else if (value instanceof List<?> values) {
                    values.forEach(element -> group.add(column, element.toString()));
                }
                else {
                    group.add(column, value.toString());
                }
            }
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(temp.toUri()))
                    .withConf(configuration())
                    .withType(SCHEMA)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .build()) {
                writer.write(group);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The Parquet file of one row, as bytes (written through a temp file: parquet-mr writes to a file system). */
    public static byte[] bytes(LedgerRow row)
    {
        try {
            Path directory = Files.createTempDirectory("dragnet-ledger-");
            Path file = directory.resolve("row.parquet");
            try {
                write(file, row);
                return Files.readAllBytes(file);
            }
            finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(directory);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the Parquet ledger row of " + row.runId() + ": " + e.getMessage(), e);
        }
    }

    /** Reads the rows of a ledger Parquet file back as column → value (decimals as BigDecimal). */
    public static List<Map<String, Object>> read(Path file)
    {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri())).withConf(configuration()).build()) {
            for (Group group = reader.read(); group != null; group = reader.read()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < SCHEMA.getFieldCount(); i++) {
                    String column = SCHEMA.getFieldName(i);
                    if (SCHEMA.getType(i).isRepetition(org.apache.parquet.schema.Type.Repetition.REPEATED)) {
                        List<String> values = new ArrayList<>();
                        for (int at = 0; at < group.getFieldRepetitionCount(i); at++) {
                            values.add(group.getString(i, at));
                        }
                        row.put(column, values);
                        continue;
                    }
                    if (group.getFieldRepetitionCount(i) == 0) {
                        row.put(column, null);
                        continue;
                    }
                    row.put(column, switch (SCHEMA.getType(i).asPrimitiveType().getPrimitiveTypeName()) {
                        case INT64 -> DECIMAL_SCALES.containsKey(column) ? BigDecimal.valueOf(group.getLong(i, 0), DECIMAL_SCALES.get(column)) : (Object) group.getLong(i, 0);
                        case INT32 -> group.getInteger(i, 0);
                        case BOOLEAN -> group.getBoolean(i, 0);
                        default -> group.getString(i, 0);
                    });
                }
                rows.add(row);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static Configuration configuration()
    {
        Configuration configuration = new Configuration(false);
        // The raw local file system writes no .crc side files next to the ledger.
        configuration.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
        configuration.setBoolean("fs.file.impl.disable.cache", true);
        configuration.set(OwnerOnly.HADOOP_UMASK, OwnerOnly.UMASK);
        return configuration;
    }
}
