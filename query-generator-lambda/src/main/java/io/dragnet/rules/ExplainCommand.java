package io.dragnet.rules;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.storage.LocalObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code dragnet rules explain DIR}: the plan per source — one pass, and which rule contributes which predicate — and
 * where a daily run would write, sandbox or published, decided as GenerateJobs decides it (test rules, and topics whose
 * published rule set this folder lacks part of). Writes nothing.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, description = "Show the fused plan per source: which rule contributes which predicate, and the IoC tables.")
public final class ExplainCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Rules folder.")
    private String rules;

    @Option(names = "--date", description = "Day to plan for; default today (UTC).")
    private LocalDate date;

    @Option(names = "--results", description = "Results location holding the topics' published rule sets (rule-sets/<topic>.json); default $DRAGNET_HOME/results.")
    private String results;

    private final Clock clock;

    public ExplainCommand()
    {
        this(Clock.systemUTC());
    }

    /** @param clock gives the default --date, today in UTC */
    public ExplainCommand(Clock clock)
    {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Integer call()
    {
        DragnetHome home = DragnetHome.fromEnvironment();
        LocalDate day = date != null ? date : LocalDate.now(clock);
        CompileContext context = new CompileContext(day, "explain", Locations.normalize(home.lake().toString()), Locations.normalize(home.work().toString()),
                Locations.normalize(results != null ? results : home.results().toString()), Locations.normalize(home.root().resolve("enrichment").toString()));
        LocalObjectStore store = new LocalObjectStore();
        RuleCompiler compiler = new RuleCompiler(store);
        PublishedRuleSets published = new PublishedRuleSets(store, context.resultsLocation());
        Map<String, List<String>> partial = new TreeMap<>();
        Compilation compilation = compiler.compile(compiler.load(rules), context, topics -> {
            partial.putAll(published.missing(topics));
            return partial.keySet();
        });
        PrintWriter out = spec.commandLine().getOut();
        out.print(PlanExplainer.explain(compilation));
        GenerateJobs.sandboxReport(compilation, partial, context).forEach(line -> out.println("sandbox: " + line.replace("-explain", "-<run id>")));
        out.flush();
        return compilation.problems().isEmpty() ? 0 : 2;
    }
}
