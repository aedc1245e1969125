package io.dragnet.rules.sigma;

import io.dragnet.rules.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dragnet sigma convert FILE|DIR}: each Sigma rule as the equivalent dragnet rule file; refusals on stderr, exit 2 when any. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Print the dragnet rule each Sigma rule in FILE or DIR compiles as; rules that cannot run are listed on stderr with the reason.")
public final class SigmaConvertCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|DIR", description = "A Sigma rule file, or a rules folder (its pipeline files and sources.yaml apply).")
    private String location;

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SigmaFolder folder = SigmaFolder.load(location);
        List<SigmaRule> rules = folder.sigmaRules();
        List<Problem> refused = new ArrayList<>();
        boolean first = true;
        for (SigmaRule rule : rules) {
            List<Problem> compileProblems = folder.compilation().problems().stream().filter(problem -> rule.id().equals(problem.ruleId())).toList();
            if (!rule.converted() || !compileProblems.isEmpty()) {
                rule.refusals().forEach(refusal -> refused.add(refusal.problem()));
                refused.addAll(compileProblems);
                continue;
            }
            String text;
            try {
                text = DragnetRuleText.of(rule.rule().orElseThrow(), rule.metadata(), shownFile(rule));
            }
            catch (IllegalArgumentException e) {
                refused.add(new Problem(rule.rule().orElseThrow().position(), rule.id(), "compiles, but cannot be printed as a dragnet rule file: " + e.getMessage()));
                continue;
            }
            if (!first) {
                out.println("---");
            }
            first = false;
            out.print(text);
        }
        out.flush();
        refused.stream().sorted().forEach(err::println);
        if (rules.isEmpty()) {
            err.println("no Sigma rules in " + location + "; expected .yml/.yaml files with 'logsource' and 'detection'");
        }
        err.flush();
        return rules.isEmpty() || !refused.isEmpty() ? 2 : 0;
    }

    private static String shownFile(SigmaRule rule)
    {
        return rule.rule().map(value -> value.position().file()).orElse(rule.id());
    }
}
