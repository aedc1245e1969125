package io.dragnet.statemachine;

import io.dragnet.contracts.GenerateJobsResult;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.rules.GenerateJobs;
import io.dragnet.rules.GenerateJobsRequest;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.LocalS3;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.SparkSession;
import org.jclouds.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EMR step jar on a real cluster, not only {@code local[*]}: a Spark standalone master and two one-core workers
 * in JVMs of their own, the jar submitted with Spark's own SparkSubmit as EMR's command-runner does, reading the lake
 * from S3Proxy (in-memory, 127.0.0.1, credentials made for this run) through Hadoop's S3A. The specs name the lake
 * {@code s3://…} as GenerateJobs writes them on AWS; the cluster maps {@code s3://} to S3A as EMR maps it to EMRFS. Each sample
 * source's job spec, compiled from samples/rules, must give the same hits per rule and the same summaries as the same
 * job run in-process on a local session over the lake on disk: a closure, UDF or broadcast table that only works in
 * one JVM fails here. OpenSearch is disabled for both runs ({@code OPENSEARCH_AUTH=disabled}): hits are compared
 * through each run's metrics and summaries.
 */
@Tag("integration")
final class TestStandaloneSparkCluster
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final String BUCKET = "dragnet-lake";
    private static final Path REPOSITORY = RepositoryPaths.root();

    @TempDir
    static Path temp;

    @RegisterExtension
    static final LocalS3 S3 = new LocalS3(BUCKET);

    private static StandaloneSparkCluster cluster;
    private static Path emrJar;

    @BeforeAll
    static void start()
            throws Exception
    {
        emrJar = emrJar();
        Path lake = temp.resolve("lake");
        for (String log : List.of("conn", "dns", "http", "ssl")) {
            Path day = Files.createDirectories(lake.resolve("zeek_" + log).resolve("dt=" + DAY));
            Files.copy(REPOSITORY.resolve("samples/zeek").resolve(log + ".log"), day.resolve(log + ".log"));
        }

        BlobStore blobs = S3.blobStore();
        try (Stream<Path> files = Files.walk(lake)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = "lake/" + lake.relativize(file).toString().replace('\\', '/');
                blobs.putBlob(BUCKET, blobs.blobBuilder(key).payload(Files.readAllBytes(file)).build());
            }
        }

        cluster = StandaloneSparkCluster.start(temp.resolve("cluster"), 2, "1g");
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everySampleSourceGivesTheLocalHitsOnTheClusterReadingTheLakeFromS3()
            throws Exception
    {
        GenerateJobsResult local = generate(temp.resolve("lake").toUri().toString(), "local", true);
        Map<String, RunMetrics> localMetrics = new TreeMap<>();
        SparkSession spark = SparkFixture.start();
        try {
            for (GenerateJobsResult.Job job : local.jobs()) {
                localMetrics.put(job.source(), new ExtractionJob(null, StageListener.NONE).execute(spark, spec(job)));
            }
        }
        finally {
            spark.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
        assertThat(localMetrics.keySet()).containsExactly("zeek_conn", "zeek_dns", "zeek_http", "zeek_ssl");

        GenerateJobsResult onS3 = generate("s3://" + BUCKET + "/lake", "cluster", false);
        Map<String, RunMetrics> clusterMetrics = new TreeMap<>();
        for (GenerateJobsResult.Job job : onS3.jobs()) {
            if (!localMetrics.containsKey(job.source())) {
                continue;
            }
            JobSpec spec = spec(job);
            assertThat(spec.source().location()).startsWith("s3://" + BUCKET + "/lake/" + job.source());
            Path log = temp.resolve("submit-" + job.source() + ".log");
            int exit = cluster.submit(submitArguments(job.specLocation()), Map.of("OPENSEARCH_AUTH", "disabled"), log);
            assertThat(exit).as("spark-submit of %s; its log:%n%s", job.source(), Files.readString(log)).isZero();
            clusterMetrics.put(job.source(), Json.read(Path.of(URI.create(spec.outputs().metrics())), RunMetrics.class));
        }

        assertThat(clusterMetrics.keySet()).isEqualTo(localMetrics.keySet());
        long hits = 0;
        for (String source : localMetrics.keySet()) {
            RunMetrics expected = localMetrics.get(source);
            RunMetrics actual = clusterMetrics.get(source);
            assertThat(actual.recordsRead()).as(source + " records read").isEqualTo(expected.recordsRead()).isPositive();
            assertThat(actual.recordsRejected()).as(source + " records rejected").isEqualTo(expected.recordsRejected());
            assertThat(actual.matchedPerRule()).as(source + " hits per rule").isEqualTo(expected.matchedPerRule());
            hits += expected.matchedPerRule().values().stream().mapToLong(Long::longValue).sum();
        }
        assertThat(hits).as("hits over all sample sources").isPositive();
        assertThat(summaries(temp.resolve("cluster-results"))).as("summaries").isEqualTo(summaries(temp.resolve("local-results"))).isNotEmpty();
        try (Stream<Path> applications = Files.list(temp.resolve("cluster/worker-1"))) {
            assertThat(applications.map(path -> path.getFileName().toString())).as("applications whose executors ran on worker 1").isNotEmpty();
        }
    }

    private static GenerateJobsResult generate(String lakeLocation, String name, boolean skipSourcesWithoutData)
    {
        return GenerateJobs.run(new GenerateJobsRequest(DAY, "run-" + name, REPOSITORY.resolve("samples/rules").toUri().toString(),
                temp.resolve(name + "-work").toUri().toString(), lakeLocation, temp.resolve(name + "-results").toUri().toString(),
                REPOSITORY.resolve("samples/enrichment").toUri().toString(), skipSourcesWithoutData));
    }

    private static JobSpec spec(GenerateJobsResult.Job job)
    {
        return Json.read(Path.of(URI.create(job.specLocation())), JobSpec.class);
    }

    private static List<String> submitArguments(String specLocation)
    {
        String jvmFlags = String.join(" ", StandaloneSparkCluster.sparkJvmFlags());
        List<String> arguments = new ArrayList<>(List.of(
                "--master", cluster.masterUrl(),
                "--deploy-mode", "client",
                "--class", "io.dragnet.sparkjobs.ExtractionJob",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.cores.max=2",
                "--conf", "spark.executor.cores=1",
                "--conf", "spark.executor.memory=768m",
                "--conf", "spark.sql.shuffle.partitions=4",
                "--conf", "spark.sql.session.timeZone=UTC",
                "--conf", "spark.executor.extraJavaOptions=" + jvmFlags,
                "--conf", "spark.hadoop.fs.s3.impl=org.apache.hadoop.fs.s3a.S3AFileSystem"));
        S3.s3aSettings().forEach((key, value) -> arguments.addAll(List.of("--conf", "spark.hadoop." + key + "=" + value)));
        arguments.add(emrJar.toString());
        arguments.add("--spec");
        arguments.add(specLocation);
        return arguments;
    }

    /** Every summary file under {@code <results>/summaries}, by its relative path without the run's folder (the two runs differ in id), with its content. */
    private static Map<String, String> summaries(Path results)
            throws IOException
    {
        Path root = results.resolve("summaries");
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path file : paths.filter(Files::isRegularFile).filter(path -> path.toString().endsWith(".csv")).toList()) {
                files.put(root.relativize(file).toString().replaceFirst("/run=[^/]+/", "/"), Files.readString(file));
            }
        }
        return files;
    }

    /** The shaded step jar that `mvn package` builds in spark-jobs (what gets uploaded for EMR). */
    private static Path emrJar()
            throws IOException
    {
        Path target = REPOSITORY.resolve("spark-jobs/target");
        try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(file -> file.getFileName().toString().matches("spark-jobs-.*-emr\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no spark-jobs-*-emr.jar in " + target + ": run the tests with `mvn verify` (it packages spark-jobs first)"));
        }
    }
}
