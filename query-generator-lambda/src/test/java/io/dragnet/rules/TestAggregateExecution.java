package io.dragnet.rules;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
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
 * Aggregate rules run end to end (compiler, job spec, the fused Spark pass) over a generated conn day with
 * horizontal scans, a vertical scan, UDP network scans (and near misses of each) and a beacon planted in random
 * traffic: rules written here, and the shipped scan samples. The expected hits are computed here by plain Java over the
 * generated records, independently of dragnet's code.
 */
@Tag("integration")
public class TestAggregateExecution
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final long START = DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond();

    private record Conn(long ts, String uid, String source, String destination, int port, String proto, String state, long packets) {}

    private static final String RULES = """
            id: conn-horizontal-scan
            title: One source probing many hosts on one port
            topic: c2
            owner: tests
            sources: [zeek_conn]
            match:
              attempts:
                conn_state: [S0, REJ]
              udp:
                network.transport: udp
              condition: attempts
            aggregate:
              group_by: [source.ip, destination.port]
              window: 1h
              measures:
                hosts: count_distinct(destination.ip)
                attempts: count
                udp_share: ratio(count where udp, attempts)
              having: hosts >= 100 and udp_share < 0.5
              samples: 3
            ---
            id: conn-vertical-scan
            title: One source probing many ports of one host
            topic: c2
            owner: tests
            sources: [zeek_conn]
            match:
              attempts:
                conn_state: [S0, REJ]
              condition: attempts
            aggregate:
              group_by: [source.ip, destination.ip]
              window: 1h
              measures:
                ports: count_distinct(destination.port)
              having: ports >= 100
            ---
            id: conn-beacon
            title: Regular calls from one host to one service
            topic: c2
            owner: tests
            sources: [zeek_conn]
            match:
              tcp:
                network.transport: tcp
              condition: tcp
            aggregate:
              group_by: [source.ip, destination.ip, destination.port]
              window: 6h
              measures:
                connections: count
                regularity: interval_cv
              having: connections >= 20 and regularity < 0.1
            """;

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();
    private static final List<Conn> CONNS = new ArrayList<>();

    @TempDir
    static Path temp;

    @BeforeAll
    public static void start()
            throws IOException
    {
        generate(new Random(20181102L));
        writeConnLog(temp.resolve("lake/zeek_conn/dt=" + DAY).resolve("conn.log"));
    }

    @Test
    public void hitsEqualAnIndependentComputationAndRerunsKeepTheirIds()
            throws IOException
    {
        Map<String, Set<String>> expected = expectedHits();
        assertThat(expected.get("conn-horizontal-scan")).containsExactly("10.9.9.9|445|" + (START + 3 * 3600));
        assertThat(expected.get("conn-vertical-scan")).containsExactly("10.8.8.8|10.0.0.7|" + (START + 5 * 3600));
        assertThat(expected.get("conn-beacon")).contains("10.7.7.7|203.0.113.7|443|" + (START + 6 * 3600));

        JobSpec spec = compileAndRun("first");
        List<Row> rows = SPARK.session().read().parquet(spec.outputs().aggregates())
                .select(col("`rule.id`"), col("`dragnet.entity`"), col("`@timestamp`"), col("`aggregate.measures`"), col("`aggregate.samples`"), col("`_id`"))
                .collectAsList();
        Map<String, Set<String>> actual = new TreeMap<>();
        expected.keySet().forEach(rule -> actual.put(rule, new HashSet<>()));
        Set<String> ids = new HashSet<>();
        for (Row row : rows) {
            actual.get(row.getString(0)).add(row.getString(1) + "|" + row.getTimestamp(2).toInstant().getEpochSecond());
            ids.add(row.getString(5));
            if (row.getString(0).equals("conn-horizontal-scan")) {
                assertThat(row.getString(3)).isEqualTo("{\"hosts\":150.0,\"attempts\":150.0,\"udp_share\":0.0}");
                List<String> samples = row.getList(4);
                assertThat(samples).hasSize(3).isSorted();
                Set<String> scanUids = new HashSet<>();
                CONNS.stream().filter(conn -> conn.source().equals("10.9.9.9")).forEach(conn -> scanUids.add(conn.uid()));
                assertThat(scanUids).containsAll(samples);
            }
        }
        assertThat(actual).isEqualTo(expected);

        JobSpec again = compileAndRun("second");
        Set<String> rerunIds = new HashSet<>();
        SPARK.session().read().parquet(again.outputs().aggregates()).select(col("`_id`")).collectAsList().forEach(row -> rerunIds.add(row.getString(0)));
        assertThat(rerunIds).isEqualTo(ids);
        Path summary = Path.of(java.net.URI.create(spec.outputs().summaries())).resolve("c2/conn-horizontal-scan.csv");
        assertThat(Files.readAllLines(summary).get(1)).startsWith("conn-horizontal-scan,One source probing many hosts on one port,c2,2018-11-02,zeek_conn,1,1,0,");
    }

    /**
     * The shipped scan samples (samples/rules/conn-horizontal-scan.yaml, conn-vertical-scan.yaml,
     * conn-udp-network-scan.yaml) over the same day, against plain loops implementing what their descriptions say.
     */
    @Test
    public void shippedScanSamplesFindWhatPlainLoopsFind()
            throws IOException
    {
        Set<String> attemptStates = Set.of("S0", "REJ", "RSTOS0", "SH");
        Map<String, Set<String>> hostsByPortHour = new HashMap<>();
        Map<String, Set<Integer>> portsByHostHour = new HashMap<>();
        Map<String, Set<String>> destinationsByTenMinutes = new HashMap<>();
        Map<String, long[]> packetsByTenMinutes = new HashMap<>();  // {all, udp}
        for (Conn conn : CONNS) {
            long hour = conn.ts() / 3600 * 3600;
            if (attemptStates.contains(conn.state())) {
                hostsByPortHour.computeIfAbsent(conn.source() + "|" + conn.port() + "|" + hour, key -> new HashSet<>()).add(conn.destination());
                portsByHostHour.computeIfAbsent(conn.source() + "|" + conn.destination() + "|" + hour, key -> new HashSet<>()).add(conn.port());
            }
            String tenMinutes = conn.source() + "|" + conn.ts() / 600 * 600;
            destinationsByTenMinutes.computeIfAbsent(tenMinutes, key -> new HashSet<>()).add(conn.destination());
            long[] packets = packetsByTenMinutes.computeIfAbsent(tenMinutes, key -> new long[2]);
            packets[0] += conn.packets();
            packets[1] += conn.proto().equals("udp") ? conn.packets() : 0;
        }
        Map<String, Set<String>> expected = new TreeMap<>();
        expected.put("conn-horizontal-scan", withAtLeast(100, hostsByPortHour));
        expected.put("conn-vertical-scan", withAtLeast(100, portsByHostHour));
        expected.put("conn-udp-network-scan", new TreeSet<>());
        destinationsByTenMinutes.forEach((group, destinations) -> {
            long[] packets = packetsByTenMinutes.get(group);
            if (destinations.size() >= 50 && (double) packets[0] / destinations.size() < 5 && (double) packets[1] / packets[0] > 0.8) {
                expected.get("conn-udp-network-scan").add(group);
            }
        });
        assertThat(expected.get("conn-horizontal-scan")).containsExactly("10.5.5.5|23|" + (START + 7 * 3600), "10.9.9.9|445|" + (START + 3 * 3600));
        assertThat(expected.get("conn-vertical-scan")).containsExactly("10.8.8.8|10.0.0.7|" + (START + 5 * 3600));
        assertThat(expected.get("conn-udp-network-scan")).containsExactly("10.6.6.1|" + (START + 10 * 3600));

        Path folder = temp.resolve("samples");
        Path rulesFolder = Files.createDirectories(folder.resolve("rules"));
        for (String sample : List.of("conn-horizontal-scan.yaml", "conn-vertical-scan.yaml", "conn-udp-network-scan.yaml")) {
            Files.copy(RepositoryPaths.samples().resolve("rules").resolve(sample), rulesFolder.resolve(sample));
        }
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(rulesFolder.toString()), new CompileContext(DAY, "run-samples",
                Locations.normalize(temp.resolve("lake").toString()), Locations.normalize(folder.resolve("work").toString()),
                Locations.normalize(folder.resolve("results").toString()), Locations.normalize(folder.resolve("enrichment").toString())));
        assertThat(compilation.problems()).isEmpty();
        JobSpec spec = compilation.jobs().get(0).spec();
        new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), spec);
        Map<String, Set<String>> actual = new TreeMap<>();
        expected.keySet().forEach(rule -> actual.put(rule, new TreeSet<>()));
        for (Row row : SPARK.session().read().parquet(spec.outputs().aggregates()).select(col("`rule.id`"), col("`dragnet.entity`"), col("`@timestamp`")).collectAsList()) {
            actual.get(row.getString(0)).add(row.getString(1) + "|" + row.getTimestamp(2).toInstant().getEpochSecond());
        }
        assertThat(actual).isEqualTo(expected);
    }

    private JobSpec compileAndRun(String name)
            throws IOException
    {
        Path folder = temp.resolve(name);
        Path rulesFolder = Files.createDirectories(folder.resolve("rules"));
        Files.writeString(rulesFolder.resolve("rules.yaml"), RULES);
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(rulesFolder.toString()), new CompileContext(DAY, "run-" + name,
                Locations.normalize(temp.resolve("lake").toString()), Locations.normalize(folder.resolve("work").toString()),
                Locations.normalize(temp.resolve("results").toString()), Locations.normalize(folder.resolve("enrichment").toString())));
        assertThat(compilation.problems()).isEmpty();
        JobSpec spec = compilation.jobs().get(0).spec();
        RunMetrics metrics = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), spec);
        assertThat(metrics.recordsRead()).isEqualTo(CONNS.size());
        return spec;
    }

    /** The hits as the rules define them, by plain loops over the generated records. */
    private static Map<String, Set<String>> expectedHits()
    {
        Map<String, Set<String>> hits = new TreeMap<>();
        Map<String, Set<String>> hostsByGroup = new HashMap<>();
        Map<String, int[]> attemptsByGroup = new HashMap<>();
        Map<String, Set<Integer>> portsByGroup = new HashMap<>();
        Map<String, List<Double>> timesByGroup = new HashMap<>();
        for (Conn conn : CONNS) {
            long hour = START + (conn.ts() - START) / 3600 * 3600;
            boolean attempt = conn.state().equals("S0") || conn.state().equals("REJ");
            if (attempt) {
                String horizontal = conn.source() + "|" + conn.port() + "|" + hour;
                hostsByGroup.computeIfAbsent(horizontal, key -> new HashSet<>()).add(conn.destination());
                int[] counts = attemptsByGroup.computeIfAbsent(horizontal, key -> new int[2]);
                counts[0]++;
                counts[1] += conn.proto().equals("udp") ? 1 : 0;
                portsByGroup.computeIfAbsent(conn.source() + "|" + conn.destination() + "|" + hour, key -> new HashSet<>()).add(conn.port());
            }
            if (conn.proto().equals("tcp")) {
                long sixHours = START + (conn.ts() - START) / 21_600 * 21_600;
                timesByGroup.computeIfAbsent(conn.source() + "|" + conn.destination() + "|" + conn.port() + "|" + sixHours, key -> new ArrayList<>()).add((double) conn.ts());
            }
        }
        hits.put("conn-horizontal-scan", new HashSet<>());
        hostsByGroup.forEach((group, hosts) -> {
            int[] counts = attemptsByGroup.get(group);
            if (hosts.size() >= 100 && (double) counts[1] / counts[0] < 0.5) {
                hits.get("conn-horizontal-scan").add(group);
            }
        });
        hits.put("conn-vertical-scan", withAtLeast(100, portsByGroup));
        hits.put("conn-beacon", new HashSet<>());
        timesByGroup.forEach((group, times) -> {
            times.sort(Double::compare);
            if (times.size() >= 20) {
                double[] gaps = new double[times.size() - 1];
                double mean = 0;
                for (int i = 1; i < times.size(); i++) {
                    gaps[i - 1] = times.get(i) - times.get(i - 1);
                    mean += gaps[i - 1] / gaps.length;
                }
                double variance = 0;
                for (double gap : gaps) {
                    variance += (gap - mean) * (gap - mean) / gaps.length;
                }
                if (mean > 0 && Math.sqrt(variance) / mean < 0.1) {
                    hits.get("conn-beacon").add(group);
                }
            }
        });
        return hits;
    }

    /** The groups with at least {@code count} distinct values. */
    private static Set<String> withAtLeast(int count, Map<String, ? extends Set<?>> valuesByGroup)
    {
        Set<String> groups = new TreeSet<>();
        valuesByGroup.forEach((group, values) -> {
            if (values.size() >= count) {
                groups.add(group);
            }
        });
        return groups;
    }

    private static void generate(Random random)
    {
        String[] states = {"SF", "S0", "REJ", "RSTR", "OTH"};
        String[] protos = {"tcp", "tcp", "udp"};
        int[] ports = {53, 80, 443, 445, 3389, 8080};
        for (int i = 0; i < 3_000; i++) {
            CONNS.add(new Conn(START + random.nextInt(86_400), "N" + i, "10.1.0." + random.nextInt(50), "10.0." + random.nextInt(4) + "." + random.nextInt(250),
                    ports[random.nextInt(ports.length)], protos[random.nextInt(protos.length)], states[random.nextInt(states.length)], 1 + random.nextInt(20)));
        }
        for (int i = 0; i < 150; i++) {
            CONNS.add(new Conn(START + 3 * 3600 + random.nextInt(3600), "H" + i, "10.9.9.9", "10.2.0." + (i + 1), 445, "tcp", "S0", 1));
        }
        // a horizontal scan half answered with a reset, half only seen from the responder's side
        for (int i = 0; i < 120; i++) {
            CONNS.add(new Conn(START + 7 * 3600 + random.nextInt(3600), "R" + i, "10.5.5.5", "10.2.1." + (i + 1), 23, "tcp", i % 2 == 0 ? "RSTOS0" : "SH", 1));
        }
        for (int i = 0; i < 200; i++) {
            CONNS.add(new Conn(START + 5 * 3600 + random.nextInt(3600), "V" + i, "10.8.8.8", "10.0.0.7", 1000 + i, "tcp", "REJ", 1));
        }
        for (int i = 0; i < 300; i++) {
            CONNS.add(new Conn(START + 6 * 3600 + 60L * i + random.nextInt(3), "B" + i, "10.7.7.7", "203.0.113.7", 443, "tcp", "SF", 3));
        }
        // UDP network scans over ten minutes: one packet to each of 60 hosts (a scan); 8 packets to each (too many per
        // destination); one packet to each beside heavy TCP (too little UDP); 30 before and 30 after 10:00 (two windows)
        for (int i = 0; i < 60; i++) {
            CONNS.add(new Conn(START + 10 * 3600 + 60 + random.nextInt(480), "U" + i, "10.6.6.1", "10.3.0." + (i + 1), 161, "udp", "S0", 1));
            CONNS.add(new Conn(START + 11 * 3600 + random.nextInt(540), "W" + i, "10.6.6.2", "10.3.1." + (i + 1), 161, "udp", "S0", 8));
            CONNS.add(new Conn(START + 12 * 3600 + random.nextInt(540), "X" + i, "10.6.6.3", "10.3.2." + (i + 1), 161, "udp", "S0", 1));
            CONNS.add(new Conn(START + 10 * 3600 + (i < 30 ? -1 - random.nextInt(240) : random.nextInt(240)), "Y" + i, "10.6.6.4", "10.3.3." + (i + 1), 161, "udp", "S0", 1));
        }
        for (int i = 0; i < 10; i++) {
            CONNS.add(new Conn(START + 12 * 3600 + random.nextInt(540), "T" + i, "10.6.6.3", "10.3.2." + (i + 1), 443, "tcp", "SF", 20));
        }
    }

    private static void writeConnLog(Path file)
            throws IOException
    {
        Files.createDirectories(file.getParent());
        StringBuilder log = new StringBuilder();
        log.append("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#open\t2018-11-02-00-00-00\n");
        log.append("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\torig_pkts\n");
        log.append("#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tcount\n");
        for (Conn conn : CONNS) {
            log.append(conn.ts()).append(".000000\t").append(conn.uid()).append('\t').append(conn.source()).append("\t40000\t").append(conn.destination()).append('\t')
                    .append(conn.port()).append('\t').append(conn.proto()).append("\t-\t0.5\t10\t10\t").append(conn.state()).append('\t').append(conn.packets()).append('\n');
        }
        log.append("#close\t2018-11-03-00-00-00\n");
        Files.writeString(file, log.toString());
    }
}
