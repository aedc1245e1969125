package io.dragnet.rules.feeds;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Feeds that fetch themselves: {@code dragnet feeds fetch}. */
@Command(name = "feeds", mixinStandardHelpOptions = true, description = "Fetch the IoC feeds of a feeds.yaml into dated snapshots that rules read as feed:<name>.",
        subcommands = FeedsFetchCommand.class)
public final class FeedsCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand: fetch");
    }
}
