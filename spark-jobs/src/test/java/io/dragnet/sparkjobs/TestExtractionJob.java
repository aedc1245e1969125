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

    @Test
    void dnsSampleWithDomainSuffixIocsKeywordsTimeWindowAndRejects(@TempDir Path temp)
            throws IOException
    {
        Path log = temp.resolve("dns.log");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(LocalSpark.samples().resolve("zeek/dns.log")));
        int close = lines.size() - 1;
        lines.add(close, "1541117137.5\tCbad\t172.16.9.233\t53");
        lines.add(close, "not-a-time\tCbad2\t172.16.9.233\t61311\t172.16.9.5\t53\tudp\t37762\t0.1\tevil.example\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tT\tF\tT\tT\t0\t-\t-\tF");
        Files.write(log, lines);
        Path lake = temp.resolve("lake");
        Path day = TestSpecs.lakeDay(lake, "zeek_dns", log, false);
        Path results = temp.resolve("results");
        Path domains = TestSpecs.writeIocs(temp.resolve("work/iocs"), "lookup-domains", "IPINFO.io", "*.amazonaws.com");
        Path keywords = TestSpecs.writeIocs(temp.resolve("work/iocs"), "keywords", "WPAD", "zz-not-there");
        JobSpec.SourceSpec source = new JobSpec.SourceSpec("zeek_dns", "zeek_tsv", day.toUri().toString(), "ts", List.of());
        JobSpec spec = new JobSpec(JobSpec.CURRENT_VERSION, TestSpecs.RUN, TestSpecs.DATE, source,
                List.of(
                        TestSpecs.rule("ip-lookup-domains", "dns", new io.dragnet.contracts.Predicate.IocMatch(List.of("query"), "lookup-domains"), List.of("ioc_metadata")),
                        TestSpecs.rule("wpad", "dns", new io.dragnet.contracts.Predicate.KeywordMatch("query", "keywords", false), List.of()),
                        TestSpecs.rule("ldap-srv", "dns", TestSpecs.field("query", "regex", "^_LDAP\\._tcp"), List.of()),
                        TestSpecs.rule("a-records", "dns", new io.dragnet.contracts.Predicate.And(List.of(
                                TestSpecs.field("qclass_name", "equals", "c_internet"),
                                new io.dragnet.contracts.Predicate.FieldMatch("qtype_name", "equals", List.of("A"), false, true))), List.of()),
                        new JobSpec.RuleSpec("first-minutes", "first minutes", "dns", "low", List.of(), new io.dragnet.contracts.Predicate.Always(),
                                new JobSpec.TimeWindow("00:00", "00:06"), List.of(), List.of(), List.of("id.orig_h"))),
                List.of(new JobSpec.IocTable("lookup-domains", "domain", domains.toUri().toString(), 2), new JobSpec.IocTable("keywords", "keyword", keywords.toUri().toString(), 2)),
                TestSpecs.enrichment(results, lake),
                TestSpecs.outputs(results, "zeek_dns", null));
        RunMetrics metrics = new ExtractionJob(null, StageListener.NONE).execute(spark, spec);

        // expected counts from awk over samples/zeek/dns.log
        assertThat(metrics.recordsRead()).isEqualTo(252);
        assertThat(metrics.recordsRejected()).isEqualTo(2);
        assertThat(metrics.matchedPerRule()).containsEntry("ip-lookup-domains", 7L).containsEntry("wpad", 66L).containsEntry("ldap-srv", 20L)
                .containsEntry("a-records", 82L).containsEntry("first-minutes", 31L);
        assertThat(metrics.documentsPerIndex()).isEmpty();

        Dataset<Row> documents = spark.read().parquet(spec.outputs().documents());
        assertThat(documents.where("`rule.id` = 'ip-lookup-domains' AND `threat.indicator.value` = 'amazonaws.com'").count()).isPositive();
        assertThat(documents.where("`rule.id` = 'ip-lookup-domains'").select("`dns.question.name`").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
                .allMatch(name -> name.equals("ipinfo.io") || name.endsWith(".amazonaws.com"));

        List<String> rejects = Files.list(Path.of(java.net.URI.create(spec.outputs().rejects()))).filter(file -> file.toString().endsWith(".json"))
                .flatMap(file -> {
                    try {
                        return Files.readAllLines(file).stream();
                    }
                    catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
        assertThat(rejects).hasSize(2);
        assertThat(String.join("\n", rejects)).contains("expected 24 tab-separated columns (#fields), got 4").contains("field 'ts' (time): expected epoch seconds");

        List<String> grouped = Files.readAllLines(Path.of(java.net.URI.create(spec.outputs().summaries())).resolve("dns/first-minutes.csv"));
        assertThat(grouped.get(1)).contains(",31,").endsWith(",1,172.16.9.233,31");
    }
}
