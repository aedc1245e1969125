package io.dragnet.nids.cli;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.nids.bench.StreamBenchmark;
import io.dragnet.nids.stream.LocalSpark;
import io.dragnet.nids.stream.StreamMode;
import io.dragnet.storage.BenchmarkResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code dragnet nids bench}: per target rate, throughput and p50/p95/p99 latency of each stage and end to end. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Replay at each rate through the broker and the streaming job; print per-stage and end-to-end throughput and latency as a table and JSON.")
public final class NidsBenchCommand
        implements Callable<Integer>
{
    @Option(names = "--rates", split = ",", defaultValue = "1,10,100,1000,10000,100000,max",
            description = "Target rates in sessions/s, 'max' = flat out (default ${DEFAULT-VALUE}).")
    private List<String> rates;

    @Option(names = "--seconds", defaultValue = "5", description = "Seconds of replay per rate (default ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--max-sessions", defaultValue = "300000", description = "Cap on sessions per rate, and the count for 'max' (default ${DEFAULT-VALUE}).")
    private int maxSessions;

    @Option(names = "--warm-up", defaultValue = "3000000", description = "Sessions sent flat out before measuring, for the JIT (default ${DEFAULT-VALUE}).")
    private int warmUp;

    @Option(names = "--pipeline", defaultValue = "nids", converter = PipelineConverter.class,
            description = "nids (the streaming job) or passthrough (the baseline: the same topics, continuous query and listener, each session "
                    + "turned only into a verdict's stamps, no lake: what the platform costs before any NIDS work; LOW_LATENCY mode) (default ${DEFAULT-VALUE}).")
    private StreamBenchmark.Pipeline pipeline;

    @Option(names = "--listen", defaultValue = "after", converter = ListeningConverter.class,
            description = "When the listener standing in for a downstream consumer reads each rate's verdicts in LOW_LATENCY mode: after (once all are "
                    + "appended, so it does not share the cores with the stream it measures) or live (while the stream runs); the latencies are the "
                    + "same, since a verdict's sink time is the broker's append time (default ${DEFAULT-VALUE}).")
    private StreamBenchmark.Listening listening;

    @Mixin
    private StreamModeOptions streamMode;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        for (String rate : rates) {
            if (!rate.equals("max") && !rate.matches("\\d+(\\.\\d+)?")) {
                throw DragnetException.user("--rates: expected numbers or 'max', found '" + rate + "'");
            }
        }
        StreamMode mode = streamMode.mode();
        int partitions = streamMode.partitions();
        StreamBenchmark.requireMode(pipeline, mode);
        PrintWriter out = spec.commandLine().getOut();
        List<StreamBenchmark.RateResult> results = new StreamBenchmark(LocalSpark.session(partitions + 2), DragnetHome.fromEnvironment(), out, warmUp, listening)
                .run(mode, streamMode.lake(), pipeline, partitions, rates, seconds, maxSessions);
        out.print(StreamBenchmark.table(results));
        out.flush();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "nids-stream");
        json.put("mode", mode.name());
        json.put("pipeline", pipeline.name());
        json.put("lake", lakeLabel(mode));
        json.put("partitions", partitions);
        json.put("listen", listening.name());
        json.put("results", results.stream().map(StreamBenchmark.RateResult::toMap).toList());
        BenchmarkResults.record(json, "dragnet nids bench " + String.join(" ", spec.commandLine().getParseResult().originalArgs()), out);
        return 0;
    }

    private String lakeLabel(StreamMode mode)
    {
        if (pipeline == StreamBenchmark.Pipeline.PASSTHROUGH) {
            return "NONE";
        }
        return mode == StreamMode.LOW_LATENCY ? streamMode.lake().name() : "MICRO_BATCH";
    }

    static final class ListeningConverter
            implements picocli.CommandLine.ITypeConverter<StreamBenchmark.Listening>
    {
        @Override
        public StreamBenchmark.Listening convert(String value)
        {
            return StreamModeOptions.enumValue(StreamBenchmark.Listening.class, value);
        }
    }

    static final class PipelineConverter
            implements picocli.CommandLine.ITypeConverter<StreamBenchmark.Pipeline>
    {
        @Override
        public StreamBenchmark.Pipeline convert(String value)
        {
            return StreamModeOptions.enumValue(StreamBenchmark.Pipeline.class, value);
        }
    }
}
