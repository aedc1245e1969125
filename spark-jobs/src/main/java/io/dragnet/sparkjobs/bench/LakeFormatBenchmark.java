package io.dragnet.sparkjobs.bench;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.contracts.ScanFields;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.sparkjobs.lake.ImportSummary;
import io.dragnet.sparkjobs.lake.ZeekLakeImporter;
import io.dragnet.storage.BenchmarkHost;
import io.dragnet.storage.BenchmarkResults;
import io.dragnet.storage.FileTrees;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The same extraction job (the five rules of {@link ExtractionBenchmark}, 100 k-address IoC table, each rule's documents
 * showing the connection's addresses, ports, protocol and service as the sample rules' output fields do) over one
 * generated Zeek conn day: as the raw TSV files, and as the typed Parquet day {@code dragnet lake import} makes of them,
 * which the job reads only in the columns its rules need. A third variant runs the rules without output fields over the
 * Parquet day (documents keep the whole record, so every column is read), to show what the column pruning itself
 * saves. The variants alternate over the rounds; each keeps its best round. Also times the import itself (paid once per
 * day) and compares the bytes. Prints a table and a JSON line.
 *
 * <p>{@code java ${spark.jvm.flags} -Xmx3g -cp <classpath> io.dragnet.sparkjobs.bench.LakeFormatBenchmark [--records N] [--rounds N] [--dir D]}
 */
public final class LakeFormatBenchmark
{
    private static final List<String> OUTPUT_FIELDS = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service");

    private LakeFormatBenchmark() {}

    public static void main(String[] args)
            throws IOException
    {
        long records = Long.parseLong(ExtractionBenchmark.option(args, "--records", "2000000"));
        int rounds = Integer.parseInt(ExtractionBenchmark.option(args, "--rounds", "2"));
        int iocCount = 100_000;
        Path directory = Path.of(ExtractionBenchmark.option(args, "--dir", "target/lake-format-benchmark")).toAbsolutePath();
        BenchmarkHost host = BenchmarkHost.current();

        FileTrees.deleteRecursively(directory);
        Path textDay = directory.resolve("text-lake/zeek_conn/dt=2018-11-02");
        Path iocFile = directory.resolve("iocs.csv");
        Path nets = directory.resolve("nets.csv");
        Files.createDirectories(directory);
        List<String> iocs = ConnDayGenerator.iocAddresses(iocCount, 7);
        ConnDayGenerator.writeIocs(iocFile, iocs);
        ConnDayGenerator.writeIocs(nets, List.of("199.227.126.0/24", "10.99.0.0/16", "185.0.0.0/12", "23.63.78.0/24", "203.0.113.7/32"));
        ConnDayGenerator.writeDay(textDay, records, 8, iocs, 11);

        long importStart = System.nanoTime();
        ImportSummary imported = new ZeekLakeImporter(Map.of()).importLogs(textDay, directory.resolve("parquet-lake"), ZeekLakeImporter.Selection.ALL);
        double importSeconds = ExtractionBenchmark.seconds(importStart);
        if (!imported.complete() || imported.records() != records) {
            throw new IllegalStateException("the import did not take every generated record: " + imported);
        }
        Path parquetDay = directory.resolve("parquet-lake/zeek_conn/dt=2018-11-02");

        JobSpec wholeRecordTextSpec = ExtractionBenchmark.spec(directory, textDay, iocFile, nets, iocCount);
        JobSpec textSpec = withOutputFields(wholeRecordTextSpec, OUTPUT_FIELDS);
        JobSpec parquetSpec = onDay(textSpec, parquetDay);
        JobSpec wholeRecordParquetSpec = onDay(wholeRecordTextSpec, parquetDay);

        SparkSession spark = ExtractionBenchmark.session("dragnet-lake-format-benchmark", host.cores());
        try {
            List<String> columns = List.of(spark.read().parquet(parquetDay.toUri().toString()).columns());
            List<String> read = ScanFields.needed(parquetSpec, columns).orElseThrow(() -> new IllegalStateException("the rules with output fields read every column"));
            List<Double> textRounds = new ArrayList<>();
            List<Double> parquetRounds = new ArrayList<>();
            List<Double> wholeRecordRounds = new ArrayList<>();
            RunMetrics textMetrics = null;
            RunMetrics parquetMetrics = null;
            RunMetrics wholeRecordMetrics = null;
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                textMetrics = new ExtractionJob(null, StageListener.NONE).execute(spark, textSpec);
                textRounds.add(ExtractionBenchmark.round(ExtractionBenchmark.seconds(start)));
                start = System.nanoTime();
                parquetMetrics = new ExtractionJob(null, StageListener.NONE).execute(spark, parquetSpec);
                parquetRounds.add(ExtractionBenchmark.round(ExtractionBenchmark.seconds(start)));
                start = System.nanoTime();
                wholeRecordMetrics = new ExtractionJob(null, StageListener.NONE).execute(spark, wholeRecordParquetSpec);
                wholeRecordRounds.add(ExtractionBenchmark.round(ExtractionBenchmark.seconds(start)));
            }
            for (RunMetrics other : List.of(parquetMetrics, wholeRecordMetrics)) {
                if (!textMetrics.matchedPerRule().equals(other.matchedPerRule()) || textMetrics.recordsRead() != other.recordsRead()) {
                    throw new IllegalStateException("the forms of the day disagree: TSV " + textMetrics.matchedPerRule() + " / " + textMetrics.recordsRead()
                            + " records, Parquet " + other.matchedPerRule() + " / " + other.recordsRead());
                }
            }
            double textBest = best(textRounds);
            double parquetBest = best(parquetRounds);

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("benchmark", "lake-format");
            result.put("records", records);
            result.put("rules", textSpec.rules().size());
            result.put("iocs", iocCount);
            result.put("tsv_bytes", bytes(textDay));
            result.put("parquet_bytes", bytes(parquetDay));
            result.put("import_seconds", ExtractionBenchmark.round(importSeconds));
            result.put("import_records_per_second", Math.round(records / importSeconds));
            result.put("columns", columns.size());
            result.put("columns_read", read.size());
            result.put("tsv_job_seconds", textRounds);
            result.put("parquet_job_seconds", parquetRounds);
            result.put("parquet_all_columns_job_seconds", wholeRecordRounds);
            result.put("tsv_scan_stage_seconds", ExtractionBenchmark.round(textMetrics.stages().get(0).durationMillis() / 1000.0));
            result.put("parquet_scan_stage_seconds", ExtractionBenchmark.round(parquetMetrics.stages().get(0).durationMillis() / 1000.0));
            result.put("tsv_over_parquet", ExtractionBenchmark.round(textBest / parquetBest));
            result.put("all_columns_over_pruned", ExtractionBenchmark.round(best(wholeRecordRounds) / parquetBest));
            result.put("matched_per_rule", parquetMetrics.matchedPerRule());
            result.put("note", "load average " + BenchmarkHost.loadAverage());
            ExtractionBenchmark.printTable(result);
            BenchmarkResults.record(result, "LakeFormatBenchmark " + String.join(" ", args), new PrintWriter(System.out, true));
        }
        finally {
            spark.stop();
        }
    }

    private static double best(List<Double> rounds)
    {
        return rounds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    /** The spec with every rule's documents showing {@code fields} of the record. */
    private static JobSpec withOutputFields(JobSpec spec, List<String> fields)
    {
        List<JobSpec.RuleSpec> rules = spec.rules().stream()
                .map(rule -> new JobSpec.RuleSpec(rule.id(), rule.title(), rule.topic(), rule.severity(), rule.tags(), rule.predicate(), rule.timeWindow(),
                        rule.enrich(), fields, rule.summaryGroupBy()))
                .toList();
        return spec.withRules(rules);
    }

    /** The spec over another copy of its day. */
    private static JobSpec onDay(JobSpec spec, Path day)
    {
        return spec.withSourceLocation(day.toUri().toString());
    }

    private static long bytes(Path directory)
            throws IOException
    {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }
}
