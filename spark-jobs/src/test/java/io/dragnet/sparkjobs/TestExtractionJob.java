package io.dragnet.sparkjobs;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.Predicate;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.contracts.VerdictColumns;
import io.dragnet.sparkjobs.internal.FieldType;
import io.dragnet.sparkjobs.internal.PredicateColumns;
import io.dragnet.sparkjobs.sink.InMemoryDocumentSink;
import io.dragnet.sparkjobs.sink.RunIndexWriter;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

@Tag("integration")
class TestExtractionJob
{
    private static final StructType VERDICT = new StructType()
            .add(VerdictColumns.SESSION_ID, "string").add(VerdictColumns.SRC_IP, "string").add(VerdictColumns.DST_IP, "string").add(VerdictColumns.DST_PORT, "long")
            .add(VerdictColumns.START_TIME, "timestamp").add(VerdictColumns.SCORE, "double").add(VerdictColumns.PREDICTED_MALICIOUS, "boolean")
            .add(VerdictColumns.ATTACK_CATEGORY, "string").add(VerdictColumns.SCORED_AT, "long");

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @Test
    void connSampleMatchesRulesEnrichesAndWritesEveryOutput(@TempDir Path temp)
            throws IOException
    {
        Path results = temp.resolve("results");
        JobSpec spec = TestSpecs.conn(TestSpecs.lakeDay(temp.resolve("lake"), "zeek_conn", RepositoryPaths.samples().resolve("zeek/conn.log"), true), results, temp.resolve("lake"), temp.resolve("work"), "dragnet");
        RunMetrics metrics = new ExtractionJob(InMemoryDocumentSink.factory("conn-sample"), StageListener.NONE).execute(SPARK.session(), spec);

        assertThat(metrics.recordsRead()).isEqualTo(400);
        assertThat(metrics.recordsRejected()).isZero();
        assertThat(metrics.matchedPerRule()).containsEntry("trickbot-449", 9L);
        assertThat(metrics.matchedPerRule().get("c2-ip-feed")).as("orig or resp address").isEqualTo(9L);
        assertThat(metrics.matchedPerRule().get("c2-net-feed")).isEqualTo(3L);
        assertThat(metrics.matchedPerRule().get("dc-kerberos")).isPositive();

        Dataset<Row> documents = SPARK.session().read().parquet(spec.outputs().documents());
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

        String c2Index = RunIndexWriter.runIndex(spec, "c2");
        assertThat(c2Index).isEqualTo("dragnet-c2-2018.11.02-run0001");
        assertThat(InMemoryDocumentSink.contents("conn-sample").get(c2Index))
                .hasSize((int) (metrics.matchedPerRule().get("trickbot-449") + metrics.matchedPerRule().get("c2-ip-feed") + metrics.matchedPerRule().get("c2-net-feed")));
        assertThat(metrics.documentsPerIndex()).containsEntry(c2Index, 21L);
    }

    /** The asset inventory decides the partition for every document, in any case, whatever enrichment a rule asked for. */
    @Test
    void documentsOnRestrictedAssetsGoToTheRestrictedPartition(@TempDir Path temp)
            throws IOException
    {
        Path assets = temp.resolve("assets.csv");
        // Only one address is in this inventory: the records that touch it are restricted, the others are not.
        Files.writeString(assets, "cidr,owner,criticality,description\n76.181.182.166/32,takedown-team, Restricted ,under takedown\n");
        JobSpec base = TestSpecs.conn(TestSpecs.lakeDay(temp.resolve("lake"), "zeek_conn", RepositoryPaths.samples().resolve("zeek/conn.log"), true),
                temp.resolve("results"), temp.resolve("lake"), temp.resolve("work"), "dragnet");
        java.util.Map<String, String> enrichment = new java.util.HashMap<>(base.enrichmentData());
        enrichment.put("asset_inventory", assets.toUri().toString());
        JobSpec spec = new JobSpec(base.specVersion(), base.runId(), base.date(), base.source(), base.rules(), base.iocTables(), enrichment, base.outputs());
        RunMetrics metrics = new ExtractionJob(InMemoryDocumentSink.factory("restricted-partition"), StageListener.NONE).execute(SPARK.session(), spec);

        java.util.Map<String, java.util.Map<String, String>> indexed = InMemoryDocumentSink.contents("restricted-partition");
        java.util.Map<String, String> open = indexed.get(RunIndexWriter.runIndex(spec, "c2"));
        java.util.Map<String, String> restricted = indexed.get(RunIndexWriter.runIndex(spec, "c2_restricted"));
        assertThat(RunIndexWriter.runIndex(spec, "c2_restricted")).isEqualTo("dragnet-c2_restricted-2018.11.02-run0001");
        // c2-ip-feed asks only for ioc_metadata, yet its documents about the workstation are restricted.
        assertThat(restricted.values()).isNotEmpty().allMatch(json -> json.contains("\"asset.criticality\":\"restricted\""))
                .anyMatch(json -> json.contains("\"rule.id\":\"c2-ip-feed\""));
        assertThat(open.values()).isNotEmpty().noneMatch(json -> json.toLowerCase(java.util.Locale.ROOT).contains("restricted"));
        assertThat(restricted).hasSize(15);
        assertThat(open).hasSize(6);
        assertThat(indexed).containsKey(RunIndexWriter.runIndex(spec, "nids_restricted"));
        assertThat(metrics.documentsPerIndex()).containsEntry(RunIndexWriter.runIndex(spec, "c2_restricted"), (long) restricted.size());
    }

    @Test
    void dnsSampleWithDomainSuffixIocsKeywordsTimeWindowAndRejects(@TempDir Path temp)
            throws IOException
    {
        Path log = temp.resolve("dns.log");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(RepositoryPaths.samples().resolve("zeek/dns.log")));
        int close = lines.size() - 1;
        lines.add(close, "1541117137.5\tCbad\t172.16.9.233\t53");
        lines.add(close, "not-a-time\tCbad2\t172.16.9.233\t61311\t172.16.9.5\t53\tudp\t37762\t0.1\tevil.example\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tT\tF\tT\tT\t0\t-\t-\tF");
        Files.write(log, lines);
        Path lake = temp.resolve("lake");
        Path day = TestSpecs.lakeDay(lake, "zeek_dns", log, false);
        Path results = temp.resolve("results");
        Path domains = TestSpecs.writeIocs(temp.resolve("work/iocs"), "lookup-domains", "IPINFO.io", "*.amazonaws.com");
        Path keywords = TestSpecs.writeIocs(temp.resolve("work/iocs"), "keywords", "WPAD", "zz-not-there");
        JobSpec spec = new JobSpec(JobSpec.CURRENT_VERSION, TestSpecs.RUN, TestSpecs.DATE, TestSpecs.zeekSource("zeek_dns", "zeek_tsv", day),
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
        RunMetrics metrics = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), spec);

        // expected counts from awk over samples/zeek/dns.log
        assertThat(metrics.recordsRead()).isEqualTo(252);
        assertThat(metrics.recordsRejected()).isEqualTo(2);
        assertThat(metrics.matchedPerRule()).containsEntry("ip-lookup-domains", 7L).containsEntry("wpad", 66L).containsEntry("ldap-srv", 20L)
                .containsEntry("a-records", 82L).containsEntry("first-minutes", 31L);
        assertThat(metrics.documentsPerIndex()).isEmpty();

        Dataset<Row> documents = SPARK.session().read().parquet(spec.outputs().documents());
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

    @Test
    void zeekJsonLinesAndVerdictParquetSources(@TempDir Path temp)
            throws IOException
    {
        Path results = temp.resolve("results");
        Path lake = temp.resolve("lake");
        Path dns = Files.createDirectories(lake.resolve("zeek_dns/dt=" + TestSpecs.DATE));
        Files.write(dns.resolve("dns.log"), List.of(
                "{\"ts\":1541117137.434664,\"uid\":\"C1\",\"id.orig_h\":\"172.16.9.233\",\"id.resp_h\":\"172.16.9.5\",\"id.resp_p\":53,\"proto\":\"udp\",\"query\":\"ipinfo.io\",\"answers\":[\"1.2.3.4\",\"5.6.7.8\"]}",
                "{\"ts\":\"2018-11-02T01:00:00.5Z\",\"uid\":\"C2\",\"id.orig_h\":\"172.16.9.233\",\"query\":\"example.org\"}",
                "{\"ts\":1541117137.9,\"uid\":\"C3\",\"query\":",
                ""));
        List<JobSpec.FieldSpec> fields = List.of(new JobSpec.FieldSpec("ts", "timestamp"), new JobSpec.FieldSpec("uid", "string"),
                new JobSpec.FieldSpec("id.orig_h", "ip"), new JobSpec.FieldSpec("id.resp_h", "ip"), new JobSpec.FieldSpec("id.resp_p", "long"),
                new JobSpec.FieldSpec("proto", "string"), new JobSpec.FieldSpec("query", "string"), new JobSpec.FieldSpec("answers", "string"));
        JobSpec json = new JobSpec(JobSpec.CURRENT_VERSION, TestSpecs.RUN, TestSpecs.DATE,
                new JobSpec.SourceSpec("zeek_dns", "zeek_json", dns.toUri().toString(), "ts", fields, TestSpecs.zeekMapping("zeek_dns"), "zeek.dns_json"),
                List.of(TestSpecs.rule("answers-5678", "dns", TestSpecs.field("answers", "contains", "5.6.7.8"), List.of()),
                        TestSpecs.rule("no-responder", "dns", new io.dragnet.contracts.Predicate.Not(TestSpecs.field("id.resp_h", "exists")), List.of())),
                List.of(), TestSpecs.enrichment(results, lake), TestSpecs.outputs(results, "zeek_dns", null));
        RunMetrics jsonMetrics = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), json);
        assertThat(jsonMetrics.recordsRead()).isEqualTo(3);
        assertThat(jsonMetrics.recordsRejected()).isEqualTo(1);
        assertThat(jsonMetrics.matchedPerRule()).containsEntry("answers-5678", 1L).containsEntry("no-responder", 1L);
        Row answer = SPARK.session().read().parquet(json.outputs().documents()).where("`rule.id` = 'answers-5678'").first();
        assertThat(answer.<String>getAs("dns.question.name")).isEqualTo("ipinfo.io");
        assertThat(answer.<String>getAs("event.dataset")).isEqualTo("zeek.dns_json");

        Path verdicts = lake.resolve("nids_verdicts/dt=" + TestSpecs.DATE);
        SPARK.session().createDataFrame(List.of(
                        org.apache.spark.sql.RowFactory.create("s1", "172.16.9.233", 52031L, "76.181.182.166", 449L, "tcp", java.sql.Timestamp.valueOf("2018-11-02 00:10:22"), 0.97, true, "Backdoor"),
                        org.apache.spark.sql.RowFactory.create("s2", "172.16.9.233", 52032L, "8.8.8.8", 53L, "udp", java.sql.Timestamp.valueOf("2018-11-02 00:11:00"), 0.10, false, null)),
                new org.apache.spark.sql.types.StructType()
                        .add("session_id", "string").add("src_ip", "string").add("src_port", "long").add("dst_ip", "string").add("dst_port", "long")
                        .add("proto", "string").add("start_time", "timestamp").add("score", "double").add("predicted_malicious", "boolean").add("attack_category", "string"))
                .write().parquet(verdicts.toUri().toString());
        JobSpec parquet = new JobSpec(JobSpec.CURRENT_VERSION, TestSpecs.RUN, TestSpecs.DATE,
                new JobSpec.SourceSpec("nids_verdicts", "parquet", verdicts.toUri().toString(), "start_time", io.dragnet.contracts.VerdictColumns.SCHEMA,
                        TestSpecs.VERDICT_MAPPING, "nids.verdict"),
                List.of(TestSpecs.rule("malicious", "nids", new io.dragnet.contracts.Predicate.And(List.of(
                        TestSpecs.field("predicted_malicious", "equals", "true"), TestSpecs.field("score", "gte", "0.9"))), List.of("asset_owner"))),
                List.of(), TestSpecs.enrichment(results, lake), TestSpecs.outputs(results, "nids_verdicts", null));
        RunMetrics parquetMetrics = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), parquet);
        assertThat(parquetMetrics.recordsRead()).isEqualTo(2);
        assertThat(parquetMetrics.matchedPerRule()).containsEntry("malicious", 1L);
        Row verdict = SPARK.session().read().parquet(parquet.outputs().documents()).first();
        assertThat(verdict.<String>getAs("event.dataset")).isEqualTo("nids.verdict");
        assertThat(verdict.<String>getAs("event.id")).isEqualTo("s1");
        assertThat(verdict.<Double>getAs("nids.score")).isEqualTo(0.97);
        assertThat(verdict.<String>getAs("nids.attack_category")).isEqualTo("Backdoor");
        assertThat(verdict.<String>getAs("asset.owner")).isEqualTo("finance-workstation-7");
    }

    @Test
    void mainReadsTheSpecJsonAsTheCompilerWritesIt(@TempDir Path temp)
            throws IOException
    {
        Path lake = temp.resolve("lake");
        Path day = TestSpecs.lakeDay(lake, "zeek_conn", RepositoryPaths.samples().resolve("zeek/conn.log"), false);
        JobSpec spec = TestSpecs.conn(day, temp.resolve("results"), lake, temp.resolve("work"), null);
        Path specFile = temp.resolve("work/jobs/dt=2018-11-02/run=run-0001/zeek_conn.json");
        Files.createDirectories(specFile.getParent());
        Files.writeString(specFile, Json.write(spec));

        ExtractionJob.main(new String[] {"--spec", specFile.toUri().toString()});

        RunMetrics metrics = Json.read(Path.of(java.net.URI.create(spec.outputs().metrics())), RunMetrics.class);
        assertThat(metrics.matchedPerRule()).containsEntry("trickbot-449", 9L).containsEntry("c2-net-feed", 3L);
        assertThat(metrics.stages()).extracting(RunMetrics.Stage::name).contains("opensearch (not requested)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExtractionJob.main(new String[] {"--spec", temp.resolve("missing.json").toUri().toString()}))
                .isInstanceOf(io.dragnet.contracts.DragnetException.class)
                .hasMessageContaining("cannot read job spec");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExtractionJob.main(new String[0]))
                .hasMessageContaining("usage: ExtractionJob --spec");
    }

    private static Row verdict(String session, double score, long scoredAt)
    {
        return RowFactory.create(session, "172.16.9.233", "76.181.182.166", 449L, Timestamp.valueOf("2018-11-02 00:10:22"), score, score > 0.5, "Backdoor", scoredAt);
    }

    private static Map<String, String> idsBySession(Path temp, String run, Path day)
    {
        Path results = temp.resolve("results-" + run);
        JobSpec spec = new JobSpec(JobSpec.CURRENT_VERSION, run, TestSpecs.DATE,
                new JobSpec.SourceSpec("nids_verdicts", "parquet", day.toUri().toString(), VerdictColumns.START_TIME, VerdictColumns.SCHEMA, TestSpecs.VERDICT_MAPPING),
                List.of(TestSpecs.rule("malicious", "nids", TestSpecs.field(VerdictColumns.PREDICTED_MALICIOUS, "equals", "true"), List.of())),
                List.of(), TestSpecs.enrichment(results, temp.resolve("lake")), TestSpecs.outputs(results, "nids_verdicts", null));
        RunMetrics metrics = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), spec);
        List<Row> documents = SPARK.session().read().parquet(spec.outputs().documents()).select("`event.id`", "`_id`", "`nids.score`").collectAsList();
        assertThat(documents).hasSize((int) metrics.matchedPerRule().get("malicious").longValue());
        return documents.stream().collect(Collectors.toMap(row -> row.getString(0), row -> row.getString(1)));
    }

    /**
     * A stream that lost its checkpoint restarts from the earliest offset and scores the same sessions again, into other
     * files of the same day: each session is still one hit, with one document id whatever its score.
     */
    @Test
    void reScoredSessionsAreOneDocumentEach(@TempDir Path temp)
    {
        Path day = temp.resolve("lake/nids_verdicts/dt=" + TestSpecs.DATE);
        SPARK.session().createDataFrame(List.of(verdict("s1", 0.95, 1_000L), verdict("s2", 0.91, 1_001L), verdict("s3", 0.10, 1_002L)), VERDICT)
                .coalesce(1).write().parquet(day.resolve("first-stream").toUri().toString());
        Map<String, String> firstRun = idsBySession(temp, "run-1", day.resolve("first-stream"));

        SPARK.session().createDataFrame(List.of(verdict("s1", 0.97, 9_000L), verdict("s2", 0.92, 9_001L), verdict("s3", 0.10, 9_002L), verdict("s1", 0.96, 8_000L)), VERDICT)
                .coalesce(1).write().parquet(day.resolve("restarted-stream").toUri().toString());
        SPARK.session().read().parquet(day.resolve("first-stream").toUri().toString(), day.resolve("restarted-stream").toUri().toString())
                .write().parquet(day.resolve("both").toUri().toString());
        Map<String, String> afterRestart = idsBySession(temp, "run-2", day.resolve("both"));

        assertThat(afterRestart).as("one document per session, with the id it had before the restart").isEqualTo(firstRun).containsOnlyKeys("s1", "s2");
        double latestScore = SPARK.session().read().parquet(temp.resolve("results-run-2").resolve(TestSpecs.documents(TestSpecs.DATE, TestSpecs.RUN, "nids_verdicts")).toUri().toString())
                .where("`event.id` = 's1'").first().getAs("nids.score");
        assertThat(latestScore).as("the latest scoring wins").isEqualTo(0.97);
    }

    private static long matches(Dataset<Row> rows, String pattern, boolean cased)
    {
        PredicateColumns columns = new PredicateColumns("zeek_dns", Map.of("query", FieldType.STRING), Map.of(), Map.of());
        return rows.where(columns.compile("r1", new Predicate.FieldMatch("query", "regex", List.of(pattern), false, cased))).count();
    }

    /** Rule regexes run through RE2/J: a catastrophic-backtracking pattern over long values cannot stall the step. */
    @Test
    void backtrackingPatternOverLongValuesFinishes()
    {
        Dataset<Row> rows = SPARK.session().createDataset(List.of("a".repeat(40), "a".repeat(64), "a".repeat(36) + "x", "_LDAP._tcp.dc._msdcs.example"), Encoders.STRING())
                .toDF("query");
        rows.cache().count();
        long hits = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> matches(rows, "(.*a){12}x", false));
        assertThat(hits).isEqualTo(1);
        assertThat(matches(rows, "^_ldap\\._tcp", false)).isEqualTo(1);
        assertThat(matches(rows, "^_ldap\\._tcp", true)).isZero();
    }
}
