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
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.time.LocalDate;

/** What the rule benchmarks share: their local SparkSession and one timed compile-and-run of a rules folder. */
final class BenchJobs
{
    static final LocalDate DAY = LocalDate.parse("2018-11-02");

    private BenchJobs() {}

    static SparkSession start(String appName)
    {
        SparkSession spark = SparkSession.builder()
                .master("local[*]")
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        // Spark logs whole generated plans when a baseline outgrows code generation; the table is the output
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }

    /** A run's job and its time: compile {@code rulesFolder} into one job (there must be one source), write it, run it. */
    record Timed(JobSpec spec, double seconds) {}

    static Timed run(SparkSession spark, Path folder, Path rulesFolder, Path lake)
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
