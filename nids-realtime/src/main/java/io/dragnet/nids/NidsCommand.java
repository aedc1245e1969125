package io.dragnet.nids;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Train, evaluate, replay and benchmark the real-time NIDS. */
@Command(name = "nids", mixinStandardHelpOptions = true, description = "Train, evaluate, replay and benchmark the real-time NIDS.")
public final class NidsCommand
        implements Callable<Integer>
{
    @Override
    public Integer call()
    {
        throw new UnsupportedOperationException("dragnet nids is not built yet");
    }
}
