package io.dragnet.cli;

import io.dragnet.access.AccessCommand;
import io.dragnet.cost.CostCommand;
import io.dragnet.nids.cli.NidsCommand;
import io.dragnet.opensearch.OpenSearchCommand;
import io.dragnet.rules.RulesCommand;
import io.dragnet.rules.feeds.FeedsCommand;
import io.dragnet.rules.sigma.SigmaCommand;
import io.dragnet.sharing.ExportCommand;
import io.dragnet.sharing.alert.NotifyCommand;
import io.dragnet.statemachine.BackfillCommand;
import io.dragnet.statemachine.DailyCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** The root of the {@code dragnet} command line; every module contributes one subcommand. */
@Command(
        name = "dragnet",
        mixinStandardHelpOptions = true,
        version = "dragnet 0.1.0",
        description = "Threat-research data environment: NIDS verdicts, YAML extraction rules, daily spot runs, OpenSearch with per-topic access.",
        subcommands = {
                DemoCommand.class,
                LakeCommand.class,
                RulesCommand.class,
                FeedsCommand.class,
                SigmaCommand.class,
                NidsCommand.class,
                DailyCommand.class,
                BackfillCommand.class,
                OpenSearchCommand.class,
                AccessCommand.class,
                CostCommand.class,
                ExportCommand.class,
                NotifyCommand.class,
        })
public final class DragnetCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand");
    }
}
