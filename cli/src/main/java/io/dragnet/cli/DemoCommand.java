package io.dragnet.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Runs the whole environment on this machine: engines, NIDS replay, access policy, the daily workflow. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the whole environment on this machine (embedded default).")
public final class DemoCommand
        implements Callable<Integer>
{
    @Override
    public Integer call()
    {
        throw new UnsupportedOperationException("dragnet demo is not built yet");
    }
}
