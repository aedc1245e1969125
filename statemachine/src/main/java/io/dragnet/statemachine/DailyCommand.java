package io.dragnet.statemachine;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Run the daily workflow (statemachine/daily-run.asl.json) with the local executor. */
@Command(name = "daily", mixinStandardHelpOptions = true, description = "Run the daily workflow (statemachine/daily-run.asl.json) with the local executor.")
public final class DailyCommand
        implements Callable<Integer>
{
    @Override
    public Integer call()
    {
        throw new UnsupportedOperationException("dragnet daily is not built yet");
    }
}
