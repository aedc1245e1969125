package io.dragnet.rules.bench;

import io.dragnet.contracts.JobSpec;
import io.dragnet.rules.Compilation;
import io.dragnet.rules.CompileContext;
import io.dragnet.rules.JobWriter;
import io.dragnet.rules.Locations;
import io.dragnet.rules.RuleCompiler;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.storage.LocalSparkSettings;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

/** What the rule benchmarks share: their local SparkSession, a generated conn day and one timed compile-and-run of a rules folder. */
public final class BenchJobs
{
    public static final LocalDate DAY = LocalDate.parse("2018-11-02");

    private BenchJobs() {}

    static SparkSession start(String appName)
    {
        SparkSession.Builder builder = SparkSession.builder();
        LocalSparkSettings.of(appName, "local[*]", 4).forEach(builder::config);
        SparkSession spark = builder.getOrCreate();
        // Spark logs whole generated plans when a baseline outgrows code generation; the table is the output
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }

    /**
     * A generated day of Zeek-like connection records (columns ts, uid, id.orig_h, id.orig_p, id.resp_h, id.resp_p, proto,
     * user_agent; row {@code id} kept for derived columns): 250 × 250 sources, 16 M destinations, 1,000 ports.
     */
    public static Dataset<Row> connDay(SparkSession spark, long records)
    {
        Column address = expr("concat('10.', cast(pmod(hash(id, 1), 256) as string), '.', cast(pmod(hash(id, 2), 256) as string), '.', cast(pmod(hash(id, 3), 256) as string))");
        return spark.range(records).select(
                col("id"),
                expr("timestamp_seconds(1541116800 + pmod(id, 86400))").as("ts"),
                concat(lit("C"), col("id").cast("string")).as("uid"),
                expr("concat('172.16.', cast(pmod(id, 250) as string), '.', cast(pmod(hash(id, 4), 250) as string))").as("id.orig_h"),
                expr("1024 + pmod(hash(id, 5), 60000)").cast("long").as("id.orig_p"),
                address.as("id.resp_h"),
                expr("pmod(hash(id, 6), 1000)").cast("long").as("id.resp_p"),
                expr("element_at(array('tcp', 'udp'), 1 + pmod(hash(id, 7), 2))").as("proto"),
                expr("concat('Mozilla/5.0 (Windows NT 10.0; Win64; x64) build/', cast(pmod(hash(id, 8), 100000) as string), ' agent-', cast(pmod(hash(id, 9), 5000) as string))")
                        .as("user_agent"));
    }

    /** The issues' day size; smaller runs say so in their note. */
    static final long ISSUE_RECORDS = 10_000_000L;

    /** The note of a benchmark's JSON line: the load average at the end of the run (the host is shared), and a day smaller than the issues ask for. */
    static String hostNote(long records)
    {
        String load;
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (IOException e) {
            load = "unknown";
        }
        return "load average at the end " + load + " (shared host)"
                + (records < ISSUE_RECORDS ? "; the issue asks for " + ISSUE_RECORDS + " records, this run used " + records : "");
    }

    /** Writes {@code sources} as sources.yaml and the rules into {@code folder/rules}, then runs them ({@link #run}); seconds. */
    static double run(SparkSession spark, Path folder, String sources, List<String> rules, Path lake)
            throws IOException
    {
        return run(spark, folder, writeRules(folder, sources, rules), lake).seconds();
    }

    /** Writes {@code sources} as sources.yaml and the rules as rules.yaml into {@code folder/rules}, which it returns. */
    public static Path writeRules(Path folder, String sources, List<String> rules)
            throws IOException
    {
        Path rulesFolder = Files.createDirectories(folder.resolve("rules"));
        Files.writeString(rulesFolder.resolve("sources.yaml"), sources);
        Files.writeString(rulesFolder.resolve("rules.yaml"), String.join("---\n", rules));
        return rulesFolder;
    }

    /** A run's job and its time: compile {@code rulesFolder} into one job (there must be one source), write it, run it. */
    public record Timed(JobSpec spec, double seconds) {}

    public static Timed run(SparkSession spark, Path folder, Path rulesFolder, Path lake)
    {
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(rulesFolder.toString()), new CompileContext(DAY, "bench",
                Locations.normalize(lake.toString()), Locations.normalize(folder.resolve("work").toString()),
                Locations.normalize(folder.resolve("results").toString()), Locations.normalize(folder.resolve("enrichment").toString())));
        if (!compilation.problems().isEmpty()) {
            throw new IllegalStateException(compilation.problems().toString());
        }
        new JobWriter(new LocalObjectStore()).write(compilation);
        JobSpec spec = compilation.jobs().get(0).spec();
        long start = System.nanoTime();
        new ExtractionJob(null, StageListener.NONE).execute(spark, spec);
        return new Timed(spec, (System.nanoTime() - start) / 1e9);
    }
}
