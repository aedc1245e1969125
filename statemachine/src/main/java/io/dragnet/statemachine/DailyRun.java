package io.dragnet.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dragnet.cleanup.CleanupRunClustersHandler;
import io.dragnet.cleanup.ExecutionStatusChange;
import io.dragnet.cleanup.FindRunClusterHandler;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunIds;
import io.dragnet.statemachine.internal.JsonPaths;
import io.dragnet.statemachine.local.ClusterEngine;
import io.dragnet.statemachine.local.LocalEmr;
import io.dragnet.statemachine.local.LocalLambdas;
import io.dragnet.statemachine.local.SparkEngine;
import io.dragnet.storage.OwnerOnly;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Runs the daily workflow on this machine with the very definition that is deployed: substitutions from
 * {@link LocalBindings}, Lambdas in-process, EMR as a local Spark session, waits scaled down. Writes the execution
 * history to {@code <results>/executions/<name>.json} and prints a timeline. The Lambdas that keep clusters from
 * outliving their run are the deployed handlers over the local EMR binding: LookForRunCluster is
 * {@link FindRunClusterHandler}, and an execution that ends FAILED, TIMED_OUT or ABORTED is handed, as the
 * EventBridge rule hands it on AWS, to the run-ended workflow, which terminates its clusters with
 * {@link CleanupRunClustersHandler} and records the run in the ledger unless the run did. A cluster still running after
 * that is a bug: it is terminated and reported as leaked.
 */
public final class DailyRun
{
    public static final String DEFINITION_RESOURCE = "/io/dragnet/statemachine/daily-run.asl.json";
    public static final String STATE_MACHINE_NAME = "dragnet-daily-run";
    /** The substitution naming the LookForRunCluster Lambda. */
    static final String FIND_RUN_CLUSTER = "FindRunClusterFunctionArn";
    /** The run-ended workflow: what EventBridge starts when a daily execution ends FAILED, TIMED_OUT or ABORTED. */
    public static final String RUN_ENDED_FILE = "run-ended.asl.json";
    public static final String RUN_ENDED_NAME = "dragnet-run-ended";
    /** The substitution naming the cleanup Lambda of the run-ended workflow. */
    static final String CLEANUP_RUN_CLUSTERS = "CleanupRunClustersFunctionArn";
    /** The run-ended workflow's substitution for the results location (on AWS the stack's results bucket; here the run's). */
    static final String RESULTS_LOCATION = "ResultsLocation";

    private final LocalBindings bindings;
    private final ClusterEngine engine;
    private final boolean keepCluster;
    private final Sleeper sleeper;
    private final Clock clock;
    private final PrintWriter timeline;
    private final TaskResourceOverride override;

    /** Replaces or wraps bindings before a run (tests inject failures here). */
    @FunctionalInterface
    public interface TaskResourceOverride
    {
        TaskResources apply(TaskResources resources);
    }

    public DailyRun(LocalBindings bindings, ClusterEngine engine, boolean keepCluster, Sleeper sleeper, Clock clock, PrintWriter timeline, TaskResourceOverride override)
    {
        this.clock = requireNonNull(clock, "clock is null");
        this.bindings = requireNonNull(bindings, "bindings is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.keepCluster = keepCluster;
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.timeline = requireNonNull(timeline, "timeline is null");
        this.override = requireNonNull(override, "override is null");
    }

    /** The default local wiring: bundled bindings, a local[*] Spark session as the cluster, waits at 1/1000. */
    public DailyRun(PrintWriter timeline, boolean keepCluster)
    {
        this(LocalBindings.defaults(), new SparkEngine(), keepCluster, Sleeper.scaled(0.001), Clock.systemUTC(), timeline, resources -> resources);
    }

    public DailyRun()
    {
        this(new PrintWriter(System.out, true), false);
    }

    /**
     * @param definition the ASL file; null for ./statemachine/daily-run.asl.json when present, else the copy bundled in this jar
     * @param inputOverrides replaces keys of the workflow input (date, runId, rulesLocation, workLocation, lakeLocation,
     *         resultsLocation, enrichmentLocation, opensearchConnection…)
     */
    public ExecutionResult run(DragnetHome home, LocalDate date, Path definition, Map<String, Object> inputOverrides)
    {
        return run(home, date, definition, inputOverrides, ExecutionControl.none());
    }

    /** As {@link #run(DragnetHome, LocalDate, Path, Map)}, with a handle to stop the execution or watch its states. */
    public ExecutionResult run(DragnetHome home, LocalDate date, Path definition, Map<String, Object> inputOverrides, ExecutionControl control)
    {
        requireNonNull(home, "home is null");
        requireNonNull(date, "date is null");
        String source = definition == null ? defaultDefinitionName() : definition.toString();
        String text = definition == null ? defaultDefinition() : read(definition);
        StateMachine machine = StateMachine.parse(StateMachine.substitute(text, bindings.substitutions()), source);

        ObjectNode input = defaultInput(home, date, clock);
        if (inputOverrides != null) {
            inputOverrides.forEach((key, value) -> input.set(key, JsonPaths.mapper().valueToTree(value)));
        }
        String executionName = "daily-" + input.path("date").asText() + "-" + input.path("runId").asText();

        PrintStream lambdaLog = new PrintStream(new WriterOutputStream(timeline), true, StandardCharsets.UTF_8);
        LocalLambdas lambdas = new LocalLambdas(bindings.handlersByFunction(), lambdaLog);
        LocalEmr emr = new LocalEmr(home.results(), engine, keepCluster, clock);
        emr.markAbandoned().forEach(id -> timeline.println("cluster " + id + " was left by a killed run; its record is marked TERMINATED_WITH_ERRORS"));
        LocalLambdas withClusterLookup = lambdas.with(bindings.substitutions().get(FIND_RUN_CLUSTER), new FindRunClusterHandler(emr));
        TaskResources resources = override.apply(emr.bind(TaskResources.empty()
                .with(LocalLambdas.INVOKE, withClusterLookup)
                .with(LocalLambdas.INVOKE + ".waitForTaskToken", withClusterLookup)));

        timeline.println("daily run " + executionName + " (" + source + ")");
        ExecutionOutcome outcome;
        List<String> cleanedUp;
        List<String> leaked;
        try {
            outcome = new Executor(resources, sleeper, clock).execute(machine, STATE_MACHINE_NAME, executionName, input, control);
            cleanedUp = runEnded(outcome, input, emr, lambdas);
        }
        finally {
            // Nothing outlives the run, whatever happened in it; a cluster found here escaped the workflow and its cleanup.
            leaked = emr.runningClusters();
            if (!leaked.isEmpty()) {
                emr.terminateAll("LEAKED_BY_WORKFLOW");
                timeline.println("WARNING: the workflow left cluster(s) " + leaked + " running; terminated by the local safety net");
            }
        }
        Path historyFile = home.results().resolve("executions").resolve(executionName + ".json");
        ObjectNode history = JsonPaths.object();
        history.set("events", JsonPaths.mapper().valueToTree(outcome.events()));
        ObjectNode execution = history.putObject("execution");
        execution.put("executionArn", outcome.executionArn());
        execution.put("name", outcome.name());
        execution.put("status", outcome.status());
        execution.put("startDate", outcome.startDate().toString());
        execution.put("stopDate", outcome.stopDate().toString());
        execution.put("input", input.toString());
        if (outcome.output() != null) {
            execution.put("output", outcome.output().toString());
        }
        if (outcome.error() != null) {
            execution.put("error", outcome.error());
            execution.put("cause", outcome.cause());
        }
        OwnerOnly.writeAtomically(historyFile, Json.write(history));

        Timeline.print(outcome.events(), timeline);
        String clusterId = emr.clusterIds().isEmpty() ? null : emr.clusterIds().get(emr.clusterIds().size() - 1);
        ExecutionResult result = new ExecutionResult(executionName, outcome.status(), outcome.output(), outcome.error(), outcome.cause(), historyFile, clusterId,
                cleanedUp, leaked);
        List<String> problems = result.problems();
        String status = outcome.status() + (problems.isEmpty() ? "" : " WITH " + problems.size() + (problems.size() == 1 ? " PROBLEM" : " PROBLEMS"));
        timeline.println(status + (outcome.error() == null ? "" : " " + outcome.error()) + "; history: " + historyFile
                + (clusterId == null ? "" : "; cluster record: " + emr.recordFile(clusterId)));
        if (outcome.output() != null) {
            JsonNode shared = outcome.output().path("shared").path("result");
            shared.path("exports").forEach(export -> timeline.println("shared with " + export.path("recipient").asText() + " (" + export.path("format").asText() + ", "
                    + export.path("rows").asInt() + " rows): " + export.path("file").asText()));
            shared.path("deliveries").forEach(delivery -> timeline.println("alert to " + delivery.path("channel").asText() + ": " + delivery.path("status").asText()
                    + (delivery.path("error").isTextual() ? " (" + delivery.path("error").asText() + ")" : "")));
        }
        if (outcome.output() != null && outcome.output().path("published").path("result").path("backfill").asBoolean()) {
            outcome.output().path("published").path("result").path("published").forEach(published -> timeline.println("backfilled " + published.path("index").asText()
                    + " into " + published.path("dayAlias").asText() + " and " + published.path("topicAlias").asText()));
        }
        if (!problems.isEmpty()) {
            timeline.println("not everything asked for ran:");
            problems.forEach(problem -> timeline.println("  - " + problem));
        }
        if (!result.warnings().isEmpty()) {
            timeline.println("warnings (the rules they name still ran):");
            result.warnings().forEach(warning -> timeline.println("  - " + warning));
        }
        if (!result.sandbox().isEmpty()) {
            timeline.println("sandbox (readable by the topic's research group only; nothing published changed):");
            result.sandbox().forEach(line -> timeline.println("  - " + line));
        }
        timeline.flush();
        return result;
    }

    /**
     * What EventBridge does on AWS when an execution ends FAILED, TIMED_OUT or ABORTED: starts the run-ended workflow
     * ({@code run-ended.asl.json}) with the execution's status-change event. It runs here on the same executor, with
     * the deployed cleanup handler over the local EMR binding and this run's RecordRunCost binding; it terminates the
     * execution's clusters, waits for them, and records the run unless the workflow already did. Returns the clusters
     * it terminated.
     */
    private List<String> runEnded(ExecutionOutcome outcome, ObjectNode input, LocalEmr emr, LocalLambdas lambdas)
    {
        if (!ExecutionStatusChange.UNFINISHED_CLEANUP.contains(outcome.status())) {
            return List.of();
        }
        ObjectNode event = JsonPaths.object();
        event.put("source", "aws.states");
        event.put("detail-type", ExecutionStatusChange.DETAIL_TYPE);
        ObjectNode detail = event.putObject("detail");
        detail.put("executionArn", outcome.executionArn());
        detail.put("name", outcome.name());
        detail.put("status", outcome.status());
        detail.put("startDate", outcome.startDate().toEpochMilli());
        detail.put("stopDate", outcome.stopDate().toEpochMilli());
        detail.put("input", input.toString());
        detail.put("error", outcome.error());
        detail.put("cause", outcome.cause());

        Map<String, String> substitutions = new LinkedHashMap<>(bindings.substitutions());
        substitutions.put(RESULTS_LOCATION, input.path("resultsLocation").asText());
        StateMachine machine = StateMachine.parse(StateMachine.substitute(definition(RUN_ENDED_FILE), substitutions), RUN_ENDED_FILE);
        LocalLambdas withCleanup = lambdas.with(bindings.substitutions().get(CLEANUP_RUN_CLUSTERS), new CleanupRunClustersHandler(emr));
        TaskResources resources = emr.bind(TaskResources.empty().with(LocalLambdas.INVOKE, withCleanup));
        ExecutionOutcome ended = new Executor(resources, sleeper, clock).execute(machine, RUN_ENDED_NAME, outcome.name(), event);
        if (!"SUCCEEDED".equals(ended.status())) {
            timeline.println("WARNING: run-ended workflow after " + outcome.status() + " ended " + ended.status() + ": " + ended.error() + " " + ended.cause());
            return List.of();
        }
        List<String> terminated = new ArrayList<>();
        ended.output().path("cleanup").path("terminated").forEach(id -> terminated.add(id.asText()));
        JsonNode ledger = ended.output().path("recorded").path("ledger");
        timeline.println("run ended " + outcome.status() + ": terminated cluster(s) " + terminated + "; ledger row "
                + (ledger.path("alreadyRecorded").asBoolean() ? "already recorded by the run" : "recorded") + " (" + ledger.path("status").asText() + ")");
        return terminated;
    }

    static ObjectNode defaultInput(DragnetHome home, LocalDate date, Clock clock)
    {
        ObjectNode input = JsonPaths.object();
        input.put("date", date.toString());
        input.put("runId", RunIds.startedAt(clock.instant())
                + "-" + UUID.randomUUID().toString().substring(0, 6));
        input.put("rulesLocation", home.root().resolve("rules").toUri().toString());
        input.put("workLocation", home.work().toUri().toString());
        input.put("lakeLocation", home.lake().toUri().toString());
        input.put("resultsLocation", home.results().toUri().toString());
        input.put("enrichmentLocation", home.root().resolve("enrichment").toUri().toString());
        return input;
    }

    private static String defaultDefinitionName()
    {
        Path local = Path.of("statemachine", "daily-run.asl.json");
        return Files.isRegularFile(local) ? local.toString() : "classpath:" + DEFINITION_RESOURCE;
    }

    /** The deployed definition: the working copy when run from the repository, else the one bundled in this jar. */
    public static String defaultDefinition()
    {
        return definition("daily-run.asl.json");
    }

    /** A deployed definition by file name: ./statemachine/&lt;file&gt; when run from the repository, else the copy bundled in this jar. */
    static String definition(String file)
    {
        Path local = Path.of("statemachine", file);
        if (Files.isRegularFile(local)) {
            return read(local);
        }
        String resource = "/io/dragnet/statemachine/" + file;
        try (InputStream in = DailyRun.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file)
    {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            throw DragnetException.user("cannot read the workflow definition " + file + ": " + e.getMessage());
        }
    }

    /** Lambda log lines go to the timeline writer. */
    private static final class WriterOutputStream
            extends java.io.OutputStream
    {
        private final PrintWriter writer;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        WriterOutputStream(PrintWriter writer)
        {
            this.writer = writer;
        }

        @Override
        public synchronized void write(int b)
        {
            if (b == '\n') {
                writer.println(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
            else {
                line.write(b);
            }
        }

        @Override
        public synchronized void flush()
        {
            writer.flush();
        }
    }

}
