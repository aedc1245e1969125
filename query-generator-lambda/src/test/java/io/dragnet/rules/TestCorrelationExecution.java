package io.dragnet.rules;

import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.PublishedRuns;
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
        Path rules = sampleCorrelationRules(temp);
        writeDnsLog(lake.resolve("zeek_dns/dt=" + DAY), lookups);
        writeVerdicts(lake, DAY, verdicts);
        Compilation compilation = compile(rules, temp, lake, new CompileContext(DAY, "corr", Locations.normalize(lake.toString()),
                Locations.normalize(temp.resolve("work").toString()), Locations.normalize(temp.resolve("results").toString()),
                Locations.normalize(RepositoryPaths.samples().resolve("enrichment").toString())));
        assertThat(compilation.correlations()).isNotNull();
        CorrelationSpec spec = compilation.correlations().spec();
        assertThat(spec.correlations()).extracting(CorrelationSpec.Correlation::id).containsExactly("nids-verdict-then-dns-burst");
        RunMetrics metrics = runDay(compilation);
        String output = spec.published().correlations();
        List<String> firstIds = SPARK.session().read().parquet(output).select("_id").orderBy("_id").collectAsList().stream().map(row -> row.getString(0)).toList();
        new CorrelationJob(null).execute(SPARK.session(), spec);
        List<Row> found = SPARK.session().read().parquet(output).orderBy("`@timestamp`").collectAsList();

        // the expected result, from the generated records alone
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

    /**
     * Two days run one after the other, as the daily workflow does (the first published before the second compiles):
     * windows that open late on the first day and end after midnight are reported by the second day's run, which reads
     * the first day's hits from midnight minus the timespan and leaves out those the first day's windows took. Expected:
     * one plain pass over both days' hits (per host, in time order: a window opens at a verdict, holds every hit up to
     * ten minutes later and is a hit when a burst is among them; the next window opens after it), each window reported
     * by the day in which it ends.
     */
    @Test
    void windowsAcrossMidnightReadThePreviousDaysHits(@TempDir Path temp)
            throws IOException
    {
        LocalDate first = DAY.minusDays(1);
        Map<LocalDate, List<Verdict>> verdicts = Map.of(
                first, List.of(
                        new Verdict("10.0.0.1", at(first, 23, 55), 4444, 0.95, true),   // A: its burst comes after midnight
                        new Verdict("10.0.0.2", at(first, 23, 52), 4444, 0.95, true),   // B: its burst's window ends at midnight
                        new Verdict("10.0.0.3", at(first, 22, 0), 4444, 0.95, true),    // C: all on the first day
                        new Verdict("10.0.0.5", at(first, 23, 40), 4444, 0.95, true),   // E: a window on the first day
                        new Verdict("10.0.0.5", at(first, 23, 50), 4444, 0.95, true)),  // E: taken by that window
                DAY, List.of(
                        new Verdict("10.0.0.6", at(DAY, 10, 0), 4444, 0.95, true),      // F: all on the second day
                        new Verdict("10.0.0.7", at(DAY, 23, 57), 4444, 0.95, true)));   // G: its window ends on the third day
        Map<LocalDate, List<Lookup>> lookups = Map.of(first, new ArrayList<>(), DAY, new ArrayList<>());
        burst(lookups.get(DAY), "10.0.0.1", at(DAY, 0, 1), 25);
        burst(lookups.get(first), "10.0.0.2", at(first, 23, 55) + 30, 22);
        burst(lookups.get(first), "10.0.0.3", at(first, 22, 5), 22);
        burst(lookups.get(first), "10.0.0.5", at(first, 23, 41), 22);
        burst(lookups.get(first), "10.0.0.5", at(first, 23, 56), 22);
        burst(lookups.get(DAY), "10.0.0.6", at(DAY, 10, 2), 22);
        burst(lookups.get(DAY), "10.0.0.7", at(DAY, 23, 58), 22);

        Path lake = temp.resolve("lake");
        Path rules = sampleCorrelationRules(temp);
        Map<LocalDate, List<String>> found = new TreeMap<>();
        Map<LocalDate, CorrelationSpec> specs = new TreeMap<>();
        Map<LocalDate, List<Problem>> warnings = new TreeMap<>();
        for (LocalDate day : List.of(first, DAY)) {
            writeVerdicts(lake, day, verdicts.get(day));
            writeDnsLog(lake.resolve("zeek_dns/dt=" + day), lookups.get(day));
            Compilation compilation = compile(rules, temp, lake, new CompileContext(day, "run-" + day, Locations.normalize(lake.toString()),
                    Locations.normalize(temp.resolve("work").toString()), Locations.normalize(temp.resolve("results").toString()),
                    Locations.normalize(RepositoryPaths.samples().resolve("enrichment").toString())));
            warnings.put(day, compilation.warnings());
            CorrelationSpec spec = compilation.correlations().spec();
            specs.put(day, spec);
            runDay(compilation);
            found.put(day, windows(spec));
            // what Publish records once the run's indexes are switched in
            Files.createDirectories(temp.resolve("results/published"));
            Files.writeString(temp.resolve("results/published/dt=" + day + ".json"), Json.write(PublishedRuns.ofRun(day.toString(), "run-" + day)));
        }

        // the expected windows, from the generated records alone
        Map<String, List<long[]>> hitsByHost = new TreeMap<>();  // {time, 0 verdict | 1 burst}
        for (LocalDate day : List.of(first, DAY)) {
            for (Verdict verdict : verdicts.get(day)) {
                if (verdict.malicious() && verdict.score() >= 0.8 && !COMMON_PORTS.contains(verdict.port())) {
                    hitsByHost.computeIfAbsent(verdict.host(), host -> new ArrayList<>()).add(new long[] {verdict.second(), 0});
                }
            }
            Map<String, Map<Long, Set<String>>> names = new TreeMap<>();
            Map<String, Map<Long, Integer>> counts = new TreeMap<>();
            for (Lookup lookup : lookups.get(day)) {
                long bucket = lookup.second() / 300 * 300;
                names.computeIfAbsent(lookup.host(), host -> new TreeMap<>()).computeIfAbsent(bucket, b -> new TreeSet<>()).add(lookup.name());
                counts.computeIfAbsent(lookup.host(), host -> new TreeMap<>()).merge(bucket, 1, Integer::sum);
            }
            counts.forEach((host, buckets) -> buckets.forEach((bucket, count) -> {
                if (count >= 20 && names.get(host).get(bucket).size() >= 10) {
                    hitsByHost.computeIfAbsent(host, h -> new ArrayList<>()).add(new long[] {bucket + 300, 1});
                }
            }));
        }
        long secondMidnight = DAY_START;
        long thirdMidnight = DAY_START + 86_400;
        Map<LocalDate, List<String>> expected = new TreeMap<>(Map.of(first, new ArrayList<>(), DAY, new ArrayList<>()));
        hitsByHost.forEach((host, hits) -> {
            hits.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            int i = 0;
            while (i < hits.size()) {
                long start = hits.get(i)[0];
                long end = start + 600;
                boolean burstFollows = false;
                int next = i;
                while (next < hits.size() && hits.get(next)[0] <= end) {
                    burstFollows |= hits.get(next)[1] == 1;
                    next++;
                }
                if (hits.get(i)[1] == 0 && burstFollows) {
                    if (end < thirdMidnight) {
                        expected.get(end < secondMidnight ? first : DAY).add(host + " " + Instant.ofEpochSecond(start) + " " + Instant.ofEpochSecond(end));
                    }
                    i = next;
                }
                else {
                    i++;
                }
            }
        });
        assertThat(expected.get(first)).containsExactly("10.0.0.3 2018-11-01T22:00:00Z 2018-11-01T22:10:00Z", "10.0.0.5 2018-11-01T23:40:00Z 2018-11-01T23:50:00Z");
        assertThat(expected.get(DAY)).containsExactly("10.0.0.1 2018-11-01T23:55:00Z 2018-11-02T00:05:00Z", "10.0.0.2 2018-11-01T23:52:00Z 2018-11-02T00:02:00Z",
                "10.0.0.6 2018-11-02T10:00:00Z 2018-11-02T10:10:00Z");

        assertThat(found).isEqualTo(expected);
        assertThat(warnings.get(first)).extracting(Problem::message).anyMatch(message -> message.contains("2018-10-31 has no published run"));
        assertThat(warnings.get(DAY)).isEmpty();
        CorrelationSpec.Input verdictInput = specs.get(DAY).correlations().get(0).inputs().get(0);
        assertThat(verdictInput.previousDayHits()).singleElement().asString().endsWith("/documents/dt=2018-11-01/run=run-2018-11-01/nids_verdicts");
        assertThat(specs.get(DAY).correlations().get(0).previousDay().correlations()).singleElement().asString()
                .endsWith("/correlations/dt=2018-11-01/run=run-2018-11-01");

        // the second day's summary counts its three windows, one per host
        Path summary = temp.resolve("results/summaries/dt=" + DAY + "/run=run-" + DAY + "/c2/nids-verdict-then-dns-burst.csv");
        List<String> rows = Files.readAllLines(summary);
        assertThat(rows.get(0)).isEqualTo(String.join(",", io.dragnet.sparkjobs.internal.SummaryCsv.HEADER));
        assertThat(rows.subList(1, rows.size())).extracting(row -> row.split(",", -1)).allSatisfy(columns -> {
            assertThat(columns[0]).isEqualTo("nids-verdict-then-dns-burst");
            assertThat(columns[4]).isEqualTo(CorrelationJob.SUMMARY_SOURCE);
            assertThat(columns[5]).isEqualTo("3");
            assertThat(columns[12]).isEqualTo("1");
        }).extracting(columns -> columns[11]).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.6");

        // a backfill covering both days reads the first day's hits from its own run
        Compilation backfilled = compile(rules, temp, lake, new CompileContext(DAY, "bf", Locations.normalize(lake.toString()),
                Locations.normalize(temp.resolve("work").toString()), Locations.normalize(temp.resolve("results").toString()),
                Locations.normalize(RepositoryPaths.samples().resolve("enrichment").toString())).backfillDay(DAY, first));
        assertThat(backfilled.correlations().spec().correlations().get(0).inputs()).allSatisfy(input ->
                assertThat(input.previousDayHits()).allMatch(folder -> folder.contains("/dt=2018-11-01/run=bf/")).isNotEmpty());
        assertThat(backfilled.warnings()).isEmpty();
    }

    /** Copies the sample correlation and the two rules it reads into a rules folder of its own. */
    private static Path sampleCorrelationRules(Path temp)
            throws IOException
    {
        Path rules = Files.createDirectories(temp.resolve("rules"));
        for (String rule : List.of("nids-high-score-rare-ports.yaml", "dns-nxdomain-burst.yaml", "nids-verdict-then-dns-burst.yaml")) {
            Files.copy(RepositoryPaths.samples().resolve("rules").resolve(rule), rules.resolve(rule));
        }
        return rules;
    }

    private static Compilation compile(Path rules, Path temp, Path lake, CompileContext context)
    {
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(rules.toString()), context);
        assertThat(compilation.problems()).isEmpty();
        new JobWriter(new LocalObjectStore()).write(compilation);
        return compilation;
    }

    /** The day's extraction jobs, then its correlation step. */
    private static RunMetrics runDay(Compilation compilation)
    {
        for (Compilation.Job job : compilation.jobs()) {
            new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), job.spec());
        }
        return new CorrelationJob(null).execute(SPARK.session(), CorrelationJob.readSpec(SPARK.session(), compilation.correlations().specLocation()));
    }

    /** "host start end" of every correlation hit a step wrote, in time order; none is truncated. */
    private static List<String> windows(CorrelationSpec spec)
    {
        if (!Files.exists(Path.of(java.net.URI.create(spec.published().correlations())))) {
            return List.of();
        }
        List<Row> rows = SPARK.session().read().parquet(spec.published().correlations()).orderBy("`source.ip`").collectAsList();
        assertThat(rows).allSatisfy(row -> assertThat(row.<Boolean>getAs("correlation.truncated")).isFalse());
        return rows.stream().map(row -> row.getAs("source.ip") + " " + ((Timestamp) row.getAs("@timestamp")).toInstant() + " "
                + ((Timestamp) row.getAs("window.end")).toInstant()).toList();
    }

    private static void writeVerdicts(Path lake, LocalDate day, List<Verdict> verdicts)
    {
        SPARK.session().createDataFrame(verdicts.stream().map(TestCorrelationExecution::verdictRow).toList(), VERDICT)
                .write().parquet(lake.resolve("nids_verdicts/dt=" + day).toString());
    }

    private static long at(LocalDate day, int hour, int minute)
    {
        return day.atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond() + hour * 3600L + minute * 60L;
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
