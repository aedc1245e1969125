package io.dragnet.rules;

import io.dragnet.contracts.JobSpec;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.RepositoryPaths;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shipped aggregate samples over the real Trickbot Zeek logs (../shared/datasets/zeek; the whole capture sits in
 * one day's partition, so windows ending on other days must not be reported). Expected hits are computed here with
 * plain loops over the log lines, the same arithmetic as this one-liner for the beacons:
 * {@code python3: group tcp rows by (orig_h, resp_h, resp_p, ts // 21600), keep >= 20 rows whose gaps have
 * population stddev / mean < 0.1}; on 2018-11-02 it finds 172.16.9.233 → 199.227.126.250:449 from 06:00 (77
 * connections, CV 0.088) among others.
 */
@Tag("integration")
public class TestSampleAggregatesOnRealLogs
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final long START = DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    private static final Path CAPTURE = RepositoryPaths.datasets().orElse(Path.of("no-datasets-configured")).resolve("zeek/trickbot-2018-11");
    private static final List<String> SAMPLES = List.of("conn-beaconing.yaml", "conn-horizontal-scan.yaml", "conn-vertical-scan.yaml", "conn-udp-network-scan.yaml",
            "dns-nxdomain-burst.yaml");

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @TempDir
    static Path temp;

    @BeforeAll
    public static void start()
            throws IOException
    {
        if (!Files.isDirectory(CAPTURE)) {
            System.out.println("SKIPPED TestSampleAggregatesOnRealLogs: " + CAPTURE + " is absent (the shared datasets are not on this machine)");
        }
        assumeTrue(Files.isDirectory(CAPTURE), "shared Zeek logs absent at " + CAPTURE);
        for (String log : List.of("conn", "dns")) {
            Path partition = Files.createDirectories(temp.resolve("lake/zeek_" + log + "/dt=" + DAY));
            Files.copy(CAPTURE.resolve(log + ".log"), partition.resolve(log + ".log"));
        }
    }

    @Test
    public void samplesFindWhatPlainLoopsFind()
            throws IOException
    {
        Path rules = Files.createDirectories(temp.resolve("rules"));
        for (String sample : SAMPLES) {
            Files.copy(RepositoryPaths.samples().resolve("rules").resolve(sample), rules.resolve(sample));
        }
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(rules.toString()), new CompileContext(DAY, "real", Locations.normalize(temp.resolve("lake").toString()),
                Locations.normalize(temp.resolve("work").toString()), Locations.normalize(temp.resolve("results").toString()),
                Locations.normalize(temp.resolve("enrichment").toString())));
        assertThat(compilation.problems()).isEmpty();
        Map<String, Set<String>> actual = new HashMap<>();
        for (Compilation.Job job : compilation.jobs()) {
            JobSpec spec = job.spec();
            new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), spec);
            for (Row row : SPARK.session().read().parquet(spec.outputs().aggregates()).select(col("`rule.id`"), col("`dragnet.entity`"), col("`@timestamp`")).collectAsList()) {
                actual.computeIfAbsent(row.getString(0), rule -> new TreeSet<>()).add(row.getString(1) + "|" + row.getTimestamp(2).toInstant().getEpochSecond());
            }
        }
        Map<String, Set<String>> expected = new HashMap<>();
        expected.put("conn-beaconing", beacons());
        expected.put("dns-nxdomain-burst", nxdomainBursts());
        expected.values().removeIf(Set::isEmpty);
        assertThat(expected.get("conn-beaconing")).contains("172.16.9.233|199.227.126.250|449|" + (START + 6 * 3600));
        assertThat(actual).isEqualTo(expected);
    }

    private static List<Map<String, String>> rows(String log)
            throws IOException
    {
        List<String> fields = null;
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(CAPTURE.resolve(log + ".log"))) {
            if (line.startsWith("#fields")) {
                fields = Arrays.asList(line.split("\t")).subList(1, line.split("\t").length);
            }
            if (line.startsWith("#")) {
                continue;
            }
            String[] values = line.split("\t", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                row.put(fields.get(i), values[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** Windows of {@code size} seconds that end within the day. */
    private static boolean endsWithinDay(long windowStart, long size)
    {
        return windowStart + size > START && windowStart + size <= START + 86_400;
    }

    private static Set<String> beacons()
            throws IOException
    {
        Map<String, List<Double>> times = new HashMap<>();
        for (Map<String, String> row : rows("conn")) {
            if (!row.get("proto").equals("tcp")) {
                continue;
            }
            double ts = Double.parseDouble(row.get("ts"));
            long window = (long) Math.floor(ts / 21_600) * 21_600;
            if (endsWithinDay(window, 21_600)) {
                times.computeIfAbsent(row.get("id.orig_h") + "|" + row.get("id.resp_h") + "|" + row.get("id.resp_p") + "|" + window, key -> new ArrayList<>()).add(ts);
            }
        }
        Set<String> hits = new TreeSet<>();
        times.forEach((group, list) -> {
            if (list.size() < 20) {
                return;
            }
            list.sort(Double::compare);
            int gaps = list.size() - 1;
            double mean = (list.get(gaps) - list.get(0)) / gaps;
            double squares = 0;
            for (int i = 1; i < list.size(); i++) {
                squares += Math.pow(list.get(i) - list.get(i - 1) - mean, 2);
            }
            if (mean > 0 && Math.sqrt(squares / gaps) / mean < 0.1) {
                hits.add(group);
            }
        });
        return hits;
    }

    private static Set<String> nxdomainBursts()
            throws IOException
    {
        Map<String, Integer> answers = new HashMap<>();
        Map<String, Set<String>> names = new HashMap<>();
        for (Map<String, String> row : rows("dns")) {
            if (!row.get("rcode_name").equalsIgnoreCase("NXDOMAIN")) {
                continue;
            }
            long window = (long) Math.floor(Double.parseDouble(row.get("ts")) / 300) * 300;
            if (endsWithinDay(window, 300)) {
                String group = row.get("id.orig_h") + "|" + window;
                answers.merge(group, 1, Integer::sum);
                if (!row.get("query").equals("-")) {
                    names.computeIfAbsent(group, key -> new HashSet<>()).add(row.get("query"));
                }
            }
        }
        Set<String> hits = new TreeSet<>();
        answers.forEach((group, count) -> {
            if (count >= 20 && names.getOrDefault(group, Set.of()).size() >= 10) {
                hits.add(group);
            }
        });
        return hits;
    }
}
