package io.dragnet.sparkjobs.lake;

import io.dragnet.contracts.ImportSpec;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.LocalS3;
import io.dragnet.testing.SparkFixture;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The import step on a real S3 API: {@link LakeImportJob} through Hadoop's S3A against S3Proxy (127.0.0.1, credentials
 * generated for the run), raw logs with Zeek's rotated names (colons included) under {@code raw/zeek/<day>/}. The lake
 * objects it puts are the parts {@code dragnet lake import} writes from the same files, byte for byte; a re-run puts
 * the same objects again; a cut gzip fails the day naming the file and puts nothing of it.
 */
@Tag("integration")
class TestLakeImportJobOnS3
{
    private static final String BUCKET = "dragnet-import";
    private static final String DAY = "2018-11-02";

    @RegisterExtension
    @Order(1)
    static final LocalS3 S3 = new LocalS3(BUCKET);
    @RegisterExtension
    @Order(2)
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    private static SparkSession spark;

    @BeforeAll
    static void configure()
    {
        spark = SPARK.session();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        S3.s3aSettings().forEach(hadoop::set);
    }

    @AfterAll
    static void closeFileSystem()
            throws IOException
    {
        FileSystem.get(URI.create("s3a://" + BUCKET + "/"), spark.sparkContext().hadoopConfiguration()).close();
    }

    @Test
    void importsTheRawDayFromS3IntoTheLakeAsLakeImportDoes(@TempDir Path temp)
            throws IOException
    {
        Path samples = RepositoryPaths.samples().resolve("zeek");
        Path raw = Files.createDirectories(temp.resolve("raw/" + DAY + "/sensor-a"));
        Files.write(raw.resolve("conn.00:00:00-01:00:00.log.gz"), gzip(Files.readAllBytes(samples.resolve("conn.log"))));
        Files.copy(samples.resolve("dns.log"), raw.resolve("dns.00:00:00-01:00:00.log"));
        for (String file : List.of("conn.00:00:00-01:00:00.log.gz", "dns.00:00:00-01:00:00.log")) {
            put("raw/zeek/" + DAY + "/sensor-a/" + file, Files.readAllBytes(raw.resolve(file)));
        }
        ImportSpec spec = new ImportSpec(ImportSpec.VERSION, DAY, "s3a://" + BUCKET + "/raw/zeek/", "s3a://" + BUCKET + "/lake", Map.of());

        ImportSummary summary = LakeImportJob.run(spark, spec);

        Path expectedLake = temp.resolve("expected-lake");
        ImportSummary direct = new ZeekLakeImporter(Map.of()).importLogs(temp.resolve("raw"), expectedLake, ZeekLakeImporter.Selection.ALL);
        assertThat(summary.partitions()).isEqualTo(direct.partitions());
        assertThat(summary.records()).isEqualTo(400 + 250);
        Map<String, byte[]> expected = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(expectedLake)) {
            for (Path part : walk.filter(Files::isRegularFile).toList()) {
                expected.put("lake/" + expectedLake.relativize(part), Files.readAllBytes(part));
            }
        }
        Map<String, byte[]> written = objects("lake/");
        assertThat(written.keySet()).isEqualTo(expected.keySet()).allSatisfy(key -> assertThat(key).matches("lake/zeek_(conn|dns)/dt=2018-11-02/[^:]+\\.parquet"));
        expected.forEach((key, bytes) -> assertThat(written.get(key)).as(key).isEqualTo(bytes));

        assertThat(LakeImportJob.run(spark, spec).partitions()).as("a re-run").isEqualTo(summary.partitions());
        assertThat(objects("lake/").keySet()).as("a re-run replaces, never adds").isEqualTo(expected.keySet());

        byte[] conn = Files.readAllBytes(raw.resolve("conn.00:00:00-01:00:00.log.gz"));
        put("raw/zeek/2018-11-03/conn.01:00:00-02:00:00.log.gz", Arrays.copyOf(conn, conn.length / 2));
        ImportSpec cut = new ImportSpec(ImportSpec.VERSION, "2018-11-03", spec.rawLocation(), spec.lakeLocation(), Map.of());
        ImportSummary failed = LakeImportJob.run(spark, cut);
        assertThat(failed.failedFiles()).singleElement().asString().startsWith("s3a://" + BUCKET + "/raw/zeek/2018-11-03/conn.01:00:00-02:00:00.log.gz:");
        assertThat(objects("lake/").keySet()).as("nothing of a file that cannot be read").isEqualTo(expected.keySet());
        assertThatThrownBy(() -> LakeImportJob.main(new String[] {"--spec", "s3a://" + BUCKET + "/missing.json"}))
                .hasMessageContaining("cannot read import spec s3a://" + BUCKET + "/missing.json");
    }

    private static void put(String key, byte[] content)
    {
        S3.client().putObject(PutObjectRequest.builder().bucket(BUCKET).key(key).build(), RequestBody.fromBytes(content));
    }

    private static Map<String, byte[]> objects(String prefix)
    {
        Map<String, byte[]> objects = new TreeMap<>();
        for (S3Object object : S3.client().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(BUCKET).prefix(prefix).build()).contents()) {
            objects.put(object.key(), S3.client().getObjectAsBytes(GetObjectRequest.builder().bucket(BUCKET).key(object.key()).build()).asByteArray());
        }
        return objects;
    }

    private static byte[] gzip(byte[] content)
            throws IOException
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }
}
