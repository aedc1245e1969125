package io.dragnet.rules;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Validate, compile and explain extraction rules. */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "Validate, compile and explain extraction rules.",
        subcommands = {
                ValidateCommand.class,
                CompileCommand.class,
                ExplainCommand.class,
        })
public final class RulesCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand: validate, compile or explain");
    }
}
