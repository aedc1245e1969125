package io.dragnet.nids.bench;

import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.SessionCodec;
import io.dragnet.nids.data.SessionSynthesizer;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.nids.features.ConnectionFeatures;
import io.dragnet.nids.features.ConnectionWindow;
import io.dragnet.nids.features.WindowHistory;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.stream.internal.PartitionLake;
import io.dragnet.nids.stream.internal.PartitionScorer;
import io.dragnet.nids.stream.internal.ShellFreeLocalFileSystem;
import io.dragnet.storage.FileTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU the NIDS work costs per session, on one thread and without the broker or Spark: what the stream's scoring
 * task does for each record, timed stage by stage. Each round runs five passes over the same sessions of one
 * partition, each pass doing one stage more than the one before — decode; + window; + features and forests; + the
 * verdict's JSON and lake row (the scorer); + the lake's Parquet and its commits — so a stage costs the difference
 * of two passes. Passes and rounds alternate on the same JVM; the figures are the medians of the rounds after the
 * warm-up ones. Unlike the stream bench it needs seconds, not minutes, and shares the cores with nothing else, so it
 * is the one to compare hot-path changes with.
 */
public final class ScorerPathBenchmark
{
    /** The passes in order; each does what the one before does and one stage more. */
    public enum Stage
    {
        DECODE, WINDOW, MODEL, VERDICT, LAKE
    }

    /** Per stage, the median µs per session it adds, and the whole path's. */
    public record Result(int sessions, int rounds, Map<Stage, Double> microsPerSession, double totalMicrosPerSession)
    {
        public double sessionsPerSecondOnOneCore()
        {
            return 1e6 / totalMicrosPerSession;
        }

        public Map<String, Object> toMap()
        {
            Map<String, Object> stages = new LinkedHashMap<>();
            microsPerSession.forEach((stage, micros) -> stages.put(stage.name().toLowerCase(java.util.Locale.ROOT), micros));
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("benchmark", "nids-scorer-path");
            map.put("sessions", sessions);
            map.put("rounds", rounds);
            map.put("us_per_session_by_stage", stages);
            map.put("us_per_session_total", totalMicrosPerSession);
            map.put("sessions_per_second_one_core", sessionsPerSecondOnOneCore());
            return map;
        }
    }

    private final NidsModel model;
    private final List<byte[]> lines;
    private final int epochSessions;
    private final Path scratch;
    // what the passes computed, in a field so that the JIT cannot drop the work as unused
    private long sink;

    /**
     * @param lines one partition's records as the topic holds them, in offset order
     * @param epochSessions sessions per lake commit (the stream commits at each epoch's end)
     * @param scratch where the lake passes write, each in a directory of its own deleted after it
     */
    public ScorerPathBenchmark(NidsModel model, List<byte[]> lines, int epochSessions, Path scratch)
    {
        this.model = model;
        this.lines = List.copyOf(lines);
        this.epochSessions = epochSessions;
        this.scratch = scratch;
    }

    /** @param warmUpRounds rounds run first and left out of the medians, for the JIT */
    public Result run(int warmUpRounds, int rounds)
    {
        Map<Stage, double[]> passMicros = new LinkedHashMap<>();
        for (Stage stage : Stage.values()) {
            passMicros.put(stage, new double[rounds]);
        }
        for (int round = -warmUpRounds; round < rounds; round++) {
            for (Stage stage : Stage.values()) {
                long start = System.nanoTime();
                pass(stage);
                double micros = (System.nanoTime() - start) / 1e3 / lines.size();
                if (round >= 0) {
                    passMicros.get(stage)[round] = micros;
                }
            }
        }
        Map<Stage, Double> byStage = new LinkedHashMap<>();
        double previous = 0;
        for (Stage stage : Stage.values()) {
            double pass = median(passMicros.get(stage));
            byStage.put(stage, pass - previous);
            previous = pass;
        }
        return new Result(lines.size(), rounds, byStage, previous);
    }

    private void pass(Stage stage)
    {
        switch (stage) {
            case DECODE -> decode();
            case WINDOW, MODEL -> windowAndModel(stage == Stage.MODEL);
            case VERDICT -> score(null);
            case LAKE -> lake();
        }
    }

    private void decode()
    {
        for (byte[] line : lines) {
            sink += SessionCodec.decode(line).sentAtMs();
        }
    }

    private void windowAndModel(boolean score)
    {
        ConnectionWindow window = new ConnectionWindow();
        for (byte[] line : lines) {
            SensorSession session = SessionCodec.decode(line).session();
            ConnectionFeatures features = window.observe(session);
            if (score) {
                sink += model.score(model.features().vector(session, features)).malicious() ? 1 : 0;
            }
            else {
                sink += features.ctSrvSrc();
            }
        }
    }

    private void score(PartitionLake lake)
    {
        PartitionScorer scorer = new PartitionScorer(model, WindowHistory.NONE, System::currentTimeMillis, lake != null);
        for (int offset = 0; offset < lines.size(); offset++) {
            PartitionScorer.Scored scored = scorer.score(0, offset, lines.get(offset), 0L);
            sink += scored.value().length;
            if (lake == null) {
                continue;
            }
            if (scored.verdict()) {
                lake.verdict(offset, scored.day(), scored.lakeRow());
            }
            else {
                lake.deadLetter(offset);
            }
            if ((offset + 1) % epochSessions == 0) {
                lake.commit();
            }
        }
        if (lake != null) {
            lake.commit();
        }
    }

    private void lake()
    {
        Path directory = scratch(scratch);
        try {
            score(PartitionLake.recover(ShellFreeLocalFileSystem.hadoopConfiguration(), directory.resolve("lake").toUri(), directory.resolve("journals").toUri(), "bench", 0));
        }
        finally {
            delete(directory);
        }
    }

    private static double median(double[] values)
    {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** A table of the stages: µs per session and share of the whole path. */
    public static String table(Result result)
    {
        StringBuilder table = new StringBuilder(String.format("%-30s %14s %7s%n", "stage (adds)", "µs/session", "share"));
        Map<Stage, String> names = Map.of(Stage.DECODE, "decode", Stage.WINDOW, "connection window", Stage.MODEL, "features + forests",
                Stage.VERDICT, "verdict JSON + lake row", Stage.LAKE, "lake Parquet + commits");
        for (Map.Entry<Stage, Double> stage : result.microsPerSession().entrySet()) {
            table.append(String.format("%-30s %14.3f %6.1f%%%n", names.get(stage.getKey()), stage.getValue(), 100 * stage.getValue() / result.totalMicrosPerSession()));
        }
        table.append(String.format("%-30s %14.3f %7s%n", "whole path", result.totalMicrosPerSession(), ""));
        table.append(String.format("%,d sessions × %d rounds; %,.0f sessions/s on one core%n", result.sessions(), result.rounds(), result.sessionsPerSecondOnOneCore()));
        return table.toString();
    }

    private static Path scratch(Path parent)
    {
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, "lake-pass-");
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create scratch space under " + parent + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path directory)
    {
        try {
            FileTrees.deleteRecursively(directory);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot delete the lake pass's files under " + directory + ": " + e.getMessage(), e);
        }
    }

    public static List<byte[]> lines(List<UnswRow> rows, int sessions, long sentAtMs)
    {
        List<byte[]> lines = new ArrayList<>(sessions);
        for (SessionSynthesizer.Derived derived : SessionSynthesizer.derive(rows, sessions, java.time.LocalDate.parse("2018-11-02"), 7)) {
            lines.add(SessionCodec.encode(derived.session(), sentAtMs).getBytes(StandardCharsets.UTF_8));
        }
        return lines;
    }
}
