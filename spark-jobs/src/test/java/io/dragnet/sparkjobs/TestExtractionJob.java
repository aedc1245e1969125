package io.dragnet.sparkjobs;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.sparkjobs.sink.InMemoryDocumentSink;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class TestExtractionJob
{
    private static SparkSession spark;

    @BeforeAll
    static void start()
    {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop()
    {
        spark.stop();
    }

    @Test
    void connSampleMatchesRulesEnrichesAndWritesEveryOutput(@TempDir Path temp)
            throws IOException
    {
        Path results = temp.resolve("results");
        JobSpec spec = TestSpecs.conn(TestSpecs.lakeDay(temp.resolve("lake"), "zeek_conn", LocalSpark.samples().resolve("zeek/conn.log"), true), results, temp.resolve("lake"), temp.resolve("work"), "dragnet");
        RunMetrics metrics = new ExtractionJob(InMemoryDocumentSink.factory("conn-sample"), StageListener.NONE).execute(spark, spec);

        assertThat(metrics.recordsRead()).isEqualTo(400);
        assertThat(metrics.recordsRejected()).isZero();
        assertThat(metrics.matchedPerRule()).containsEntry("trickbot-449", 9L);
        assertThat(metrics.matchedPerRule().get("c2-ip-feed")).as("orig or resp address").isEqualTo(9L);
        assertThat(metrics.matchedPerRule().get("c2-net-feed")).isEqualTo(3L);
        assertThat(metrics.matchedPerRule().get("dc-kerberos")).isPositive();

        Dataset<Row> documents = spark.read().parquet(spec.outputs().documents());
        long total = metrics.matchedPerRule().values().stream().mapToLong(Long::longValue).sum();
        assertThat(documents.count()).isEqualTo(total);
        assertThat(documents.select("`_id`").distinct().count()).isEqualTo(total);

        Row c2 = documents.where("`rule.id` = 'c2-ip-feed'").orderBy("`@timestamp`").first();
        assertThat(c2.<String>getAs("threat.indicator.value")).isEqualTo("76.181.182.166");
        assertThat(c2.<String>getAs("threat.indicator.type")).isEqualTo("ip");
        assertThat(c2.<String>getAs("threat.indicator.provider")).isEqualTo("test-feed");
        assertThat(c2.<String>getAs("event.dataset")).isEqualTo("zeek.conn");
        assertThat(c2.<String>getAs("network.transport")).isEqualTo("tcp");

        Row net = documents.where("`rule.id` = 'c2-net-feed'").first();
        assertThat(net.<String>getAs("threat.indicator.value")).isEqualTo("199.227.126.0/24");
        assertThat(net.<String>getAs("threat.indicator.type")).isEqualTo("cidr");

        Row port = documents.where("`rule.id` = 'trickbot-449' AND `destination.ip` = '76.181.182.166'").first();
        assertThat(port.<String>getAs("asset.owner")).isEqualTo("finance-workstation-7");
        assertThat(port.<String>getAs("asset.criticality")).isEqualTo("high");
        assertThat(port.<String>getAs("destination.geo.country_iso_code")).isNotNull();
        assertThat(port.<Long>getAs("destination.as.number")).isBetween(64500L, 64540L);
        assertThat(port.<Long>getAs("destination.port")).isEqualTo(449L);
        assertThat(port.<String>getAs("threat.indicator.provider")).as("ioc_metadata not asked by this rule").isNull();

        Path summary = Path.of(java.net.URI.create(spec.outputs().summaries())).resolve("c2/trickbot-449.csv");
        List<String> lines = Files.readAllLines(summary);
        assertThat(lines.get(0)).startsWith("rule_id,rule_name,topic,date,source,hits");
        assertThat(lines.get(1)).startsWith("trickbot-449,title of trickbot-449,c2,2018-11-02,zeek_conn,9,1,2,2018-11-02T");
        assertThat(lines).hasSize(3);

        RunMetrics fromFile = Json.read(Path.of(java.net.URI.create(spec.outputs().metrics())), RunMetrics.class);
        assertThat(fromFile.matchedPerRule()).isEqualTo(metrics.matchedPerRule());

        String c2Index = ExtractionJob.runIndex(spec, "c2");
        assertThat(c2Index).isEqualTo("dragnet-c2-2018.11.02-run0001");
        assertThat(InMemoryDocumentSink.contents("conn-sample").get(c2Index))
                .hasSize((int) (metrics.matchedPerRule().get("trickbot-449") + metrics.matchedPerRule().get("c2-ip-feed") + metrics.matchedPerRule().get("c2-net-feed")));
        assertThat(metrics.documentsPerIndex()).containsEntry(c2Index, 21L);
    }
}
