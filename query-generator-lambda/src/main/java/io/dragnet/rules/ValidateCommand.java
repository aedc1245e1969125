package io.dragnet.rules;

import io.dragnet.storage.LocalObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dragnet rules validate DIR}: every problem of a rules folder at once, sorted by file and line; exit 0 clean, 2 otherwise. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check every rule in DIR against the rule format, the sources' schemas and the IoC files; print all problems.")
public final class ValidateCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Rules folder (with an optional sources.yaml).")
    private String rules;

    @Option(names = "--date", description = "Day whose IoC validity (STIX valid_from/valid_until) applies; default today (UTC).")
    private LocalDate date;

    @Option(names = "--feeds", description = "Folder of IoC feeds rules may read besides the rules folder; default the iocs folder beside DIR.")
    private String feeds;

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        RuleSet ruleSet = compiler.load(rules);
        LocalDate day = date != null ? date : LocalDate.now(ZoneOffset.UTC);
        Compilation compilation = compiler.compile(ruleSet, new CompileContext(day, "validate", "file:///lake", "file:///work", "file:///results", "file:///enrichment",
                feeds == null ? List.of() : List.of(feeds)));
        compilation.problems().forEach(out::println);
        compilation.warnings().forEach(warning -> out.println("warning: " + warning));
        compilation.notes().forEach(note -> out.println("note: " + note));
        long compiledRules = compilation.jobs().stream().flatMap(job -> job.spec().rules().stream()).map(rule -> rule.id()).distinct().count();
        long files = compilation.problems().stream().map(problem -> problem.position().file()).distinct().count();
        if (compilation.problems().isEmpty()) {
            out.println(compiledRules + " rules valid in " + rules);
            out.flush();
            return 0;
        }
        out.println(compilation.problems().size() + (compilation.problems().size() == 1 ? " problem" : " problems") + " in " + files
                + (files == 1 ? " file" : " files") + "; " + compiledRules + " rules valid");
        out.flush();
        return 2;
    }
}
