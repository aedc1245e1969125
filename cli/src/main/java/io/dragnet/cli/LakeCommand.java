package io.dragnet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code dragnet lake}: what goes into the lake. */
@Command(name = "lake", mixinStandardHelpOptions = true, description = "Load data into the lake.", subcommands = LakeImportCommand.class)
public final class LakeCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand: import");
    }
}
