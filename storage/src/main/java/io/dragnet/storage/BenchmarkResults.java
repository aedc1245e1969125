package io.dragnet.storage;

import io.dragnet.contracts.EnvironmentVariable;
import io.dragnet.contracts.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where benchmark figures are kept: each run's JSON line (its figures plus the command, the date and the host) is printed
 * and appended to {@code docs/benchmarks/results.jsonl} (or {@code $DRAGNET_BENCH_RESULTS}), from which
 * {@code docs/benchmarks/render.py} builds {@code docs/benchmarks.md}.
 */
public final class BenchmarkResults
{
    public static final String RESULTS_FILE = "docs/benchmarks/results.jsonl";

    private BenchmarkResults() {}

    /**
     * @param figures the benchmark's own fields; {@code benchmark} names it
     * @param command how to run it again, as a user types it
     */
    public static String record(Map<String, ?> figures, String command, PrintWriter out)
    {
        String line = line(figures, command, LocalDate.now(Clock.systemUTC()), BenchmarkHost.current());
        out.println(line);
        out.flush();
        resultsFile().ifPresent(file -> append(file, line));
        return line;
    }

    static String line(Map<String, ?> figures, String command, LocalDate date, BenchmarkHost host)
    {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", figures.get("benchmark"));
        json.put("command", command);
        json.put("date", date.toString());
        json.putAll(host.toMap());
        figures.forEach((key, value) -> json.putIfAbsent(key, value));
        return Json.writeCompact(json);
    }

    private static Optional<Path> resultsFile()
    {
        Optional<String> configured = EnvironmentVariable.DRAGNET_BENCH_RESULTS.read();
        if (configured.isPresent()) {
            return configured.map(Path::of);
        }
        try {
            return Optional.of(RepositoryPaths.root().resolve(RESULTS_FILE));
        }
        catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void append(Path file, String line)
    {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot append the benchmark's line to " + file + ": " + e.getMessage(), e);
        }
    }
}
