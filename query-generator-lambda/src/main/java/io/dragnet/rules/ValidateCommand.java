package io.dragnet.rules;

import io.dragnet.contracts.DragnetException;
import io.dragnet.storage.LocalObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code dragnet rules validate DIR}: every problem of a rules folder at once, sorted by file and line; exit 0 clean, 2
 * otherwise. With a {@link NotifyChannelCheck} (the command line's, which reads sharing policies) the channels rules
 * name under {@code notify:} are checked against the sharing policy given with {@code --sharing}, or else against a
 * {@code sharing.yaml} beside the rules folder when there is one.
 */
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

    @Option(names = "--sharing", paramLabel = "FILE", description = "Sharing policy whose channels rules may name under notify:; default sharing.yaml beside DIR when it exists.")
    private Path sharing;

    private final NotifyChannelCheck channels;
    private final Clock clock;

    /** Checks rules without a channels configuration: {@code notify:} is checked for its shape only. */
    public ValidateCommand()
    {
        this(null);
    }

    /** @param channels checks {@code notify:} channels against a sharing policy, or null when this build cannot read one */
    public ValidateCommand(NotifyChannelCheck channels)
    {
        this(channels, Clock.systemUTC());
    }

    /** @param clock gives the default --date, today in UTC */
    public ValidateCommand(NotifyChannelCheck channels, Clock clock)
    {
        this.channels = channels;
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        RuleSet ruleSet = compiler.load(rules);
        LocalDate day = date != null ? date : LocalDate.now(clock);
        // validation reads no earlier run: the previous day counts as part of this one, so no warning about its published hits
        Compilation compilation = compiler.compile(ruleSet, new CompileContext(day, "validate", "file:///lake", "file:///work", "file:///results", "file:///enrichment",
                feeds == null ? List.of() : List.of(feeds), day, day.minusDays(1)));
        List<Problem> problems = new ArrayList<>(compilation.problems());
        Optional<Path> policy = sharingPolicy();
        if (policy.isPresent()) {
            problems.addAll(channels.problems(ruleSet, policy.get().toString()));
            problems.sort(null);
            out.println("note: notify channels checked against " + policy.get());
        }
        problems.forEach(out::println);
        compilation.warnings().forEach(warning -> out.println("warning: " + warning));
        compilation.notes().forEach(note -> out.println("note: " + note));
        long compiledRules = compilation.jobs().stream().flatMap(job -> job.spec().rules().stream()).map(rule -> rule.id()).distinct().count();
        long files = problems.stream().map(problem -> problem.position().file()).distinct().count();
        if (problems.isEmpty()) {
            out.println(compiledRules + " rules valid in " + rules);
            out.flush();
            return 0;
        }
        out.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in " + files
                + (files == 1 ? " file" : " files") + "; " + compiledRules + " rules valid");
        out.flush();
        return 2;
    }

    /** The sharing policy to check channels against: --sharing, else sharing.yaml beside the rules folder; none without a checker. */
    private Optional<Path> sharingPolicy()
    {
        if (channels == null) {
            if (sharing != null) {
                throw DragnetException.user("--sharing: this command cannot read sharing policies here; run it as dragnet rules validate");
            }
            return Optional.empty();
        }
        if (sharing != null) {
            if (!Files.isRegularFile(sharing)) {
                throw DragnetException.user("--sharing: no sharing policy at " + sharing + "; expected a sharing.yaml file");
            }
            return Optional.of(sharing);
        }
        Path parent = Path.of(rules).toAbsolutePath().normalize().getParent();
        return Optional.ofNullable(parent).map(folder -> folder.resolve("sharing.yaml")).filter(Files::isRegularFile);
    }
}
