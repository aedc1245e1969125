package io.dragnet.nids.cli;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.nids.NidsPipeline;
import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.kafka.KafkaTopics;
import io.dragnet.nids.kafka.LocalKafkaBroker;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.stream.LatencySummary;
import io.dragnet.nids.stream.LocalSpark;
import io.dragnet.nids.stream.LowLatencyVerdictStream;
import io.dragnet.nids.stream.StreamMode;
import io.dragnet.nids.stream.StreamObserver;
import io.dragnet.nids.stream.VerdictStream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * {@code dragnet nids stream}: run the streaming job against the local broker (or --bootstrap-servers) until
 * --seconds pass or the process is interrupted. The checkpoint persists, so a restart resumes where it stopped.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Run the streaming job: sessions → connection features → verdicts to Kafka 'verdicts' and <lake>/nids_verdicts/dt=…/.")
public final class NidsStreamCommand
        implements Callable<Integer>
{
    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds; 0 runs until interrupted (default ${DEFAULT-VALUE}).")
    private long seconds;

    @Option(names = "--starting-offsets", defaultValue = "latest", description = "Where a new checkpoint starts: earliest or latest (default ${DEFAULT-VALUE}).")
    private String startingOffsets;

    @Option(names = "--checkpoint", description = "Checkpoint directory. Default: <home>/engines/nids/checkpoints/stream.")
    private Path checkpoint;

    @Option(names = "--bootstrap-servers", description = "Kafka to read from. Default: the local broker, started if needed.")
    private String bootstrapServers;

    @Mixin
    private StreamModeOptions streamMode;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
            throws Exception
    {
        if (!List.of("earliest", "latest").contains(startingOffsets)) {
            throw DragnetException.user("--starting-offsets must be earliest or latest, got " + startingOffsets);
        }
        StreamMode mode = streamMode.mode();
        int partitions = streamMode.partitions();
        PrintWriter out = spec.commandLine().getOut();
        DragnetHome home = DragnetHome.fromEnvironment();
        SparkSession spark = LocalSpark.session(mode == StreamMode.LOW_LATENCY ? partitions + 2 : 0);
        NidsModel model = NidsPipeline.modelFor(spark, home, UnswLoader.load(UnswDatasets.trainingCsv()), out);
        String servers = bootstrapServers;
        if (servers == null) {
            LocalKafkaBroker broker = LocalKafkaBroker.start(home, false);
            NidsPipeline.createTopics(broker);
            servers = broker.bootstrapServers();
        }
        Path verdicts = home.lake().resolve(NidsPipeline.VERDICTS_SOURCE);
        Path checkpoints = checkpoint != null ? checkpoint : home.engine("nids").resolve("checkpoints/stream-" + mode.name().toLowerCase(Locale.ROOT));
        VerdictStream.Options options = VerdictStream.Options.defaults(servers, verdicts, checkpoints, startingOffsets);
        StreamObserver observer = new StreamObserver();
        BooleanSupplier active;
        Runnable stop;
        Runnable rethrowFailure;
        if (mode == StreamMode.LOW_LATENCY) {
            KafkaTopics topics = new KafkaTopics(servers, options.kafkaOptions());
            topics.ensureAll(List.of(options.sessionsTopic(), options.verdictsTopic(), options.deadLetterTopic()), partitions);
            // a lake query starts where the verdicts topic ends now: it writes what this stream scores, not older verdicts
            LowLatencyVerdictStream.Queries queries = LowLatencyVerdictStream.start(spark, model,
                    LowLatencyVerdictStream.Options.defaults(options, streamMode.lake(), topics.startingOffsets(options.verdictsTopic(), options.deadLetterTopic())), observer);
            active = queries::isActive;
            stop = queries::stop;
            rethrowFailure = queries::rethrowFailure;
        }
        else {
            StreamingQuery query = VerdictStream.start(spark, model, options, observer);
            active = query::isActive;
            stop = () -> NidsPipeline.stop(query);
            rethrowFailure = () -> NidsPipeline.rethrowFailure(query);
        }
        out.printf("streaming (%s) from %s with model %s to %s (Ctrl-C stops)%n", mode, servers, model.describe(), verdicts);
        long deadline = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
        try {
            while (active.getAsBoolean() && System.nanoTime() < deadline) {
                observer.awaitRecords(Long.MAX_VALUE, Duration.ofNanos(Math.min(10_000_000_000L, Math.max(1, deadline - System.nanoTime()))), active);
                StreamObserver.Snapshot snapshot = observer.snapshot();
                LatencySummary endToEnd = snapshot.latencies().get("end_to_end");
                // the scorers' own lake commits keep counts, not stamps
                String latency = endToEnd.count() == 0 ? "" : String.format(", sent → lake p99 %.0f ms", endToEnd.p99());
                out.printf("lake: verdicts %,d (malicious %,d), dead letters %,d, commits %,d%s%n", snapshot.verdicts(), snapshot.malicious(), snapshot.deadLetters(),
                        snapshot.batches(), latency);
            }
            rethrowFailure.run();
        }
        finally {
            stop.run();
        }
        return 0;
    }
}
