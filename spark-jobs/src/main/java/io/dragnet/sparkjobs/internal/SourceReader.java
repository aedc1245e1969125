package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.ScanFields;
import io.dragnet.contracts.VerdictColumns;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;

/**
 * Reads the day partition of a source as typed rows plus reject and tally rows ({@link ScanColumns}).
 * Zeek TSV files are grouped by their header (a day normally has one) and each group is parsed with its own
 * #fields/#types; gzip is decompressed by file extension. Fields the spec declares but the data lacks become nulls.
 */
public final class SourceReader
{
    private SourceReader() {}

    /**
     * Reads the spec's source day. A columnar day is read only in the columns the spec's rules need
     * ({@link ScanFields#needed}); a text day is parsed whole.
     */
    public static SourceScan read(SparkSession spark, Storage storage, JobSpec spec)
    {
        JobSpec.SourceSpec source = spec.source();
        List<FileStatus> files = storage.listDataFiles(source.location());
        String format = columnarDay(source, files) ? "parquet" : source.format().toLowerCase(Locale.ROOT);
        long bytes = files.stream().mapToLong(FileStatus::getLen).sum();
        SourceScan scan = switch (format) {
            case "zeek_tsv" -> zeekTsv(spark, storage, files, bytes);
            case "zeek_json", "jsonl", "json" -> lines(spark, files, bytes, new JsonLineParser(names(source), types(source)));
            case "csv" -> csv(spark, storage, source, files, bytes);
            case "parquet" -> parquet(spark, spec, files, bytes);
            default -> throw DragnetException.user("source " + source.name() + ": format '" + source.format() + "' is not supported; expected zeek_tsv, zeek_json, parquet, csv or jsonl");
        };
        return withDeclaredFields(scan, source);
    }

    /**
     * A day that {@code dragnet lake import} wrote as typed Parquet is read as Parquet whatever text format the source
     * declares: the text was parsed once, at import. A day must not mix the two forms.
     */
    static boolean columnarDay(JobSpec.SourceSpec source, List<FileStatus> files)
    {
        long parquet = files.stream().filter(file -> file.getPath().getName().endsWith(".parquet")).count();
        if (parquet > 0 && parquet < files.size()) {
            String text = files.stream().map(file -> file.getPath().getName()).filter(name -> !name.endsWith(".parquet")).findFirst().orElseThrow();
            throw DragnetException.user("source " + source.name() + ": " + source.location() + " holds both imported Parquet parts and text files such as " + text
                    + "; expected one form per day: import the text files with 'dragnet lake import' or remove them");
        }
        return parquet > 0;
    }

    private static SourceScan zeekTsv(SparkSession spark, Storage storage, List<FileStatus> files, long bytes)
    {
        Map<List<String>, List<String>> pathsByFields = new LinkedHashMap<>();
        Map<List<String>, ZeekHeader> headers = new LinkedHashMap<>();
        for (FileStatus file : files) {
            String path = file.getPath().toString();
            ZeekHeader header = ZeekHeader.parse(storage.readLeadingComments(file.getPath()), path);
            List<String> key = new ArrayList<>(header.fields());
            key.addAll(header.types());
            headers.putIfAbsent(key, header);
            pathsByFields.computeIfAbsent(key, ignored -> new ArrayList<>()).add(path);
        }
        if (files.isEmpty()) {
            throw DragnetException.user("no Zeek log files found");
        }
        Dataset<Row> union = null;
        Map<String, FieldType> schema = new LinkedHashMap<>();
        for (Map.Entry<List<String>, List<String>> group : pathsByFields.entrySet()) {
            ZeekTsvLineParser parser = new ZeekTsvLineParser(headers.get(group.getKey()));
            Dataset<Row> parsed = parse(spark, group.getValue(), parser);
            for (int i = 0; i < parser.fields().size(); i++) {
                schema.putIfAbsent(parser.fields().get(i), parser.types().get(i));
            }
            union = union == null ? parsed : union.unionByName(parsed, true);
        }
        return new SourceScan(union, schema, bytes, files.size(), true);
    }

    private static SourceScan csv(SparkSession spark, Storage storage, JobSpec.SourceSpec source, List<FileStatus> files, long bytes)
    {
        if (files.isEmpty()) {
            throw DragnetException.user("source " + source.name() + ": no CSV files in " + source.location());
        }
        Map<String, FieldType> declared = declared(source);
        Dataset<Row> union = null;
        Map<String, FieldType> schema = new LinkedHashMap<>();
        Map<String, List<String>> pathsByHeader = new LinkedHashMap<>();
        for (FileStatus file : files) {
            pathsByHeader.computeIfAbsent(storage.readFirstLine(file.getPath()), ignored -> new ArrayList<>()).add(file.getPath().toString());
        }
        for (Map.Entry<String, List<String>> group : pathsByHeader.entrySet()) {
            List<String> columns = List.of(group.getKey().split(",", -1)).stream().map(name -> name.trim().replaceAll("^\"|\"$", "")).toList();
            List<FieldType> types = columns.stream().map(name -> declared.getOrDefault(name, FieldType.STRING)).toList();
            CsvLineParser parser = new CsvLineParser(group.getKey(), columns, types);
            for (int i = 0; i < columns.size(); i++) {
                schema.putIfAbsent(columns.get(i), types.get(i));
            }
            Dataset<Row> parsed = parse(spark, group.getValue(), parser);
            union = union == null ? parsed : union.unionByName(parsed, true);
        }
        return new SourceScan(union, schema, bytes, files.size(), true);
    }

    private static SourceScan lines(SparkSession spark, List<FileStatus> files, long bytes, LineParser parser)
    {
        Map<String, FieldType> schema = new LinkedHashMap<>();
        for (int i = 0; i < parser.fields().size(); i++) {
            schema.put(parser.fields().get(i), parser.types().get(i));
        }
        List<String> paths = files.stream().map(file -> file.getPath().toString()).toList();
        Dataset<Row> rows = paths.isEmpty() ? spark.createDataFrame(List.of(), ScanColumns.schema(parser.fields(), parser.types())) : parse(spark, paths, parser);
        return new SourceScan(rows, schema, bytes, files.size(), true);
    }

    private static SourceScan parquet(SparkSession spark, JobSpec spec, List<FileStatus> files, long bytes)
    {
        JobSpec.SourceSpec source = spec.source();
        // the parts of one day come from different files (hours, TSV and JSON), whose columns may differ
        Dataset<Row> data = spark.read().option("mergeSchema", "true").parquet(source.location());
        List<String> columns = List.of(data.columns());
        Optional<List<String>> needed = ScanFields.needed(spec, available(columns, source));
        Map<String, FieldType> declared = declared(source);
        if (needed.isPresent()) {
            // a needed field the parts lack is a declared one: null, as an unpruned scan makes it
            data = data.select(needed.get().stream()
                    .map(field -> columns.contains(field) ? Columns.field(field) : lit(null).cast(declared.get(field).sparkType()).as(field))
                    .toArray(Column[]::new));
        }
        Map<String, FieldType> schema = new LinkedHashMap<>();
        for (StructField field : data.schema().fields()) {
            schema.put(field.name(), declared.getOrDefault(field.name(), fromSpark(field)));
        }
        Dataset<Row> rows = data
                .withColumn(ScanColumns.KIND, lit(ScanColumns.RECORD))
                .withColumn(ScanColumns.FILE, lit(null).cast("string"))
                .withColumn(ScanColumns.REASON, lit(null).cast("string"))
                .withColumn(ScanColumns.RAW, lit(null).cast("string"))
                .withColumn(ScanColumns.READ, lit(null).cast("long"))
                .withColumn(ScanColumns.REJECTED, lit(null).cast("long"));
        return new SourceScan(rows, schema, bytes, files.size(), false, needed.isPresent());
    }

    /** The day's columns, then the declared fields it lacks. */
    private static List<String> available(List<String> columns, JobSpec.SourceSpec source)
    {
        List<String> available = new ArrayList<>(columns);
        source.fields().stream().map(JobSpec.FieldSpec::name).filter(name -> !available.contains(name)).forEach(available::add);
        return available;
    }

    private static FieldType fromSpark(StructField field)
    {
        return switch (field.dataType().typeName()) {
            case "long", "integer", "short", "byte" -> FieldType.LONG;
            case "double", "float" -> FieldType.DOUBLE;
            case "boolean" -> FieldType.BOOLEAN;
            case "timestamp", "timestamp_ntz" -> FieldType.TIMESTAMP;
            default -> FieldType.STRING;
        };
    }

    private static Dataset<Row> parse(SparkSession spark, List<String> paths, LineParser parser)
    {
        StructType schema = ScanColumns.schema(parser.fields(), parser.types());
        Dataset<Row> lines = spark.read().text(paths.toArray(String[]::new)).select(col("value"), input_file_name().as("file"));
        return lines.mapPartitions(new ParseLines(parser), Encoders.row(schema));
    }

    /**
     * One row per session: a session re-scored after the stream lost its checkpoint lands again (in another file, or
     * another part of the day) and must not become a second hit. The latest scoring wins; ties go to the higher score.
     */
    static Dataset<Row> latestVerdictPerSession(Dataset<Row> rows)
    {
        Column[] identity = VerdictColumns.IDENTITY.stream().map(Columns::field).toArray(Column[]::new);
        WindowSpec perSession = Window.partitionBy(identity)
                .orderBy(Columns.field(VerdictColumns.SCORED_AT).desc_nulls_last(), Columns.field(VerdictColumns.SCORE).desc_nulls_last());
        Column isRecord = col(ScanColumns.KIND).equalTo(lit(ScanColumns.RECORD));
        Dataset<Row> latest = rows.where(isRecord).withColumn("_session_rank", row_number().over(perSession)).where(col("_session_rank").equalTo(1)).drop("_session_rank");
        return latest.unionByName(rows.where(not(isRecord)));
    }

    private static SourceScan withDeclaredFields(SourceScan scan, JobSpec.SourceSpec source)
    {
        Dataset<Row> rows = scan.rows();
        Map<String, FieldType> schema = new LinkedHashMap<>(scan.schema());
        for (JobSpec.FieldSpec field : source.fields()) {
            // a pruned scan lacks the fields no rule reads on purpose
            if (!schema.containsKey(field.name()) && !scan.pruned()) {
                FieldType type = FieldType.of(field.type());
                schema.put(field.name(), type);
                Column missing = lit(null).cast(type.sparkType());
                rows = rows.withColumn(field.name(), missing);
            }
        }
        if (VerdictColumns.isVerdictSource(schema.keySet())) {
            rows = latestVerdictPerSession(rows);
        }
        return new SourceScan(rows, schema, scan.bytes(), scan.files(), scan.countedByTally(), scan.pruned());
    }

    private static Map<String, FieldType> declared(JobSpec.SourceSpec source)
    {
        Map<String, FieldType> declared = new LinkedHashMap<>();
        for (JobSpec.FieldSpec field : source.fields()) {
            declared.put(field.name(), FieldType.of(field.type()));
        }
        return declared;
    }

    private static List<String> names(JobSpec.SourceSpec source)
    {
        if (source.fields().isEmpty()) {
            throw DragnetException.user("source " + source.name() + ": format " + source.format() + " needs the fields declared in the job spec");
        }
        return source.fields().stream().map(JobSpec.FieldSpec::name).toList();
    }

    private static List<FieldType> types(JobSpec.SourceSpec source)
    {
        return source.fields().stream().map(field -> FieldType.of(field.type())).toList();
    }
}
