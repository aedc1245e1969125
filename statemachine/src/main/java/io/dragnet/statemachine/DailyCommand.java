package io.dragnet.statemachine;

import io.dragnet.anonymization.SharingKeys;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** Run the daily workflow (statemachine/daily-run.asl.json) with the local executor. */
@Command(name = "daily", mixinStandardHelpOptions = true,
        description = "Run the daily workflow (statemachine/daily-run.asl.json) with the local executor: Lambdas in-process, EMR as a local Spark session. "
                + "Prints every problem (broken rules with positions, skipped sources, days without data); exits 1 when the run failed or anything asked for did not run.")
public final class DailyCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--date", required = true, description = "Day to process, YYYY-MM-DD.")
    private String date;

    @Option(names = "--definition", description = "ASL file to run (default: statemachine/daily-run.asl.json, else the bundled copy).")
    private Path definition;

    @Option(names = "--keep-cluster", description = "Keep the local Spark session alive after TerminateCluster (the cluster record is still stamped terminated).")
    private boolean keepCluster;

    @Option(names = "--input", description = "Override a workflow input key, e.g. --input rulesLocation=file:///path/rules (repeatable).")
    private Map<String, String> input = new LinkedHashMap<>();

    @Option(names = "--share", description = "Sharing policy (e.g. samples/sharing.yaml): after Publish, alert its channels and make its scheduled exports of the day "
            + "(under $DRAGNET_HOME/results/exports/<date>/); the key is $DRAGNET_HOME/secrets/sharing.key.")
    private Path sharingPolicy;

    @Override
    public Integer call()
    {
        LocalDate day;
        try {
            day = LocalDate.parse(date);
        }
        catch (DateTimeParseException e) {
            throw DragnetException.user("--date: expected YYYY-MM-DD, got '" + date + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        DragnetHome home = DragnetHome.fromEnvironment();
        Map<String, Object> overrides = new LinkedHashMap<>(input);
        if (sharingPolicy != null) {
            if (!Files.isRegularFile(sharingPolicy)) {
                throw DragnetException.user("--share " + sharingPolicy + ": no such file; expected a sharing policy such as samples/sharing.yaml");
            }
            overrides.put("sharing", Map.of("policy", sharingPolicy.toAbsolutePath().toUri().toString(),
                    "keyFile", SharingKeys.localFile(home).toString()));
        }
        ExecutionResult result = new DailyRun(out, keepCluster).run(home, day, definition, overrides);
        if (!result.leakedClusters().isEmpty()) {
            out.println("the workflow definition left clusters running: " + result.leakedClusters());
        }
        return exitCode(result);
    }

    /** 0 only when the run succeeded, left nothing running and did everything asked (no broken rule, no source or day without data). */
    static int exitCode(ExecutionResult result)
    {
        return result.complete() && result.leakedClusters().isEmpty() ? 0 : 1;
    }
}
