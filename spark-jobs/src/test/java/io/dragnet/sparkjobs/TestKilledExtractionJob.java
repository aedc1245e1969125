package io.dragnet.sparkjobs;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.testing.SparkFixture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Spot safety with a real kill: the EMR step runs in a JVM of its own and is killed with SIGKILL (no shutdown hooks,
 * no finally blocks) at a point observed from outside through its files: once the documents are being written to
 * staging, when the scan is staged and the rejects are already in place. A re-run of the
 * same spec must then leave exactly the outputs of an uninterrupted run into another results directory: document
 * rows, CSV summaries byte for byte, rejects, metrics except durations, and the same files (no staging, no temp).
 */
@Tag("integration")
class TestKilledExtractionJob
{
    private static final int RECORDS = 60_000;
    // a bound, not a wait: the check polls, and a loaded 2-core host takes over a minute to start the child's Spark
    private static final Duration DEADLINE = Duration.ofMinutes(5);

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @Test
    void jobKilledMidwayAndRerunLeavesTheOutputsOfAnUninterruptedRun(@TempDir Path temp)
            throws Exception
    {
        Path lake = temp.resolve("lake");
        Path day = lake.resolve("zeek_conn/dt=" + TestSpecs.DATE);
        writeConnDay(day);
        JobSpec killed = TestSpecs.conn(day, temp.resolve("killed"), lake, temp.resolve("work"), null);
        Path specFile = temp.resolve("killed-spec.json");
        Files.writeString(specFile, Json.write(killed));
        Path documents = path(killed.outputs().documents());
        Path staging = documents.resolveSibling("_staging-zeek_conn-" + TestSpecs.RUN);
        Path metrics = path(killed.outputs().metrics());

        killWhenPresent(temp, specFile, staging.resolve("documents"), "documents being written");
        assertThat(metrics).as("killed before the end").doesNotExist();
        assertThat(staging.resolve("scan")).as("scan staged").isDirectory();
        assertThat(path(killed.outputs().rejects())).as("rejects already in place").isDirectory();

        RunMetrics rerun = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), killed);
        JobSpec clean = TestSpecs.conn(day, temp.resolve("clean"), lake, temp.resolve("work"), null);
        RunMetrics expected = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), clean);

        assertThat(expected.recordsRejected()).as("the generated day has malformed lines").isPositive();
        assertThat(expected.matchedPerRule().values()).as("every rule matches").allMatch(count -> count > 0);
        assertThat(withoutDurations(rerun)).isEqualTo(withoutDurations(expected));
        assertThat(withoutDurations(Json.read(metrics, RunMetrics.class))).isEqualTo(withoutDurations(Json.read(path(clean.outputs().metrics()), RunMetrics.class)));
        assertThat(rows(killed.outputs().documents())).isEqualTo(rows(clean.outputs().documents()))
                .hasSize((int) expected.matchedPerRule().values().stream().mapToLong(Long::longValue).sum());
        assertThat(rejects(killed.outputs().rejects())).isEqualTo(rejects(clean.outputs().rejects())).isNotEmpty();
        Map<String, byte[]> summaries = contents(path(killed.outputs().summaries()));
        Map<String, byte[]> cleanSummaries = contents(path(clean.outputs().summaries()));
        assertThat(summaries.keySet()).isEqualTo(cleanSummaries.keySet()).isNotEmpty();
        summaries.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(cleanSummaries.get(name)));
        assertThat(files(temp.resolve("killed"))).as("same files, no staging or temp files left behind").isEqualTo(files(temp.resolve("clean")));
    }

    /** Starts the step in a child JVM, waits until {@code marker} exists, kills the JVM with SIGKILL. */
    private static void killWhenPresent(Path temp, Path specFile, Path marker, String moment)
            throws IOException, InterruptedException
    {
        Path log = temp.resolve("child-" + marker.getFileName() + ".log");
        Path localDir = Files.createDirectories(temp.resolve("spark-local-" + marker.getFileName()));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(sparkJvmFlags());
        command.add("-Dspark.local.dir=" + localDir);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ExtractionJobProcess.class.getName(), "--spec", specFile.toUri().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DRAGNET_HOME", temp.resolve("home").toString());
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            // polls the file system, the job's only outside trace; the kill comes at whatever moment the check sees it
            while (!Files.exists(marker)) {
                if (!process.isAlive()) {
                    fail("the job ended (exit " + process.exitValue() + ") before " + moment + " was observed:\n" + tail(log));
                }
                if (System.nanoTime() > deadline) {
                    fail(moment + " not observed within " + DEADLINE + ":\n" + tail(log));
                }
                process.waitFor(10, TimeUnit.MILLISECONDS);
            }
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("child JVM gone").isTrue();
            assertThat(process.exitValue()).as("killed by SIGKILL:\n" + tail(log)).isEqualTo(128 + 9);
        }
        finally {
            process.destroyForcibly();
        }
    }

    /** The JDK 17 flags Spark needs (the parent pom's spark.jvm.flags, which surefire passes to this JVM). */
    private static List<String> sparkJvmFlags()
    {
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> flag.startsWith("--add-opens") || flag.startsWith("-Djdk.reflect.useDirectMethodHandle") || flag.equals("-XX:-DontCompileHugeMethods"))
                .toList();
        assertThat(flags).as("this JVM runs with the parent pom's spark.jvm.flags").anyMatch(flag -> flag.startsWith("--add-opens"));
        return flags;
    }

    /**
     * A deterministic day of Zeek conn rows in two files: a share hit each rule of {@link TestSpecs#conn} (port 449,
     * the IoC address, the IoC network, the DC's Kerberos), and every 5,000th line is malformed (a rejected record).
     */
    private static void writeConnDay(Path directory)
            throws IOException
    {
        Files.createDirectories(directory);
        String header = String.join("\n",
                "#separator \\x09",
                "#set_separator\t,",
                "#empty_field\t(empty)",
                "#unset_field\t-",
                "#path\tconn",
                "#open\t2018-11-02-00-00-00",
                "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents",
                "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]") + "\n";
        SplittableRandom random = new SplittableRandom(4);
        int files = 2;
        for (int file = 0; file < files; file++) {
            try (BufferedWriter out = Files.newBufferedWriter(directory.resolve("conn." + file + ".log"), StandardCharsets.UTF_8)) {
                out.write(header);
                for (int i = file; i < RECORDS; i += files) {
                    long micros = (long) i * 86_400_000_000L / RECORDS;
                    int dice = random.nextInt(1_000);
                    String responder = dice < 2 ? "76.181.182.166" : dice < 4 ? "199.227.126." + random.nextInt(256) : dice < 6 ? "172.16.9.5"
                            : (20 + random.nextInt(180)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
                    int port = dice >= 6 && dice < 9 ? 449 : dice >= 4 && dice < 6 ? 88 : List.of(443, 80, 53, 445, 8080).get(random.nextInt(5));
                    String service = dice >= 4 && dice < 6 ? "KRB_TCP" : List.of("-", "dns", "http", "ssl").get(random.nextInt(4));
                    out.write((1541116800L + micros / 1_000_000) + "." + String.format("%06d", micros % 1_000_000) + "\tC" + Long.toString(1_000_003L * 7 + i, 36)
                            + "\t172.16." + random.nextInt(16) + "." + (1 + random.nextInt(254)) + "\t" + (i % 5_000 == 4_999 ? "not-a-port" : 49152 + random.nextInt(16000))
                            + "\t" + responder + "\t" + port + "\ttcp\t" + service + "\t" + String.format("%.6f", random.nextDouble() * 60)
                            + "\t" + random.nextInt(100_000) + "\t" + random.nextInt(1_000_000) + "\tSF\tT\tF\t0\tShADadFf\t"
                            + random.nextInt(500) + "\t" + random.nextInt(50_000) + "\t" + random.nextInt(500) + "\t" + random.nextInt(500_000) + "\t(empty)\n");
                }
                out.write("#close\t2018-11-03-00-00-00\n");
            }
        }
    }

    private static RunMetrics withoutDurations(RunMetrics metrics)
    {
        return new RunMetrics(metrics.runId(), metrics.date(), metrics.source(), metrics.recordsRead(), metrics.recordsRejected(), metrics.recordsMatched(),
                metrics.bytesRead(), metrics.matchedPerRule(), metrics.documentsPerIndex(),
                metrics.stages().stream().map(stage -> new RunMetrics.Stage(stage.name(), 0, stage.records())).toList(), 0);
    }

    private static TreeSet<String> rows(String location)
    {
        return new TreeSet<>(SPARK.session().read().parquet(location).toJSON().collectAsList());
    }

    /** The rejected lines, one JSON object a line, of every data file (Spark's part files, not its markers). */
    private static List<String> rejects(String location)
            throws IOException
    {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : contents(path(location)).entrySet()) {
            String name = Path.of(file.getKey()).getFileName().toString();
            if (!name.startsWith(".") && !name.startsWith("_")) {
                lines.addAll(new String(file.getValue(), StandardCharsets.UTF_8).lines().toList());
            }
        }
        return lines;
    }

    private static Map<String, byte[]> contents(Path root)
            throws IOException
    {
        Map<String, byte[]> contents = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                contents.put(root.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return contents;
    }

    /** Relative paths of every file and directory, with the random part of Spark's part-file names masked. */
    private static List<String> files(Path root)
            throws IOException
    {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(file -> root.relativize(file).toString().replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>"))
                    .sorted()
                    .toList();
        }
    }

    private static String tail(Path log)
            throws IOException
    {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static Path path(String uri)
    {
        return Path.of(URI.create(uri));
    }
}
