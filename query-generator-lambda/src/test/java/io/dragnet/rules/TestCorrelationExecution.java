package io.dragnet.rules;

import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.sparkjobs.CorrelationJob;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample correlation (samples/rules/nids-verdict-then-dns-burst.yaml: a malicious NIDS verdict to a rare port
 * followed within 10 minutes by an NXDOMAIN burst from the same host) over a generated day, through the compiler, the
 * extraction jobs and the correlation step, against what plain loops over the generated records find: verdicts
 * (malicious, score >= 0.8, port outside the everyday set), bursts (per client and 5-minute bucket, >= 20 NXDOMAIN
 * answers for >= 10 names; a burst counts at its bucket's end) and, per host, a verdict followed by a burst at most
 * 10 minutes later. Re-running the step gives the same ids.
 */
@Tag("integration")
class TestCorrelationExecution
{
    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final long DAY_START = DAY.atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
    private static final Set<Long> COMMON_PORTS = Set.of(20L, 21L, 22L, 25L, 53L, 80L, 110L, 123L, 143L, 443L, 445L, 993L, 995L, 3389L);

    private record Verdict(String host, long second, long port, double score, boolean malicious) {}

    private record Lookup(String host, long second, String name, String rcode) {}

    private static final StructType VERDICT = new StructType()
            .add("session_id", DataTypes.StringType).add("src_ip", DataTypes.StringType).add("src_port", DataTypes.LongType)
            .add("dst_ip", DataTypes.StringType).add("dst_port", DataTypes.LongType).add("proto", DataTypes.StringType)
            .add("service", DataTypes.StringType).add("state", DataTypes.StringType).add("start_time", DataTypes.TimestampType)
            .add("end_time", DataTypes.TimestampType).add("score", DataTypes.DoubleType).add("predicted_malicious", DataTypes.BooleanType)
            .add("attack_category", DataTypes.StringType).add("model_version", DataTypes.StringType).add("sent_at_ms", DataTypes.LongType)
            .add("broker_at_ms", DataTypes.LongType).add("features_at_ms", DataTypes.LongType).add("scored_at_ms", DataTypes.LongType);

    @Test
    void verdictThenDnsBurstFindsWhatPlainLoopsFind(@TempDir Path temp)
            throws IOException
    {
        List<Verdict> verdicts = List.of(
                new Verdict("10.0.0.1", at(10, 2), 4444, 0.95, true),     // A: burst 10:05-10:10 follows
                new Verdict("10.0.0.1", at(12, 0), 4444, 0.50, true),     // A: score too low, no hit
                new Verdict("10.0.0.1", at(15, 0), 8443, 0.90, true),     // A: burst 15:00-15:05 follows
                new Verdict("10.0.0.2", at(10, 2), 4444, 0.95, true),     // B: its burst ends 18 minutes later
                new Verdict("10.0.0.3", at(10, 30), 4444, 0.95, true),    // C: its burst came before
                new Verdict("10.0.0.4", at(14, 0), 4444, 0.99, true),     // D: no burst
                new Verdict("10.0.0.6", at(9, 0), 443, 0.99, true));      // F: everyday port, no hit
        List<Lookup> lookups = new ArrayList<>();
        burst(lookups, "10.0.0.1", at(10, 6), 25);
        burst(lookups, "10.0.0.1", at(15, 1), 22);
        burst(lookups, "10.0.0.2", at(10, 16), 30);
        burst(lookups, "10.0.0.3", at(10, 21), 30);
        burst(lookups, "10.0.0.5", at(11, 0), 30);
        burst(lookups, "10.0.0.4", at(14, 1), 12);                       // D: too few for a burst
        lookups.add(new Lookup("10.0.0.1", at(10, 7), "example.com", "NOERROR"));

        Path lake = temp.resolve("lake");
        Path rules = Files.createDirectories(temp.resolve("rules"));
        Path samples = RepositoryPaths.samples();
        for (String rule : List.of("nids-high-score-rare-ports.yaml", "dns-nxdomain-burst.yaml", "nids-verdict-then-dns-burst.yaml")) {
            Files.copy(samples.resolve("rules").resolve(rule), rules.resolve(rule));
        }
        writeDnsLog(lake.resolve("zeek_dns/dt=" + DAY), lookups);
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(rules.toString()), new CompileContext(DAY, "corr", Locations.normalize(lake.toString()),
                Locations.normalize(temp.resolve("work").toString()), Locations.normalize(temp.resolve("results").toString()),
                Locations.normalize(samples.resolve("enrichment").toString())));
        assertThat(compilation.problems()).isEmpty();
        assertThat(compilation.correlations()).isNotNull();
        CorrelationSpec spec = compilation.correlations().spec();
        assertThat(spec.correlations()).extracting(CorrelationSpec.Correlation::id).containsExactly("nids-verdict-then-dns-burst");
        new JobWriter(new LocalObjectStore()).write(compilation);
        List<Row> found;
        List<String> firstIds;
        RunMetrics metrics;
        SPARK.session().createDataFrame(verdicts.stream().map(TestCorrelationExecution::verdictRow).toList(), VERDICT)
                .write().parquet(lake.resolve("nids_verdicts/dt=" + DAY).toString());
        for (Compilation.Job job : compilation.jobs()) {
            new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), job.spec());
        }
        metrics = new CorrelationJob(null).execute(SPARK.session(), CorrelationJob.readSpec(SPARK.session(), compilation.correlations().specLocation()));
        String output = spec.published().correlations();
        firstIds = SPARK.session().read().parquet(output).select("_id").orderBy("_id").collectAsList().stream().map(row -> row.getString(0)).toList();
        new CorrelationJob(null).execute(SPARK.session(), spec);
        found = SPARK.session().read().parquet(output).orderBy("`@timestamp`").collectAsList();

        // the expected result, from the generated records alone
        List<long[]> verdictHits = new ArrayList<>();
        Map<String, List<Long>> verdictTimes = new TreeMap<>();
        for (Verdict verdict : verdicts) {
            if (verdict.malicious() && verdict.score() >= 0.8 && !COMMON_PORTS.contains(verdict.port())) {
                verdictTimes.computeIfAbsent(verdict.host(), host -> new ArrayList<>()).add(verdict.second());
            }
        }
        Map<String, Map<Long, Set<String>>> namesByBucket = new TreeMap<>();
        Map<String, Map<Long, Integer>> countByBucket = new TreeMap<>();
        for (Lookup lookup : lookups) {
            if (lookup.rcode().equals("NXDOMAIN")) {
                long bucket = lookup.second() / 300 * 300;
                namesByBucket.computeIfAbsent(lookup.host(), host -> new TreeMap<>()).computeIfAbsent(bucket, b -> new TreeSet<>()).add(lookup.name());
                countByBucket.computeIfAbsent(lookup.host(), host -> new TreeMap<>()).merge(bucket, 1, Integer::sum);
            }
        }
        List<String> expected = new ArrayList<>();
        verdictTimes.forEach((host, times) -> {
            for (long verdict : times) {
                for (Map.Entry<Long, Integer> bucket : countByBucket.getOrDefault(host, Map.of()).entrySet()) {
                    long burstEnd = bucket.getKey() + 300;
                    boolean burst = bucket.getValue() >= 20 && namesByBucket.get(host).get(bucket.getKey()).size() >= 10;
                    if (burst && burstEnd >= verdict && burstEnd - verdict <= 600) {
                        expected.add(host + " " + Instant.ofEpochSecond(verdict) + " " + Instant.ofEpochSecond(verdict + 600));
                    }
                }
            }
        });
        assertThat(expected).containsExactly("10.0.0.1 2018-11-02T10:02:00Z 2018-11-02T10:12:00Z", "10.0.0.1 2018-11-02T15:00:00Z 2018-11-02T15:10:00Z");

        assertThat(found).extracting(row -> row.getAs("source.ip") + " " + ((Timestamp) row.getAs("@timestamp")).toInstant() + " "
                + ((Timestamp) row.getAs("window.end")).toInstant()).containsExactlyElementsOf(expected);
        for (Row row : found) {
            assertThat(row.<String>getAs("rule.id")).isEqualTo("nids-verdict-then-dns-burst");
            assertThat(row.<String>getAs("correlation.group")).isEqualTo("{\"source.ip\":\"10.0.0.1\"}");
            assertThat(row.getList(row.fieldIndex("correlation.rules"))).containsExactly("nids-high-score-rare-ports", "dns-nxdomain-burst");
            assertThat(row.getList(row.fieldIndex("correlation.hits"))).hasSize(2);
            assertThat(row.<Boolean>getAs("correlation.truncated")).isFalse();
        }
        assertThat(metrics.matchedPerRule()).containsEntry("nids-verdict-then-dns-burst", 2L);
        assertThat(found.stream().map(row -> row.<String>getAs("_id")).sorted().toList()).isEqualTo(firstIds);
    }

    private static long at(int hour, int minute)
    {
        return DAY_START + hour * 3600L + minute * 60L;
    }

    /** {@code count} NXDOMAIN answers for distinct generated names, one every 5 seconds from {@code start}. */
    private static void burst(List<Lookup> lookups, String host, long start, int count)
    {
        for (int i = 0; i < count; i++) {
            lookups.add(new Lookup(host, start + i * 5L, "q" + i + "x" + host.replace('.', 'd') + ".example", "NXDOMAIN"));
        }
    }

    private static Row verdictRow(Verdict verdict)
    {
        Timestamp start = Timestamp.from(Instant.ofEpochSecond(verdict.second()));
        return RowFactory.create("s-" + verdict.host() + "-" + verdict.second(), verdict.host(), 50000L, "198.51.100.7", verdict.port(), "tcp", "-", "FIN",
                start, start, verdict.score(), verdict.malicious(), verdict.malicious() ? "Exploits" : null, "test", 0L, 0L, 0L, 0L);
    }

    private static void writeDnsLog(Path folder, List<Lookup> lookups)
            throws IOException
    {
        StringBuilder log = new StringBuilder("""
                #separator \\x09
                #set_separator\t,
                #empty_field\t(empty)
                #unset_field\t-
                #path\tdns
                #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected
                #types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool
                """);
        int uid = 0;
        for (Lookup lookup : lookups) {
            int rcode = lookup.rcode().equals("NXDOMAIN") ? 3 : 0;
            log.append(lookup.second()).append(".000000\tC").append(uid++).append('\t').append(lookup.host()).append("\t53000\t192.0.2.53\t53\tudp\t1\t0.01\t")
                    .append(lookup.name()).append("\t1\tC_INTERNET\t1\tA\t").append(rcode).append('\t').append(lookup.rcode()).append("\tF\tF\tT\tT\t0\t-\t-\tF\n");
        }
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("dns.log"), log.toString());
    }
}
