package io.dragnet.nids.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Train, evaluate, replay, stream and benchmark the real-time NIDS, and run its local Kafka broker. */
@Command(name = "nids", mixinStandardHelpOptions = true, description = "Train, evaluate, replay and benchmark the real-time NIDS; compact its verdict lake.",
        subcommands = {
                NidsTrainCommand.class,
                NidsEvaluateCommand.class,
                NidsReplayCommand.class,
                NidsStreamCommand.class,
                NidsBenchCommand.class,
                NidsBenchScorerCommand.class,
                NidsCompactCommand.class,
                NidsBrokerCommand.class})
public final class NidsCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    /** Standalone entry point; the project's CLI mounts this command as {@code dragnet nids}. */
    public static void main(String[] args)
    {
        System.exit(new picocli.CommandLine(new NidsCommand()).setOut(new java.io.PrintWriter(System.out, true)).execute(args));
    }

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand: train, evaluate, replay, stream, bench, bench-scorer, compact or broker");
    }
}
