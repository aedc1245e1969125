package io.dragnet.rules.sigma;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Sigma rules: show them as dragnet rules and check which of a folder's rules can run. */
@Command(
        name = "sigma",
        mixinStandardHelpOptions = true,
        description = "Convert Sigma rules to dragnet rules and check which can run.",
        subcommands = {
                SigmaConvertCommand.class,
                SigmaCheckCommand.class,
        })
public final class SigmaCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand: convert or check");
    }
}
