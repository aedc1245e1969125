package io.dragnet.cost;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Cost of the daily spot runs: ledger, runs table, HTML report. */
@Command(name = "cost", mixinStandardHelpOptions = true, description = "Cost of the daily spot runs: ledger, runs table, HTML report.")
public final class CostCommand
        implements Callable<Integer>
{
    @Override
    public Integer call()
    {
        throw new UnsupportedOperationException("dragnet cost is not built yet");
    }
}
