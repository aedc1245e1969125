package io.dragnet.access;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Compile and apply the per-topic access policy; mint local tokens. */
@Command(name = "access", mixinStandardHelpOptions = true, description = "Compile and apply the per-topic access policy; mint local tokens.")
public final class AccessCommand
        implements Callable<Integer>
{
    @Override
    public Integer call()
    {
        throw new UnsupportedOperationException("dragnet access is not built yet");
    }
}
