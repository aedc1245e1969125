package io.dragnet.sparkjobs;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Predicate;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.sparkjobs.lake.ImportSummary;
import io.dragnet.sparkjobs.lake.ZeekLakeImporter;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real Trickbot Zeek capture (../shared/datasets/zeek): imported into a lake by day, then the 2018-11-02 HTTP and
 * SSL partitions run through the job. Expected counts were taken with awk over the raw logs.
 */
@Tag("integration")
class TestRealZeekLogs
{
    @Test
    void importsTheWeekAndFindsTheTrickbotTrafficOfTheSecondOfNovember(@TempDir Path temp)
    {
        Path zeek = RepositoryPaths.datasets().orElse(Path.of("no-datasets-configured")).resolve("zeek/trickbot-2018-11");
        if (!Files.isDirectory(zeek)) {
            System.out.println("SKIPPED TestRealZeekLogs: " + zeek + " is absent (the shared datasets are not on this machine)");
        }
        assumeTrue(Files.isDirectory(zeek), "shared Zeek logs absent at " + zeek);
        Path lake = temp.resolve("lake");
        ImportSummary summary = ZeekLakeImporter.importLogs(zeek, lake);
        assertThat(summary.partitions()).filteredOn(partition -> partition.day().equals("2018-11-02"))
                .extracting(ImportSummary.Partition::source, ImportSummary.Partition::rows)
                .contains(org.assertj.core.groups.Tuple.tuple("zeek_conn", 2210L), org.assertj.core.groups.Tuple.tuple("zeek_dns", 483L),
                        org.assertj.core.groups.Tuple.tuple("zeek_http", 232L), org.assertj.core.groups.Tuple.tuple("zeek_ssl", 955L));
        assertThat(summary.rows()).isEqualTo(13001 + 1534 + 1149 + 6032 + 1385 + 398 + 149 + 8);

        Path results = temp.resolve("results");
        Path iocs = TestSpecs.writeIocs(temp.resolve("work/iocs"), "ip-lookup", "ipinfo.io", "checkip.amazonaws.com", "icanhazip.com", "ipecho.net",
                "wtfismyip.com", "myexternalip.com", "api.ipify.org", "ip.anysrc.net");
        SparkSession spark = SparkFixture.start();
        try {
            JobSpec http = new JobSpec(JobSpec.CURRENT_VERSION, TestSpecs.RUN, TestSpecs.DATE,
                    new JobSpec.SourceSpec("zeek_http", "zeek_tsv", lake.resolve("zeek_http/dt=2018-11-02").toUri().toString(), "ts", List.of()),
                    List.of(TestSpecs.rule("payload-sets", "web", TestSpecs.field("uri", "endswith", ".SETS"), List.of("geo")),
                            TestSpecs.rule("external-ip-lookup", "web", new Predicate.IocMatch(List.of("host"), "ip-lookup"), List.of("ioc_metadata", "asset_owner"))),
                    List.of(new JobSpec.IocTable("ip-lookup", "domain", iocs.toUri().toString(), 8)),
                    TestSpecs.enrichment(results, lake),
                    TestSpecs.outputs(results, "zeek_http", null));
            RunMetrics httpMetrics = new ExtractionJob(null, StageListener.NONE).execute(spark, http);
            assertThat(httpMetrics.recordsRead()).isEqualTo(232);
            assertThat(httpMetrics.matchedPerRule()).containsEntry("payload-sets", 2L).containsEntry("external-ip-lookup", 202L);
            Row payload = spark.read().parquet(http.outputs().documents()).where("`rule.id` = 'payload-sets'").orderBy("`@timestamp`").first();
            assertThat(payload.<String>getAs("url.full")).startsWith("http://").endsWith("/sun.sets");
            assertThat(payload.<String>getAs("http.request.method")).isEqualTo("GET");

            JobSpec ssl = new JobSpec(JobSpec.CURRENT_VERSION, TestSpecs.RUN, TestSpecs.DATE,
                    new JobSpec.SourceSpec("zeek_ssl", "zeek_tsv", lake.resolve("zeek_ssl/dt=2018-11-02").toUri().toString(), "ts", List.of()),
                    List.of(TestSpecs.rule("tls-449", "c2", new Predicate.And(List.of(TestSpecs.field("id.resp_p", "equals", "449"),
                            new Predicate.Not(TestSpecs.field("id.resp_h", "cidr", "172.16.0.0/12")))), List.of("geo"))),
                    List.of(), TestSpecs.enrichment(results, lake), TestSpecs.outputs(results, "zeek_ssl", null));
            RunMetrics sslMetrics = new ExtractionJob(null, StageListener.NONE).execute(spark, ssl);
            assertThat(sslMetrics.recordsRead()).isEqualTo(955);
            assertThat(sslMetrics.recordsRejected()).isZero();
            assertThat(sslMetrics.matchedPerRule()).containsEntry("tls-449", 198L);
        }
        finally {
            spark.stop();
        }
    }
}
