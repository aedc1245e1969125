package io.dragnet.rules.sigma;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code dragnet sigma check DIR}: converted rules with the sources each reads, refused rules by reason; exit 0 when all convert, else 2. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Table of a folder's Sigma rules: how many convert, the refused ones by reason, and the sources each converted rule reads.")
public final class SigmaCheckCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Rules folder (its pipeline files and sources.yaml apply).")
    private String location;

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        SigmaFolder folder = SigmaFolder.load(location);
        SigmaReport report = SigmaReport.of(folder.ruleSet(), folder.compilation());
        out.print(report.table());
        out.flush();
        return report.refusedCount() == 0 && !report.converted().isEmpty() ? 0 : 2;
    }
}
