package io.dragnet.sparkjobs;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Predicate;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.sparkjobs.lake.ImportSummary;
import io.dragnet.sparkjobs.lake.ZeekLakeImporter;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real Trickbot Zeek capture (../shared/datasets/zeek): imported into a lake as typed Parquet by day, then the
 * 2018-11-02 HTTP and SSL partitions run through the job, HTTP also over that day's raw TSV lines, which must give the
 * same documents. Expected counts were taken with awk over the raw logs.
 */
@Tag("integration")
class TestRealZeekLogs
{
    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @Test
    void importsTheWeekAndFindsTheTrickbotTrafficOfTheSecondOfNovember(@TempDir Path temp)
            throws IOException
    {
        Path zeek = RepositoryPaths.datasets().orElse(Path.of("no-datasets-configured")).resolve("zeek/trickbot-2018-11");
        if (!Files.isDirectory(zeek)) {
            System.out.println("SKIPPED TestRealZeekLogs: " + zeek + " is absent (the shared datasets are not on this machine)");
        }
        assumeTrue(Files.isDirectory(zeek), "shared Zeek logs absent at " + zeek);
        Path lake = temp.resolve("lake");
        ImportSummary summary = new ZeekLakeImporter(Map.of()).importLogs(zeek, lake, ZeekLakeImporter.Selection.ALL);
        assertThat(summary.complete()).isTrue();
        assertThat(summary.partitions()).filteredOn(partition -> partition.day().equals("2018-11-02"))
                .extracting(ImportSummary.Partition::source, ImportSummary.Partition::records)
                .contains(org.assertj.core.groups.Tuple.tuple("zeek_conn", 2210L), org.assertj.core.groups.Tuple.tuple("zeek_dns", 483L),
                        org.assertj.core.groups.Tuple.tuple("zeek_http", 232L), org.assertj.core.groups.Tuple.tuple("zeek_ssl", 955L));
        assertThat(summary.records()).isEqualTo(13001 + 1534 + 1149 + 6032 + 1385 + 398 + 149 + 8);

        Path results = temp.resolve("results");
        Path iocs = TestSpecs.writeIocs(temp.resolve("work/iocs"), "ip-lookup", "ipinfo.io", "checkip.amazonaws.com", "icanhazip.com", "ipecho.net",
                "wtfismyip.com", "myexternalip.com", "api.ipify.org", "ip.anysrc.net");
        JobSpec http = new JobSpec(JobSpec.CURRENT_VERSION, TestSpecs.RUN, TestSpecs.DATE,
                TestSpecs.zeekSource("zeek_http", "zeek_tsv", lake.resolve("zeek_http/dt=2018-11-02")),
                List.of(TestSpecs.rule("payload-sets", "web", TestSpecs.field("uri", "endswith", ".SETS"), List.of("geo")),
                        TestSpecs.rule("external-ip-lookup", "web", new Predicate.IocMatch(List.of("host"), "ip-lookup"), List.of("ioc_metadata", "asset_owner"))),
                List.of(new JobSpec.IocTable("ip-lookup", "domain", iocs.toUri().toString(), 8)),
                TestSpecs.enrichment(results, lake),
                TestSpecs.outputs(results, "zeek_http", null));
        RunMetrics httpMetrics = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), http);
        assertThat(httpMetrics.recordsRead()).isEqualTo(232);
        assertThat(httpMetrics.matchedPerRule()).containsEntry("payload-sets", 2L).containsEntry("external-ip-lookup", 202L);
        Row payload = SPARK.session().read().parquet(http.outputs().documents()).where("`rule.id` = 'payload-sets'").orderBy("`@timestamp`").first();
        assertThat(payload.<String>getAs("url.full")).startsWith("http://").endsWith("/sun.sets");
        assertThat(payload.<String>getAs("http.request.method")).isEqualTo("GET");

        // the same rules over the raw TSV lines of that day find the same records: same document ids, same content
        Path textDay = Files.createDirectories(temp.resolve("text-lake/zeek_http/dt=2018-11-02"));
        Files.write(textDay.resolve("http.log"), Files.readAllLines(zeek.resolve("http.log")).stream()
                .filter(line -> line.startsWith("#") || LocalDate.ofInstant(Instant.ofEpochSecond((long) Double.parseDouble(line.split("\t")[0])), ZoneOffset.UTC)
                        .equals(LocalDate.parse(TestSpecs.DATE)))
                .toList());
        Path textResults = temp.resolve("text-results");
        JobSpec httpText = new JobSpec(JobSpec.CURRENT_VERSION, TestSpecs.RUN, TestSpecs.DATE,
                TestSpecs.zeekSource("zeek_http", "zeek_tsv", textDay),
                http.rules(), http.iocTables(), TestSpecs.enrichment(textResults, lake), TestSpecs.outputs(textResults, "zeek_http", null));
        RunMetrics textMetrics = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), httpText);
        assertThat(textMetrics.matchedPerRule()).isEqualTo(httpMetrics.matchedPerRule());
        assertThat(SPARK.session().read().parquet(httpText.outputs().documents()).drop("dragnet.run_id").collectAsList())
                .containsExactlyInAnyOrderElementsOf(SPARK.session().read().parquet(http.outputs().documents()).drop("dragnet.run_id").collectAsList());

        JobSpec ssl = new JobSpec(JobSpec.CURRENT_VERSION, TestSpecs.RUN, TestSpecs.DATE,
                TestSpecs.zeekSource("zeek_ssl", "zeek_tsv", lake.resolve("zeek_ssl/dt=2018-11-02")),
                List.of(TestSpecs.rule("tls-449", "c2", new Predicate.And(List.of(TestSpecs.field("id.resp_p", "equals", "449"),
                        new Predicate.Not(TestSpecs.field("id.resp_h", "cidr", "172.16.0.0/12")))), List.of("geo"))),
                List.of(), TestSpecs.enrichment(results, lake), TestSpecs.outputs(results, "zeek_ssl", null));
        RunMetrics sslMetrics = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), ssl);
        assertThat(sslMetrics.recordsRead()).isEqualTo(955);
        assertThat(sslMetrics.recordsRejected()).isZero();
        assertThat(sslMetrics.matchedPerRule()).containsEntry("tls-449", 198L);
    }
}
