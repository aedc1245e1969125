package io.dragnet.nids.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.nids.NidsPipeline;
import io.dragnet.nids.bench.ScorerPathBenchmark;
import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.model.NidsModelStore;
import io.dragnet.nids.stream.LocalSpark;
import io.dragnet.storage.BenchmarkResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code dragnet nids bench-scorer}: the NIDS work's CPU per session, stage by stage, on one thread ({@link ScorerPathBenchmark}). */
@Command(name = "bench-scorer", mixinStandardHelpOptions = true,
        description = "Time what the scoring task does per session (decode, window, forests, verdict JSON, lake Parquet) on one thread, "
                + "without broker or Spark; print µs per session by stage as a table and JSON.")
public final class NidsBenchScorerCommand
        implements Callable<Integer>
{
    @Option(names = "--sessions", defaultValue = "200000", description = "Sessions per pass (default ${DEFAULT-VALUE}).")
    private int sessions;

    @Option(names = "--rounds", defaultValue = "7", description = "Measured rounds; the figures are their medians (default ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--warm-up-rounds", defaultValue = "3", description = "Rounds run first, for the JIT, and not counted (default ${DEFAULT-VALUE}).")
    private int warmUpRounds;

    @Option(names = "--epoch-sessions", defaultValue = "40000",
            description = "Sessions per lake commit: a 2 s epoch of one partition at 20,000/s (default ${DEFAULT-VALUE}).")
    private int epochSessions;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        if (sessions < 1 || rounds < 1 || warmUpRounds < 0 || epochSessions < 1) {
            throw io.dragnet.contracts.DragnetException.user("--sessions, --rounds and --epoch-sessions must be at least 1, --warm-up-rounds at least 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        DragnetHome home = DragnetHome.fromEnvironment();
        List<UnswRow> rows = UnswLoader.load(UnswDatasets.trainingCsv());
        NidsModel model = new NidsModelStore(home.models()).latest().orElseGet(() -> NidsPipeline.modelFor(LocalSpark.session(), home, rows, out));
        out.printf("bench-scorer: model %s, %,d sessions, %d + %d rounds%n", model.describe(), sessions, warmUpRounds, rounds);
        out.flush();
        Path scratch = home.engine("nids").resolve("bench-scorer");
        ScorerPathBenchmark.Result result = new ScorerPathBenchmark(model, ScorerPathBenchmark.lines(rows, sessions, System.currentTimeMillis()), epochSessions, scratch)
                .run(warmUpRounds, rounds);
        out.print(ScorerPathBenchmark.table(result));
        Map<String, Object> json = new LinkedHashMap<>(result.toMap());
        BenchmarkResults.record(json, "dragnet nids bench-scorer " + String.join(" ", spec.commandLine().getParseResult().originalArgs()), out);
        return 0;
    }
}
