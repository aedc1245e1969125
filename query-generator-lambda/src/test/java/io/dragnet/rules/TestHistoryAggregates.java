package io.dragnet.rules;

import io.dragnet.contracts.JobSpec;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history samples (dns-dga-first-seen-burst: count_new over high-entropy names; conn-large-outbound-transfer:
 * history_avg/history_max of an hour's bytes) run day after day through the compiler and the extraction job over
 * four generated days, each day reading what the days before recorded. The expected hits are computed here by plain
 * loops over the generated records, with this test's own entropy arithmetic, independently of dragnet's code.
 */
@Tag("integration")
public class TestHistoryAggregates
{
    private static final LocalDate FIRST = LocalDate.parse("2018-11-01");
    private static final int DAYS = 4;
    private static final String DGA = "dns-dga-first-seen-burst";
    private static final String TRANSFER = "conn-large-outbound-transfer";

    private record Query(long ts, String uid, String client, String name) {}

    private record Conn(long ts, String uid, String source, String destination, long sentBytes) {}

    private static final Map<LocalDate, List<Query>> QUERIES = new TreeMap<>();
    private static final Map<LocalDate, List<Conn>> CONNS = new TreeMap<>();

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    private static SparkSession spark;

    @TempDir
    static Path temp;

    @BeforeAll
    public static void start()
            throws IOException
    {
        spark = SPARK.session();
        generate(new Random(20181101L));
        for (LocalDate day : QUERIES.keySet()) {
            writeDnsLog(temp.resolve("lake/zeek_dns/dt=" + day).resolve("dns.log"), QUERIES.get(day));
            writeConnLog(temp.resolve("lake/zeek_conn/dt=" + day).resolve("conn.log"), CONNS.get(day));
        }
        Path rules = Files.createDirectories(temp.resolve("rules"));
        for (String sample : List.of(DGA, TRANSFER)) {
            Files.copy(RepositoryPaths.samples().resolve("rules").resolve(sample + ".yaml"), rules.resolve(sample + ".yaml"));
        }
    }

    @Test
    public void dayAfterDayTheHitsEqualPlainLoopsOverTheEarlierDays()
            throws IOException
    {
        Map<String, Set<String>> expectedDga = expectedDgaBursts();
        Map<String, Set<String>> expectedTransfers = expectedTransfers();
        // what the generated data plants, so the loops above are seen to find something and to leave the decoys out
        LocalDate last = FIRST.plusDays(DAYS - 1);
        assertThat(expectedDga.get(FIRST.toString())).isEmpty();
        assertThat(expectedDga.get(last.toString())).containsExactly("10.1.0.77|" + (epoch(last) + 12 * 3600));
        assertThat(expectedTransfers.get(FIRST.toString())).isEmpty();
        assertThat(expectedTransfers.get(last.toString())).containsExactly("10.1.0.5|" + (epoch(last) + 14 * 3600));

        Map<String, Set<String>> actualDga = new TreeMap<>();
        Map<String, Set<String>> actualTransfers = new TreeMap<>();
        Set<String> lastDayIds = new TreeSet<>();
        for (int d = 0; d < DAYS; d++) {
            LocalDate day = FIRST.plusDays(d);
            for (JobSpec spec : compileAndRun(day, "run-" + d)) {
                for (Row row : hits(spec)) {
                    Map<String, Set<String>> into = row.getString(0).equals(DGA) ? actualDga : actualTransfers;
                    into.computeIfAbsent(day.toString(), key -> new TreeSet<>()).add(row.getString(1) + "|" + row.getTimestamp(2).toInstant().getEpochSecond());
                    if (day.equals(last)) {
                        lastDayIds.add(row.getString(3));
                    }
                }
            }
            actualDga.putIfAbsent(day.toString(), new TreeSet<>());
            actualTransfers.putIfAbsent(day.toString(), new TreeSet<>());
        }
        assertThat(actualDga).isEqualTo(expectedDga);
        assertThat(actualTransfers).isEqualTo(expectedTransfers);

        // a re-run of the last day reads the same history (its own day is not history) and gives the same hits and ids
        Set<String> rerunIds = new TreeSet<>();
        for (JobSpec spec : compileAndRun(last, "rerun")) {
            hits(spec).forEach(row -> rerunIds.add(row.getString(3)));
        }
        assertThat(rerunIds).isEqualTo(lastDayIds);
        // the seen-values store of a day holds every name queried that day
        Set<String> recorded = new HashSet<>();
        spark.read().parquet(temp.resolve("results/aggregate-history/zeek_dns/values/query/dt=" + last).toString()).collectAsList()
                .forEach(row -> recorded.add(row.getString(0)));
        Set<String> queried = new HashSet<>();
        QUERIES.get(last).forEach(query -> queried.add(query.name()));
        assertThat(recorded).isEqualTo(queried);
    }

    private static List<Row> hits(JobSpec spec)
    {
        return spark.read().parquet(spec.outputs().aggregates()).select(col("`rule.id`"), col("`dragnet.entity`"), col("`@timestamp`"), col("`_id`")).collectAsList();
    }

    private static List<JobSpec> compileAndRun(LocalDate day, String runId)
    {
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(temp.resolve("rules").toString()), new CompileContext(day, runId,
                Locations.normalize(temp.resolve("lake").toString()), Locations.normalize(temp.resolve("work").toString()),
                Locations.normalize(temp.resolve("results").toString()), Locations.normalize(temp.resolve("enrichment").toString())));
        assertThat(compilation.problems()).isEmpty();
        List<JobSpec> specs = new ArrayList<>();
        for (Compilation.Job job : compilation.jobs()) {
            new ExtractionJob(null, StageListener.NONE).execute(spark, job.spec());
            specs.add(job.spec());
        }
        return specs;
    }

    /** Per day, (client | 10-minute window start) with at least 15 distinct names of entropy >= 3.5 that no earlier day (within 14) held. */
    private static Map<String, Set<String>> expectedDgaBursts()
    {
        Map<String, Set<String>> hits = new TreeMap<>();
        for (LocalDate day : QUERIES.keySet()) {
            Set<String> seen = new HashSet<>();
            List<LocalDate> earlierDays = QUERIES.keySet().stream().filter(earlier -> earlier.isBefore(day) && !earlier.isBefore(day.minusDays(14))).toList();
            earlierDays.forEach(earlier -> QUERIES.get(earlier).forEach(query -> seen.add(query.name())));
            boolean anyEarlierDay = !earlierDays.isEmpty();
            Map<String, Set<String>> fresh = new HashMap<>();
            for (Query query : QUERIES.get(day)) {
                long window = query.ts() / 600 * 600;
                if (entropy(query.name()) >= 3.5 && !seen.contains(query.name())) {
                    fresh.computeIfAbsent(query.client() + "|" + window, key -> new HashSet<>()).add(query.name());
                }
            }
            Set<String> dayHits = new TreeSet<>();
            // with no earlier day recorded, count_new has no value and no window is a hit
            fresh.forEach((group, names) -> {
                if (anyEarlierDay && names.size() >= 15) {
                    dayHits.add(group);
                }
            });
            hits.put(day.toString(), dayHits);
        }
        return hits;
    }

    /** Per day, (host | hour) sending >= 50 MB outside, > 10x its mean and > 2x its largest earlier hour with outside traffic. */
    private static Map<String, Set<String>> expectedTransfers()
    {
        Map<LocalDate, Map<String, Long>> hourly = new TreeMap<>();
        for (LocalDate day : CONNS.keySet()) {
            Map<String, Long> sums = new HashMap<>();
            for (Conn conn : CONNS.get(day)) {
                if (internal(conn.source()) && !internal(conn.destination())) {
                    sums.merge(conn.source() + "|" + conn.ts() / 3600 * 3600, conn.sentBytes(), Long::sum);
                }
            }
            hourly.put(day, sums);
        }
        Map<String, Set<String>> hits = new TreeMap<>();
        for (LocalDate day : hourly.keySet()) {
            Set<String> dayHits = new TreeSet<>();
            hourly.get(day).forEach((group, bytes) -> {
                String host = group.substring(0, group.indexOf('|'));
                List<Long> earlier = new ArrayList<>();
                hourly.forEach((other, sums) -> {
                    if (other.isBefore(day) && !other.isBefore(day.minusDays(14))) {
                        sums.forEach((otherGroup, otherBytes) -> {
                            if (otherGroup.startsWith(host + "|")) {
                                earlier.add(otherBytes);
                            }
                        });
                    }
                });
                if (earlier.isEmpty()) {
                    return;
                }
                double mean = earlier.stream().mapToLong(Long::longValue).average().orElseThrow();
                long largest = earlier.stream().mapToLong(Long::longValue).max().orElseThrow();
                if (bytes >= 50_000_000L && bytes > 10 * mean && bytes > 2 * largest) {
                    dayHits.add(group);
                }
            });
            hits.put(day.toString(), dayHits);
        }
        return hits;
    }

    private static boolean internal(String address)
    {
        String[] octets = address.split("\\.");
        int first = Integer.parseInt(octets[0]);
        int second = Integer.parseInt(octets[1]);
        return first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168);
    }

    /** Shannon entropy in bits per character, written out here rather than taken from dragnet. */
    private static double entropy(String text)
    {
        int[] counts = new int[Character.MAX_VALUE + 1];
        for (char c : text.toCharArray()) {
            counts[c]++;
        }
        double bits = 0;
        for (int count : counts) {
            if (count > 0) {
                double p = (double) count / text.length();
                bits -= p * Math.log(p) / Math.log(2);
            }
        }
        return bits;
    }

    private static long epoch(LocalDate day)
    {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    private static String randomLabel(Random random, int length)
    {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < length; i++) {
            label.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return label.toString();
    }

    private static void generate(Random random)
    {
        List<String> common = new ArrayList<>(List.of("www.google.com", "mail.example.org", "update.microsoft.com", "news.bbc.co.uk", "intranet.corp.example"));
        // random-looking names the network resolves every day: high entropy, never new after the first day
        for (int i = 0; i < 10; i++) {
            common.add("d" + randomLabel(random, 13) + ".cloudfront.net");
        }
        List<String> yesterdaysBurst = new ArrayList<>();
        for (int d = 0; d < DAYS; d++) {
            LocalDate day = FIRST.plusDays(d);
            long start = epoch(day);
            List<Query> queries = new ArrayList<>();
            int uid = 0;
            for (int i = 0; i < 1_500; i++) {
                queries.add(new Query(start + random.nextInt(86_400), "Q" + d + "-" + uid++, "10.1.0." + random.nextInt(20), common.get(random.nextInt(common.size()))));
            }
            boolean lastDay = d == DAYS - 1;
            if (d == 0) {
                // a burst on the first day: with no earlier day recorded it is not reported
                for (int i = 0; i < 25; i++) {
                    queries.add(new Query(start + 9 * 3600 + random.nextInt(300), "Q" + d + "-" + uid++, "10.1.0.99", randomLabel(random, 16) + ".com"));
                }
            }
            if (d == DAYS - 2) {
                for (int i = 0; i < 20; i++) {
                    yesterdaysBurst.add(randomLabel(random, 16) + ".net");
                }
                for (String name : yesterdaysBurst) {
                    queries.add(new Query(start + 20 * 3600 + random.nextInt(300), "Q" + d + "-" + uid++, "10.1.0.66", name));
                }
            }
            if (lastDay) {
                // the burst: 25 fresh random-looking names within five minutes
                for (int i = 0; i < 25; i++) {
                    queries.add(new Query(start + 12 * 3600 + 30 + random.nextInt(240), "Q" + d + "-" + uid++, "10.1.0.77", randomLabel(random, 16) + ".com"));
                }
                // decoys: the same random-looking names as yesterday (not new), and fresh names that do not look random
                for (String name : yesterdaysBurst) {
                    queries.add(new Query(start + 12 * 3600 + random.nextInt(300), "Q" + d + "-" + uid++, "10.1.0.66", name));
                }
                for (int i = 0; i < 25; i++) {
                    queries.add(new Query(start + 12 * 3600 + random.nextInt(300), "Q" + d + "-" + uid++, "10.1.0.88", "host-" + (i % 5) + "-aaaa.example.com"));
                    queries.add(new Query(start + 12 * 3600 + random.nextInt(300), "Q" + d + "-" + uid++, "10.1.0.88", "www" + i + ".example.com"));
                }
            }
            QUERIES.put(day, queries);

            List<Conn> conns = new ArrayList<>();
            int connUid = 0;
            for (int host = 1; host <= 8; host++) {
                for (int hour = 0; hour < 24; hour++) {
                    for (int i = 0; i < 3; i++) {
                        long sent = 1_000_000L + random.nextInt(4_000_000);
                        if (host == 6) {
                            sent = 25_000_000L + random.nextInt(5_000_000); // a backup server: large every hour
                        }
                        conns.add(new Conn(start + hour * 3600L + random.nextInt(3600), "C" + d + "-" + connUid++, "10.1.0." + host, "198.51.100." + random.nextInt(200), sent));
                    }
                    // internal traffic is never outbound, however large
                    conns.add(new Conn(start + hour * 3600L + random.nextInt(3600), "C" + d + "-" + connUid++, "10.1.0." + host, "10.2.0.1", 500_000_000L));
                }
            }
            if (d == 0) {
                // a large hour on the first day: no history, not reported
                conns.add(new Conn(start + 10 * 3600 + 100, "C" + d + "-" + connUid++, "10.1.0.7", "203.0.113.9", 400_000_000L));
            }
            if (lastDay) {
                conns.add(new Conn(start + 14 * 3600 + 100, "C" + d + "-" + connUid++, "10.1.0.5", "203.0.113.9", 300_000_000L));
                // the backup server's larger hour stays within its own history
                conns.add(new Conn(start + 14 * 3600 + 200, "C" + d + "-" + connUid++, "10.1.0.6", "203.0.113.9", 60_000_000L));
                // a host never seen outside before: no history, not reported
                conns.add(new Conn(start + 15 * 3600 + 100, "C" + d + "-" + connUid++, "10.1.0.44", "203.0.113.9", 300_000_000L));
            }
            CONNS.put(day, conns);
        }
    }

    private static void writeDnsLog(Path file, List<Query> queries)
            throws IOException
    {
        writeZeekLog(file, "dns", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tqtype_name\trcode_name",
                "time\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring\tstring",
                queries.stream().map(query -> query.ts() + ".000000\t" + query.uid() + "\t" + query.client() + "\t50000\t10.1.0.250\t53\tudp\t" + query.name() + "\tA\tNOERROR").toList());
    }

    private static void writeConnLog(Path file, List<Conn> conns)
            throws IOException
    {
        writeZeekLog(file, "conn", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state",
                "time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring",
                conns.stream().map(conn -> conn.ts() + ".000000\t" + conn.uid() + "\t" + conn.source() + "\t40000\t" + conn.destination() + "\t443\ttcp\t-\t1.0\t"
                        + conn.sentBytes() + "\t1000\tSF").toList());
    }

    private static void writeZeekLog(Path file, String path, String fields, String types, List<String> lines)
            throws IOException
    {
        Files.createDirectories(file.getParent());
        String header = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t" + path + "\n#fields\t" + fields + "\n#types\t" + types + "\n";
        Files.writeString(file, header + String.join("\n", lines) + "\n");
    }
}
