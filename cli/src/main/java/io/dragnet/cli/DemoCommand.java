package io.dragnet.cli;

import io.dragnet.access.AccessPolicy;
import io.dragnet.access.AccessPolicyParser;
import io.dragnet.access.AuditConfig;
import io.dragnet.access.SecurityApplier;
import io.dragnet.access.cognito.CognitoLocal;
import io.dragnet.access.cognito.LocalSignIn;
import io.dragnet.access.SecurityCompiler;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.contracts.RunFolders;
import io.dragnet.contracts.RunIds;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.nids.NidsDayResult;
import io.dragnet.nids.NidsPipeline;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.OpenSearchSetup;
import io.dragnet.rules.SourceCatalog;
import io.dragnet.sparkjobs.lake.ImportSummary;
import io.dragnet.sparkjobs.lake.ZeekLakeImporter;
import io.dragnet.statemachine.DailyRun;
import io.dragnet.statemachine.ExecutionResult;
import io.dragnet.storage.RepositoryPaths;
import org.opensearch.client.opensearch.OpenSearchClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The main job on the embedded default: starts the local engines, produces the day's NIDS verdicts through Kafka and
 * Spark Structured Streaming, imports the day's Zeek logs, applies the OpenSearch setup and access policy, runs the
 * daily workflow from statemachine/daily-run.asl.json with the local executor, and shows who can see what.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the whole environment on this machine (embedded default) and print where everything is.")
public final class DemoCommand
        implements Callable<Integer>
{
    private static final int STAGES = 6;

    @Spec
    private CommandSpec spec;

    @Option(names = "--date", description = "Day to process (default: ${DEFAULT-VALUE}, the first day of the sample Trickbot capture).")
    private LocalDate date = LocalDate.parse("2018-11-02");

    @Option(names = "--sessions", description = "Sessions replayed through the real-time NIDS (default: ${DEFAULT-VALUE}).")
    private int sessions = 20_000;

    @Option(names = "--rate", description = "Replay rate in sessions/s; 0 sends flat out (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--rules", description = "Rules folder (default: samples/rules).")
    private Path rules;

    @Option(names = "--zeek", description = "Folder of Zeek logs to import (default: zeek/trickbot-2018-11 under $DRAGNET_DATASETS when set and present, else samples/zeek).")
    private Path zeek;

    @Option(names = "--policy", description = "Access policy (default: samples/access-policy.yaml).")
    private Path policy;

    @Option(names = "--home", description = "State folder (default: $DRAGNET_HOME or .dragnet).")
    private Path home;

    @Option(names = "--keep-running", description = "Leave OpenSearch and Kafka running afterwards for exploration.")
    private boolean keepRunning;

    private final Clock clock;

    public DemoCommand()
    {
        this(Clock.systemUTC());
    }

    /** @param clock gives the run id, the second the demo starts */
    public DemoCommand(Clock clock)
    {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        Path repository = RepositoryPaths.root();
        DragnetHome dragnetHome = DragnetHome.fromOption(home);
        Path rulesFolder = existing(rules == null ? repository.resolve("samples/rules") : rules, "--rules");
        Path zeekFolder = existing(zeek == null ? RepositoryPaths.dataset("zeek/trickbot-2018-11", "zeek") : zeek, "--zeek");
        Path policyFile = existing(policy == null ? repository.resolve("samples/access-policy.yaml") : policy, "--policy");
        Path enrichment = existing(repository.resolve("samples/enrichment"), "samples/enrichment");
        AccessPolicy accessPolicy = AccessPolicyParser.parse(policyFile);
        AuditConfig audit = AuditConfig.read(AuditConfig.besidePolicy(policyFile));
        List<String> topics = OpenSearchSetup.Options.local().topics();
        String runId = "demo-" + RunIds.startedAt(clock.instant());

        out.printf("dragnet demo — day %s, home %s%n", date, dragnetHome.root());
        StageLog stages = new StageLog(out, STAGES);
        try (EmbeddedEngines engines = new EmbeddedEngines(dragnetHome, keepRunning, out)) {
            OpenSearchConnection connection = stages.run("start OpenSearch (security plugin, TLS, generated credentials)",
                    () -> new StageLog.Outcome<>(engines.startOpenSearch(), -1, ""));
            Path connectionFile = OpenSearchConnection.defaultFile(dragnetHome);
            // Spark jobs run in this JVM; point them at this home's node whatever DRAGNET_HOME says.
            System.setProperty("dragnet.opensearch.connection", connectionFile.toString());

            stages.run("apply index templates and the access policy (OpenSearch roles, local Cognito user pool)", () -> {
                OpenSearchClient client = OpenSearchClients.create(connection);
                try (CognitoLocal cognito = CognitoLocal.start(dragnetHome)) {
                    int changes = new OpenSearchSetup(client, OpenSearchSetup.Options.local()).apply().size();
                    List<String> applied = new SecurityApplier(client).apply(SecurityCompiler.compileLocal(accessPolicy), audit);
                    new LocalSignIn(dragnetHome, cognito).apply(accessPolicy, cognito);
                    return new StageLog.Outcome<>(null, -1, changes + " setup objects checked, " + applied.size() + " security objects applied from "
                            + policyFile.getFileName() + " and " + AuditConfig.FILE_NAME + "; a signed-in demo user per group");
                }
                finally {
                    OpenSearchClients.close(client);
                }
            });

            NidsDayResult nids = stages.run("NIDS: model, Kafka replay, streaming features and scoring", () -> {
                NidsDayResult result = NidsPipeline.runDay(engines.spark(), dragnetHome, date, sessions, rate, out);
                return new StageLog.Outcome<>(result, result.verdicts(), String.format(Locale.ROOT,
                        "%,d malicious, %,d dead letters, p99 end to end %s ms; model %s against the sessions' truth: accuracy %.3f, FPR %.3f",
                        result.malicious(), result.deadLetters(), result.endToEnd() == null ? "?" : String.format(Locale.ROOT, "%.0f", result.endToEnd().p99()),
                        result.modelVersion(), result.againstTruth().accuracy(), result.againstTruth().falsePositiveRate()));
            });

            ImportSummary imported = stages.run("import Zeek logs into the lake", () -> {
                ImportSummary summary = new ZeekLakeImporter(SourceCatalog.builtIn().schemas()).importLogs(zeekFolder, dragnetHome.lake(), ZeekLakeImporter.Selection.ALL);
                if (!summary.complete()) {
                    LakeImportCommand.print(out, summary, dragnetHome.lake());
                    throw DragnetException.user("the Zeek logs in " + zeekFolder + " did not import completely (see above)");
                }
                return new StageLog.Outcome<>(summary, summary.records(), summary.partitions().size() + " day partitions (typed Parquet) from " + zeekFolder);
            });

            ExecutionResult execution = stages.run("daily workflow: statemachine/daily-run.asl.json on the local executor", () -> {
                Map<String, Object> input = Map.of(
                        "runId", runId,
                        "rulesLocation", rulesFolder.toUri().toString(),
                        "enrichmentLocation", enrichment.toUri().toString(),
                        "opensearchConnection", connectionFile.toString());
                ExecutionResult result = new DailyRun(out, false).run(dragnetHome, date, repository.resolve("statemachine/daily-run.asl.json"), input);
                return new StageLog.Outcome<>(result, -1, result.status());
            });

            List<AccessCheck.GroupView> views = stages.run("check what each group can see", () -> {
                List<AccessCheck.GroupView> result = AccessCheck.run(dragnetHome, connection, accessPolicy, topics, date);
                return new StageLog.Outcome<>(result, -1, result.size() + " groups");
            });

            new DemoReport(out, dragnetHome, date, runId, connection, nids, imported, execution, views, topics, readMetrics(dragnetHome, date, runId), stages.timings())
                    .print();
            if (!execution.succeeded()) {
                throw new DragnetException(DragnetException.Category.EXTERNAL,
                        "daily workflow " + execution.status() + ": " + execution.error() + " — " + execution.cause() + " (history: " + execution.historyFile() + ")");
            }
            return 0;
        }
    }

    private static List<RunMetrics> readMetrics(DragnetHome home, LocalDate date, String runId)
    {
        Path directory = home.results().resolve(RunFolders.relative(RunFolders.RUNS, date.toString(), runId));
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".metrics.json"))
                    .sorted()
                    .map(file -> Json.read(file, RunMetrics.class))
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path existing(Path path, String what)
    {
        if (!Files.exists(path)) {
            throw DragnetException.user(what + ": " + path + " does not exist");
        }
        return path.toAbsolutePath().normalize();
    }
}
