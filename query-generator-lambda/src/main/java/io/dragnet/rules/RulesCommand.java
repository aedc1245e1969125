package io.dragnet.rules;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Validate, compile and explain extraction rules. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Validate, compile and explain extraction rules.")
public final class RulesCommand
        implements Callable<Integer>
{
    @Override
    public Integer call()
    {
        throw new UnsupportedOperationException("dragnet rules is not built yet");
    }
}
