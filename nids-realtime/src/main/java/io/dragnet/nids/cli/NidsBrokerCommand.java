package io.dragnet.nids.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.nids.NidsPipeline;
import io.dragnet.nids.kafka.LocalKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Optional;

/** {@code dragnet nids broker start|stop|status}: the local Kafka broker, kept running between commands. */
@Command(name = "broker", mixinStandardHelpOptions = true, description = "Start, stop or show the local Kafka broker (KRaft, 127.0.0.1).")
public final class NidsBrokerCommand
{
    @Spec
    private CommandSpec spec;

    @Command(name = "start", description = "Start the broker (or report the running one); it keeps running after this command.")
    int start()
    {
        DragnetHome home = DragnetHome.fromEnvironment();
        LocalKafkaBroker broker = LocalKafkaBroker.start(home, false);
        NidsPipeline.createTopics(broker);
        spec.commandLine().getOut().printf("kafka broker running: %s (pid %d, state in %s)%n", broker.bootstrapServers(), broker.state().pid(),
                home.engine(LocalKafkaBroker.ENGINE));
        return 0;
    }

    @Command(name = "stop", description = "Stop the broker.")
    int stop()
    {
        boolean stopped = LocalKafkaBroker.stop(DragnetHome.fromEnvironment());
        spec.commandLine().getOut().println(stopped ? "kafka broker stopped" : "no kafka broker was running");
        return 0;
    }

    @Command(name = "status", description = "Show whether the broker runs; exit 1 when it does not.")
    int status()
    {
        Optional<LocalKafkaBroker.BrokerState> state = LocalKafkaBroker.status(DragnetHome.fromEnvironment());
        spec.commandLine().getOut().println(state
                .map(running -> "kafka broker running: 127.0.0.1:" + running.port() + " (pid " + running.pid() + ", since " + running.startedAt() + ")")
                .orElse("kafka broker not running"));
        return state.isPresent() ? 0 : 1;
    }
}
