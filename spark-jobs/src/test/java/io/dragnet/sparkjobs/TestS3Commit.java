package io.dragnet.sparkjobs;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.publish.PublishedRunFiles;
import io.dragnet.sparkjobs.internal.CommitManifest;
import io.dragnet.sparkjobs.internal.DirectoryCommit;
import io.dragnet.sparkjobs.internal.Storage;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.LocalS3;
import io.dragnet.testing.SparkFixture;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Directory outputs on a real S3 API: Hadoop's S3A against S3Proxy (transient in-memory blob store, 127.0.0.1,
 * credentials generated for this run). A job's documents and rejects are committed by manifest, readers (the job's
 * own history enrichment among them) resolve them through it, a re-run commits byte-identical objects, and a commit
 * that dies before its manifest leaves the previous output readable and is cleaned up by the next.
 */
@Tag("integration")
class TestS3Commit
{
    private static final String BUCKET = "dragnet-commit";
    private static final String RESULTS = "s3a://" + BUCKET + "/results";

    @RegisterExtension
    @Order(1)
    static final LocalS3 S3 = new LocalS3(BUCKET);
    @RegisterExtension
    @Order(2)
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    private static SparkSession spark;
    private static Storage storage;
    private static DirectoryCommit commit;

    @BeforeAll
    static void configure()
    {
        spark = SPARK.session();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        S3.s3aSettings().forEach(hadoop::set);
        storage = new Storage(hadoop);
        commit = new DirectoryCommit(storage);
    }

    @AfterAll
    static void closeFileSystem()
            throws IOException
    {
        FileSystem.get(URI.create(RESULTS), spark.sparkContext().hadoopConfiguration()).close();
    }

    @Test
    void jobOutputsOnS3AreCommittedByManifestAndARerunCommitsTheSameObjects(@TempDir Path temp)
            throws IOException
    {
        Path lake = temp.resolve("lake");
        Path day = TestSpecs.lakeDay(lake, "zeek_conn", RepositoryPaths.samples().resolve("zeek/conn.log"), false);
        String results = RESULTS + "/job";
        JobSpec earlier = onS3(TestSpecs.conn(day, temp.resolve("unused"), lake, temp.resolve("work"), null), results, "2018-11-01");
        new ExtractionJob(null, StageListener.NONE).execute(spark, earlier);
        new PublishedRunFiles(storage, results).publish(LocalDate.parse(earlier.date()), earlier.runId());
        JobSpec spec = onS3(TestSpecs.conn(day, temp.resolve("unused"), lake, temp.resolve("work"), null), results, TestSpecs.DATE);
        RunMetrics metrics = new ExtractionJob(null, StageListener.NONE).execute(spark, spec);
        String documents = spec.outputs().documents();

        long expected = metrics.matchedPerRule().values().stream().mapToLong(Long::longValue).sum();
        assertThat(expected).isPositive();
        assertThat(read(documents).count()).isEqualTo(expected);
        assertThat(storage.listNames(documents)).as("manifest and its attempt, nothing else")
                .containsExactly(CommitManifest.NAME, commit.manifest(documents).orElseThrow().attempt());
        assertThat(commit.manifest(spec.outputs().rejects())).as("rejects committed too").isPresent();
        assertThat(storage.listNames(Storage.sibling(documents, ""))).as("no staging left").containsExactly("zeek_conn");
        assertThat(read(documents).where("`rule.id` = 'trickbot-449' AND `dragnet.first_seen` IS NOT NULL").count())
                .as("history of 2018-11-01 read through its manifest").isPositive();
        Map<String, byte[]> committed = objects(results, "documents/dt=" + TestSpecs.DATE, "rejects/dt=" + TestSpecs.DATE, "summaries/dt=" + TestSpecs.DATE);

        // a rerun killed after it moved part of its data into a new attempt, before its manifest
        String halfAttempt = Storage.child(Storage.child(documents, "_attempt-0123456789abcdef0123456789abcdef"), "part-00000.snappy.parquet");
        put(halfAttempt, Arrays.copyOf(committed.get(firstDocumentsFile(committed)), 100));
        assertThat(read(documents).count()).as("readers still see the committed output").isEqualTo(expected);

        RunMetrics rerun = new ExtractionJob(null, StageListener.NONE).execute(spark, spec);

        assertThat(rerun.matchedPerRule()).isEqualTo(metrics.matchedPerRule());
        assertThat(storage.exists(halfAttempt)).as("abandoned attempt removed").isFalse();
        Map<String, byte[]> again = objects(results, "documents/dt=" + TestSpecs.DATE, "rejects/dt=" + TestSpecs.DATE, "summaries/dt=" + TestSpecs.DATE);
        assertThat(again.keySet()).isEqualTo(committed.keySet());
        committed.forEach((key, bytes) -> assertThat(again.get(key)).as(key).isEqualTo(bytes));
    }

    @Test
    void commitReplacesAnOlderLayoutAndACrashBeforeTheManifestLeavesThePreviousOutput()
            throws IOException
    {
        String output = RESULTS + "/steps/documents";
        String staging = RESULTS + "/steps/_staging";
        spark.range(5).coalesce(1).write().parquet(output);
        assertThat(commit.readableLocations(output)).as("no manifest: the directory itself").containsExactly(output);
        assertThat(read(output).count()).isEqualTo(5);

        spark.range(10).coalesce(1).write().parquet(Storage.child(staging, "a"));
        commit.commit(Storage.child(staging, "a"), output);
        CommitManifest first = commit.manifest(output).orElseThrow();
        assertThat(read(output).count()).isEqualTo(10);
        assertThat(storage.listNames(output)).as("the older layout's files are gone").containsExactly(CommitManifest.NAME, first.attempt());
        assertThat(storage.exists(Storage.child(staging, "a"))).isFalse();
        assertThat(first.files()).extracting(CommitManifest.DataFile::name).containsExactly("part-00000.snappy.parquet");

        // the first step of a commit of 20 rows, then the job dies: the data is in an attempt, no manifest names it
        spark.range(20).coalesce(1).write().parquet(Storage.child(staging, "b"));
        String crashed = Storage.child(output, "_attempt-ffffffffffffffffffffffffffffffff");
        storage.moveFile(storage.listDataFiles(Storage.child(staging, "b")).get(0).getPath(), Storage.child(crashed, "part-00000.snappy.parquet"));
        assertThat(read(output).count()).isEqualTo(10);

        spark.range(10).coalesce(1).write().mode(SaveMode.Overwrite).parquet(Storage.child(staging, "c"));
        commit.commit(Storage.child(staging, "c"), output);
        assertThat(commit.manifest(output)).as("same content: the same commit").contains(first);
        assertThat(storage.listNames(output)).containsExactly(CommitManifest.NAME, first.attempt());

        spark.range(20).coalesce(1).write().parquet(Storage.child(staging, "d"));
        commit.commit(Storage.child(staging, "d"), output);
        assertThat(read(output).count()).isEqualTo(20);
        assertThat(storage.listNames(output)).as("the older attempt is collected").containsExactly(CommitManifest.NAME, commit.manifest(output).orElseThrow().attempt())
                .doesNotContain(first.attempt());
    }

    private static Dataset<Row> read(String location)
    {
        return spark.read().parquet(commit.readableLocations(location).toArray(String[]::new));
    }

    private static JobSpec onS3(JobSpec spec, String results, String date)
    {
        String source = spec.source().name();
        String run = "run=" + spec.runId();
        JobSpec.Outputs outputs = new JobSpec.Outputs(null, results + "/summaries/dt=" + date + "/" + run,
                results + "/runs/dt=" + date + "/" + run + "/" + source + ".metrics.json",
                results + "/rejects/dt=" + date + "/" + run + "/" + source,
                results + "/" + TestSpecs.documents(date, spec.runId(), source));
        Map<String, String> enrichment = new TreeMap<>(spec.enrichmentData());
        enrichment.put("history", results + "/documents");
        enrichment.put("published", results + "/published");
        return new JobSpec(spec.specVersion(), spec.runId(), date, spec.source(), spec.rules(), spec.iocTables(), enrichment, outputs);
    }

    private static String firstDocumentsFile(Map<String, byte[]> objects)
    {
        List<String> parquet = objects.keySet().stream().filter(key -> key.startsWith("documents/") && key.endsWith(".parquet")).toList();
        assertThat(parquet).isNotEmpty();
        return parquet.get(0);
    }

    /** Every object under the given prefixes of {@code root}, by key relative to it. */
    private static Map<String, byte[]> objects(String root, String... prefixes)
            throws IOException
    {
        Map<String, byte[]> objects = new TreeMap<>();
        for (String prefix : prefixes) {
            org.apache.hadoop.fs.Path directory = Storage.path(Storage.child(root, prefix));
            FileSystem fs = storage.fileSystem(directory);
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(directory, true);
            while (files.hasNext()) {
                org.apache.hadoop.fs.Path file = files.next().getPath();
                try (InputStream in = fs.open(file)) {
                    objects.put(file.toString().substring(root.length() + 1), in.readAllBytes());
                }
            }
        }
        return objects;
    }

    private static void put(String location, byte[] content)
            throws IOException
    {
        org.apache.hadoop.fs.Path path = Storage.path(location);
        try (FSDataOutputStream out = storage.fileSystem(path).create(path, true)) {
            out.write(content);
        }
    }
}
