package io.dragnet.nids.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.nids.NidsPipeline;
import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.SessionSynthesizer;
import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.kafka.LocalKafkaBroker;
import io.dragnet.nids.kafka.SessionReplayer;
import io.dragnet.nids.stream.VerdictStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dragnet nids replay}: send derived sensor sessions (no label, no ct_* features) to Kafka at a rate. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Send sessions derived from UNSW-NB15 (fresh addresses, ports and times on --day) to the Kafka topic 'sessions', stamped with their send time.")
public final class NidsReplayCommand
        implements Callable<Integer>
{
    @Option(names = "--rate", defaultValue = "1000", description = "Sessions per second; 0 sends flat out (default ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--count", defaultValue = "10000", description = "Sessions to send (default ${DEFAULT-VALUE}).")
    private int count;

    @Option(names = "--day", defaultValue = "2018-11-02", description = "Day the sessions are stamped on (default ${DEFAULT-VALUE}).")
    private LocalDate day;

    @Option(names = "--seed", defaultValue = "20181102", description = "Seed of the derivation (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--bootstrap-servers", description = "Kafka to send to. Default: the local broker, started if needed and left running.")
    private String bootstrapServers;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        if (count < 1 || rate < 0) {
            throw io.dragnet.contracts.DragnetException.user("--count must be positive and --rate 0 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        String servers = bootstrapServers;
        if (servers == null) {
            LocalKafkaBroker broker = LocalKafkaBroker.start(DragnetHome.fromEnvironment(), false);
            NidsPipeline.createTopics(broker);
            servers = broker.bootstrapServers();
        }
        List<SensorSession> sessions = SessionSynthesizer.derive(UnswLoader.load(UnswDatasets.trainingCsv()), count, day, seed).stream()
                .map(SessionSynthesizer.Derived::session)
                .toList();
        SessionReplayer.ReplayResult result = SessionReplayer.replay(servers, VerdictStream.SESSIONS_TOPIC, sessions, rate);
        out.printf("sent %,d sessions for %s to %s topic %s at %,.0f sessions/s (target %s)%n", result.sent(), day, servers,
                VerdictStream.SESSIONS_TOPIC, result.sessionsPerSecond(), rate > 0 ? String.format("%,.0f/s", rate) : "flat out");
        return 0;
    }
}
