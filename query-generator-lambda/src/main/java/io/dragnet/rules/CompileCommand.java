package io.dragnet.rules;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.GenerateJobsResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code dragnet rules compile DIR --date D --out DIR}: writes the day's job specs and IoC tables under
 * {@code OUT/jobs/dt=D/run=RUN/}, the same as the workflow's GenerateJobs step. Good rules are written even when
 * others have problems; the exit code is then 2.
 */
@Command(name = "compile", mixinStandardHelpOptions = true, description = "Compile the rules in DIR into one fused job spec per source for a day.")
public final class CompileCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Rules folder.")
    private String rules;

    @Option(names = "--date", required = true, description = "Day to compile for (YYYY-MM-DD).")
    private LocalDate date;

    @Option(names = "--out", required = true, description = "Work location: specs go to OUT/jobs/dt=DATE/run=RUN/.")
    private Path out;

    @Option(names = "--run-id", description = "Run id; default manual-DATE.")
    private String runId;

    @Option(names = "--lake", description = "Lake location; default $DRAGNET_HOME/lake.")
    private String lake;

    @Option(names = "--results", description = "Results location; default $DRAGNET_HOME/results.")
    private String results;

    @Option(names = "--enrichment", description = "Enrichment data location; default $DRAGNET_HOME/enrichment.")
    private String enrichment;

    @Option(names = "--feeds", description = "Folder of IoC feeds rules may read besides the rules folder; default the iocs folder beside DIR.")
    private String feeds;

    @Option(names = "--skip-missing-sources", description = "Leave out jobs whose source has no data for the day in the lake (as the daily workflow does).")
    private boolean skipMissingSources;

    @Override
    public Integer call()
    {
        DragnetHome home = DragnetHome.fromEnvironment();
        GenerateJobsRequest request = new GenerateJobsRequest(date, runId != null ? runId : "manual-" + date, rules, out.toString(),
                lake != null ? lake : home.lake().toString(),
                results != null ? results : home.results().toString(),
                enrichment != null ? enrichment : home.root().resolve("enrichment").toString(),
                skipMissingSources, feeds == null ? List.of() : List.of(feeds));
        GenerateJobsResult result = GenerateJobs.run(request);
        PrintWriter writer = spec.commandLine().getOut();
        for (GenerateJobsResult.Job job : result.jobs()) {
            writer.println(job.source() + (job.sandbox() ? " (sandbox)" : "") + ": " + job.rules().size() + (job.rules().size() == 1 ? " rule" : " rules")
                    + " -> " + job.specLocation());
        }
        result.sandbox().forEach(line -> writer.println("sandbox: " + line));
        result.warnings().forEach(warning -> writer.println("warning: " + warning));
        result.problems().forEach(writer::println);
        writer.println(result.jobCount() + " job specs for " + result.date() + " (run " + result.runId() + ")"
                + (result.problems().isEmpty() ? "" : "; " + result.problems().size() + " problems, the rules with problems were left out"));
        writer.flush();
        return result.problems().isEmpty() ? 0 : 2;
    }
}
