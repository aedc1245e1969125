package io.dragnet.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.statemachine.internal.JsonPaths;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the deployed daily-run.asl.json with hand-written handlers and a counting engine, and injects a failure into
 * each task in turn: every failed run must end FAILED with the original error, its cluster terminated, and its cost recorded.
 */
final class TestDailyRun
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final String FAILING = FakeHandlers.Failing.class.getName();

    @TempDir
    Path temp;

    private DragnetHome home;
    private Path definition;
    private CountingEngine engine;
    private MutableClock clock;
    private RecordingSleeper sleeper;
    private StringWriter timeline;

    @BeforeEach
    void setUp()
            throws IOException
    {
        FakeHandlers.CALLS.clear();
        FakeHandlers.StepMain.SPECS.clear();
        FakeHandlers.CompactionMain.CALLS.clear();
        FakeHandlers.CompactionMain.fail = false;
        home = new DragnetHome(temp.resolve("home"));
        definition = definitionWithFakeSteps(temp);
        engine = new CountingEngine();
        clock = new MutableClock(java.time.Instant.parse("2018-11-03T02:30:00Z"));
        sleeper = new RecordingSleeper(clock);
        timeline = new StringWriter();
    }

    @Test
    void successfulRunTerminatesTheClusterBeforeRecordingItsCost()
            throws IOException
    {
        ExecutionResult result = run(bindings(), Map.of(), resources -> resources);

        assertThat(result.status()).as(timeline.toString()).isEqualTo("SUCCEEDED");
        assertThat(result.clusterId()).startsWith("j-");
        assertThat(result.leakedClusters()).isEmpty();
        assertThat(FakeHandlers.StepMain.SPECS).hasSize(2);
        ClusterRecord record = Json.read(home.results().resolve("clusters").resolve(result.clusterId() + ".json"), ClusterRecord.class);
        assertThat(record.state()).isEqualTo("TERMINATED");
        assertThat(record.terminatedAt()).isNotNull();
        assertThat(record.estimate()).isTrue();
        assertThat(record.date()).isEqualTo("2018-11-02");
        assertThat(record.steps()).extracting(ClusterRecord.Step::state).containsExactly("COMPLETED", "COMPLETED", "COMPLETED");
        assertThat(record.steps().get(0).name()).startsWith("compact nids_verdicts dt=2018-11-02");
        assertThat(FakeHandlers.CompactionMain.CALLS).singleElement().satisfies(args -> assertThat(args)
                .containsSubsequence("--lake", home.lake().toUri().toString()).containsSubsequence("--day", "2018-11-02"));
        assertThat(record.requested()).containsKey("Instances");
        assertThat(engine.starts).isEqualTo(1);
        assertThat(engine.stops).isEqualTo(1);

        List<FakeHandlers.Call> costs = FakeHandlers.calls(FakeHandlers.RecordRunCost.class);
        assertThat(costs).hasSize(1);
        assertThat(costs.get(0).input()).containsEntry("outcome", "SUCCEEDED").containsEntry("clusterId", result.clusterId());
        assertThat(costs.get(0).clusterStateSeen()).isEqualTo("TERMINATED+terminatedAt");
        assertThat(FakeHandlers.calls(FakeHandlers.Publish.class)).hasSize(1);

        JsonNode history = JsonPaths.mapper().readTree(result.historyFile().toFile());
        List<String> entered = history.get("events").findValues("stateEnteredEventDetails").stream().map(node -> node.get("name").asText()).toList();
        assertThat(entered).containsSubsequence("GenerateJobs", "HasJobs", "CreateCluster", "WaitForCluster", "DescribeCluster", "IsClusterReady",
                "CompactVerdicts", "RunJobs", "RunExtractionStep", "Publish", "TerminateCluster", "RecordRunCost", "Done");
        assertThat(history.get("events").get(0).get("type").asText()).isEqualTo("ExecutionStarted");
        assertThat(history.get("events").get(history.get("events").size() - 1).get("type").asText()).isEqualTo("ExecutionSucceeded");
        assertThat(timeline.toString()).contains("TaskStateEntered", "RunExtractionStep", "SUCCEEDED");
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void aRunThatSkippedWhatWasAskedSaysEachProblemAndIsNotComplete()
            throws IOException
    {
        // the real GenerateJobs over a folder with a broken rule and a good rule whose source has no data for the day
        Path rules = Files.createDirectories(temp.resolve("rules"));
        Files.writeString(rules.resolve("good.yaml"), """
                id: dns-long-names
                title: Long DNS names
                topic: dns
                owner: dns-research@dragnet.example
                severity: low
                sources: [zeek_dns]
                match:
                  long:
                    dns.question.name|re: '^.{60,}$'
                  condition: long
                """);
        Files.writeString(rules.resolve("broken.yaml"), """
                id: dns-broken
                title: A rule with a typo
                topic: dns
                owner: dns-research@dragnet.example
                severity: low
                sources: [zeek_dns]
                matchh:
                  condition: x
                """);
        LocalBindings realGenerateJobs = bindings().withLambda("GenerateJobsFunctionArn", io.dragnet.rules.GenerateJobsHandler.class.getName());

        ExecutionResult result = run(realGenerateJobs, Map.of("rulesLocation", rules.toUri().toString()), resources -> resources);

        assertThat(result.status()).as(timeline.toString()).isEqualTo("SUCCEEDED");
        assertThat(result.complete()).isFalse();
        assertThat(DailyCommand.exitCode(result)).isEqualTo(1);
        assertThat(result.problems()).hasSize(4);
        assertThat(result.problems()).anySatisfy(problem -> assertThat(problem).contains("broken.yaml:7:1").contains("dns-broken").contains("matchh"));
        assertThat(result.problems()).anySatisfy(problem -> assertThat(problem).startsWith("source zeek_dns has no data for 2018-11-02"));
        assertThat(result.problems()).anySatisfy(problem -> assertThat(problem).startsWith("no data for 2018-11-02 in any source the rules read (zeek_dns)"));
        assertThat(timeline.toString()).contains("SUCCEEDED WITH 4 PROBLEMS", "not everything asked for ran:");
        result.problems().forEach(problem -> assertThat(timeline.toString()).contains("  - " + problem));
        assertThat(FakeHandlers.calls(FakeHandlers.RecordRunCost.class)).singleElement()
                .satisfies(call -> assertThat(call.input()).containsEntry("outcome", "NO_JOBS").containsEntry("problems", result.problems()));
        JsonNode history = JsonPaths.mapper().readTree(result.historyFile().toFile());
        assertThat(JsonPaths.mapper().readTree(history.path("execution").path("output").asText()).path("problems")).hasSize(4);
    }

    @Test
    void aBackfillRunsEveryDaysJobsOnOneClusterWithoutCompactionAndPublishesAsABackfill()
            throws IOException
    {
        Path rules = Files.createDirectories(temp.resolve("backfill-rules"));
        Files.writeString(rules.resolve("new.yaml"), dnsNameRule("dns-new-names", "x.example"));
        Files.writeString(rules.resolve("other.yaml"), dnsNameRule("dns-other-names", "y.example"));
        Files.writeString(rules.resolve("new-then-other.yaml"), """
                id: dns-new-then-other
                title: A new name, then another
                topic: dns
                owner: dns-research@dragnet.example
                correlation:
                  type: temporal_ordered
                  rules: [dns-new-names, dns-other-names]
                  group-by: [source.ip]
                  timespan: 10m
                """);
        for (String day : List.of("2018-10-30", "2018-10-31", "2018-11-01")) {
            Path partition = Files.createDirectories(home.lake().resolve("zeek_dns/dt=" + day));
            Files.writeString(partition.resolve("dns.log"), "data\n");
        }
        LocalBindings realGenerateJobs = bindings().withLambda("GenerateJobsFunctionArn", io.dragnet.rules.GenerateJobsHandler.class.getName());
        Map<String, Object> backfill = Map.of("from", "2018-10-30", "to", "2018-11-01", "sources", List.of("zeek_dns"));

        ExecutionResult result = run(realGenerateJobs, Map.of("rulesLocation", rules.toUri().toString(), "backfill", backfill), resources -> resources);

        assertThat(result.complete()).as(timeline.toString()).isTrue();
        assertThat(FakeHandlers.CompactionMain.CALLS).as("past days are not compacted again").isEmpty();
        String run = "/run=" + result.output().path("runId").asText() + "/";
        assertThat(FakeHandlers.StepMain.SPECS).hasSize(6).allSatisfy(spec -> assertThat(spec).containsAnyOf(run + "zeek_dns.json", run + "correlations.json"))
                .anySatisfy(spec -> assertThat(spec).contains("/dt=2018-10-30/"))
                .anySatisfy(spec -> assertThat(spec).contains("/dt=2018-11-01/"));
        // every day's correlation step runs after every job of the run
        assertThat(FakeHandlers.StepMain.SPECS.subList(3, 6)).as("the correlation steps, one per day")
                .allSatisfy(spec -> assertThat(spec).endsWith(run + "correlations.json"));
        // one after another in day order, since each day reads the previous day's hits, here of this same run
        assertThat(FakeHandlers.StepMain.SPECS.subList(3, 6)).satisfiesExactly(spec -> assertThat(spec).contains("/dt=2018-10-30/"),
                spec -> assertThat(spec).contains("/dt=2018-10-31/"), spec -> assertThat(spec).contains("/dt=2018-11-01/"));
        String secondDay = FakeHandlers.StepMain.SPECS.get(4);
        CorrelationSpec second = Json.mapper().readValue(Files.readString(secondDay.startsWith("file:") ? Path.of(java.net.URI.create(secondDay)) : Path.of(secondDay)),
                CorrelationSpec.class);
        assertThat(second.correlations()).singleElement().satisfies(correlation -> {
            assertThat(correlation.inputs()).allSatisfy(input -> assertThat(input.previousDayHits()).singleElement().asString().contains("/dt=2018-10-30" + run));
            assertThat(correlation.previousDay().correlations()).singleElement().asString().endsWith("/correlations/dt=2018-10-30" + run.substring(0, run.length() - 1));
        });
        assertThat(home.results().resolve("clusters")).isDirectoryContaining(path -> path.toString().endsWith(".json"));
        try (Stream<Path> clusters = Files.list(home.results().resolve("clusters"))) {
            assertThat(clusters.filter(path -> path.toString().endsWith(".json"))).as("one cluster for the three days").hasSize(1);
        }
        assertThat(FakeHandlers.calls(FakeHandlers.Publish.class)).singleElement().satisfies(call -> {
            assertThat(call.input().get("executionInput")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("backfill", backfill);
            List<Object> days = ((List<?>) call.input().get("jobs")).stream().map(job -> ((Map<?, ?>) job).get("date")).map(Object.class::cast).toList();
            assertThat(days).containsExactly("2018-10-30", "2018-10-31", "2018-11-01");
            List<Object> correlationTopics = ((List<?>) call.input().get("correlations")).stream().map(step -> ((Map<?, ?>) step).get("topics")).map(Object.class::cast).toList();
            assertThat(correlationTopics).hasSize(3).containsOnly(Map.of("dns", List.of("dns-new-then-other")));
        });
        assertThat(FakeHandlers.calls(FakeHandlers.RecordRunCost.class)).singleElement()
                .satisfies(call -> assertThat(call.input()).containsEntry("outcome", "SUCCEEDED").containsEntry("date", "2018-10-30"));
    }

    private static String dnsNameRule(String id, String name)
    {
        return """
                id: %s
                title: Names
                topic: dns
                owner: dns-research@dragnet.example
                severity: low
                sources: [zeek_dns]
                match:
                  sel:
                    dns.question.name: %s
                  condition: sel
                """.formatted(id, name);
    }

    @Test
    void aRunWithoutProblemsIsComplete()
    {
        ExecutionResult result = run(bindings(), Map.of(), resources -> resources);

        assertThat(result.problems()).isEmpty();
        assertThat(DailyCommand.exitCode(result)).isZero();
        assertThat(timeline.toString()).doesNotContain("PROBLEM");
    }

    @Test
    void aFailedCompactionFailsTheRunBeforeAnyJobReadsTheDay()
    {
        FakeHandlers.CompactionMain.fail = true;

        ExecutionResult result = run(bindings(), Map.of(), resources -> resources);

        assertThat(result.status()).as(timeline.toString()).isEqualTo("FAILED");
        assertThat(FakeHandlers.CompactionMain.CALLS).hasSize(1);
        assertThat(FakeHandlers.StepMain.SPECS).isEmpty();
        assertThat(FakeHandlers.calls(FakeHandlers.Publish.class)).isEmpty();
        assertThat(result.leakedClusters()).isEmpty();
        assertThat(FakeHandlers.calls(FakeHandlers.RecordRunCost.class)).singleElement()
                .satisfies(call -> assertThat(call.input()).containsEntry("outcome", "FAILED").containsEntry("clusterId", result.clusterId()));
    }

    @Test
    void noJobsRecordsTheRunAndSucceedsWithoutACluster()
    {
        ExecutionResult result = run(bindings().withLambda("GenerateJobsFunctionArn", FakeHandlers.GenerateNoJobs.class.getName()), Map.of(), resources -> resources);

        assertThat(result.status()).isEqualTo("SUCCEEDED");
        assertThat(result.clusterId()).isNull();
        assertThat(engine.starts).isZero();
        assertThat(FakeHandlers.calls(FakeHandlers.RecordRunCost.class)).singleElement()
                .satisfies(call -> assertThat(call.input()).containsEntry("outcome", "NO_JOBS").containsEntry("clusterId", null));
    }

    @Test
    void generateJobsFailureFailsTheRunAndRecordsIt()
    {
        ExecutionResult result = run(bindings().withLambda("GenerateJobsFunctionArn", FAILING), Map.of(), resources -> resources);

        assertFailedWith(result, "java.lang.IllegalStateException", "injected failure in local-dragnet-generate-jobs");
        assertThat(result.clusterId()).isNull();
        assertThat(engine.starts).isZero();
        assertThat(FakeHandlers.calls(FakeHandlers.RecordRunCost.class)).singleElement()
                .satisfies(call -> assertThat(call.input()).containsEntry("outcome", "FAILED").containsKey("error"));
    }

    @Test
    void createClusterFailureFailsTheRunWithTheServiceError()
    {
        TaskResource refusing = (resource, parameters, invocation) -> {
            throw new StatesError("EMR.AmazonElasticMapReduceException", "Instance fleets are not supported in this subnet");
        };
        java.util.concurrent.atomic.AtomicInteger creates = new java.util.concurrent.atomic.AtomicInteger();
        ExecutionResult result = run(bindings(), Map.of(),
                resources -> resources.with("arn:aws:states:::elasticmapreduce:createCluster", (resource, parameters, invocation) -> {
                    creates.incrementAndGet();
                    return refusing.invoke(resource, parameters, invocation);
                }));

        assertFailedWith(result, "EMR.AmazonElasticMapReduceException", "Instance fleets are not supported");
        assertThat(engine.starts).isZero();
        // three creates, each failure followed by 30 s and a look for a cluster the lost answer might have made
        assertThat(creates).hasValue(3);
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
        assertThat(FakeHandlers.calls(FakeHandlers.RecordRunCost.class)).singleElement()
                .satisfies(call -> assertThat(call.input()).containsEntry("outcome", "FAILED"));
    }

    @Test
    void createWhoseAnswerWasLostUsesTheClusterItMadeInsteadOfASecondOne()
    {
        ExecutionResult result = run(bindings(), Map.of(), resources -> {
            TaskResource emr = resources.find("arn:aws:states:::elasticmapreduce:createCluster").orElseThrow();
            return resources.with("arn:aws:states:::elasticmapreduce:createCluster", (resource, parameters, invocation) -> {
                JsonNode created = emr.invoke(resource, parameters, invocation);
                if (invocation.retryCount() == 0 && FakeHandlers.StepMain.SPECS.isEmpty() && engine.starts == 1) {
                    throw new StatesError("EMR.AmazonElasticMapReduceException", "Rate exceeded (the cluster " + created.path("ClusterId").asText() + " was made)");
                }
                return created;
            });
        });

        assertThat(result.status()).as(timeline.toString()).isEqualTo("SUCCEEDED");
        assertThat(engine.starts).isEqualTo(1);
        assertThat(home.results().resolve("clusters")).isDirectoryContaining(path -> path.getFileName().toString().equals(result.clusterId() + ".json"));
        assertThat(home.results().resolve("clusters").toFile().list()).hasSize(1);
        assertThat(FakeHandlers.StepMain.SPECS).hasSize(2);
        assertThat(timeline.toString()).contains("UseRunCluster");
    }

    @Test
    void clusterThatNeverStartsIsTerminatedAndReported()
    {
        TaskResource terminatedWithErrors = (resource, parameters, invocation) -> {
            JsonNode description = JsonPaths.object();
            ((com.fasterxml.jackson.databind.node.ObjectNode) description).putObject("Cluster").putObject("Status")
                    .put("State", "TERMINATED_WITH_ERRORS").putObject("StateChangeReason").put("Code", "VALIDATION_ERROR");
            return description;
        };
        ExecutionResult result = run(bindings(), Map.of(),
                resources -> resources.with("arn:aws:states:::aws-sdk:emr:describeCluster", terminatedWithErrors));

        assertFailedWith(result, "Dragnet.ClusterStartFailed", "TERMINATED_WITH_ERRORS");
        assertClusterTerminated(result);
    }

    @Test
    void stepFailureIsRetriedWithBackoffThenTerminatesTheCluster()
    {
        ExecutionResult result = run(bindings(), Map.of("rulesLocation", "file:///rules/failing-step"), resources -> resources);

        assertFailedWith(result, "States.TaskFailed", "injected step failure");
        assertClusterTerminated(result);
        // the failing step ran three times: once, then after 60 s and 120 s
        assertThat(FakeHandlers.StepMain.SPECS.stream().filter(spec -> spec.contains("fail"))).hasSize(3);
        assertThat(sleeper.waits).contains(Duration.ofSeconds(60), Duration.ofSeconds(120));
        assertThat(FakeHandlers.calls(FakeHandlers.RecordRunCost.class)).singleElement()
                .satisfies(call -> {
                    assertThat(call.input()).containsEntry("outcome", "FAILED").containsEntry("clusterId", result.clusterId());
                    assertThat(call.clusterStateSeen()).isEqualTo("TERMINATED+terminatedAt");
                });
        assertThat(FakeHandlers.calls(FakeHandlers.Publish.class)).isEmpty();
    }

    @Test
    void correlationsRunAfterTheJobsAndTheirFailureTerminatesTheCluster()
    {
        ExecutionResult passed = run(bindings(), Map.of("rulesLocation", "file:///rules/correlations"), resources -> resources);

        assertThat(passed.status()).as(timeline.toString()).isEqualTo("SUCCEEDED");
        assertThat(FakeHandlers.StepMain.SPECS).hasSize(3).last().asString().endsWith("/correlations.json");
        assertThat(FakeHandlers.calls(FakeHandlers.Publish.class)).singleElement()
                .satisfies(call -> assertThat((List<?>) call.input().get("correlations")).hasSize(1));
        FakeHandlers.StepMain.SPECS.clear();
        FakeHandlers.CALLS.clear();

        ExecutionResult failed = run(bindings(), Map.of("rulesLocation", "file:///rules/failing-correlation"), resources -> resources);

        assertFailedWith(failed, "States.TaskFailed", "injected step failure");
        assertClusterTerminated(failed);
        assertThat(FakeHandlers.StepMain.SPECS.stream().filter(spec -> spec.endsWith("fail-correlations.json"))).as("tried, then retried twice").hasSize(3);
        assertThat(FakeHandlers.calls(FakeHandlers.Publish.class)).as("a day whose correlations failed is not published").isEmpty();
        assertThat(FakeHandlers.calls(FakeHandlers.RecordRunCost.class)).singleElement()
                .satisfies(call -> assertThat(call.input()).containsEntry("outcome", "FAILED").containsEntry("clusterId", failed.clusterId()));
    }

    @Test
    void rawLogsAreImportedBeforeTheJobsAndAFailedImportTerminatesTheClusterBeforeAnyJob()
            throws IOException
    {
        ExecutionResult imported = run(bindings(), Map.of("rulesLocation", "file:///rules/raw-logs"), resources -> resources);

        assertThat(imported.status()).as(timeline.toString()).isEqualTo("SUCCEEDED");
        assertThat(FakeHandlers.StepMain.SPECS).hasSize(3);
        assertThat(FakeHandlers.StepMain.SPECS.get(0)).as("the import is the cluster's first step").endsWith("/_import.json");
        JsonNode history = JsonPaths.mapper().readTree(imported.historyFile().toFile());
        List<String> entered = history.get("events").findValues("stateEnteredEventDetails").stream().map(node -> node.get("name").asText()).toList();
        assertThat(entered).containsSubsequence("IsClusterReady", "HasImports", "ImportRawLogs", "RunImportStep", "IsBackfill", "CompactVerdicts", "RunJobs");
        ClusterRecord record = Json.read(home.results().resolve("clusters").resolve(imported.clusterId() + ".json"), ClusterRecord.class);
        assertThat(record.steps().get(0).name()).startsWith("import raw zeek dt=2018-11-02");

        FakeHandlers.StepMain.SPECS.clear();
        FakeHandlers.CompactionMain.CALLS.clear();
        FakeHandlers.CALLS.clear();
        ExecutionResult failed = run(bindings(), Map.of("rulesLocation", "file:///rules/failing-import"), resources -> resources);

        assertFailedWith(failed, "States.TaskFailed", "injected step failure");
        assertClusterTerminated(failed);
        assertThat(FakeHandlers.StepMain.SPECS).as("the import, retried twice; no job ran").hasSize(3).allSatisfy(spec -> assertThat(spec).endsWith("fail-_import.json"));
        assertThat(FakeHandlers.CompactionMain.CALLS).isEmpty();
        assertThat(FakeHandlers.calls(FakeHandlers.Publish.class)).isEmpty();
    }

    @Test
    void publishFailureTerminatesTheClusterAndKeepsTheError()
    {
        ExecutionResult result = run(bindings().withLambda("PublishFunctionArn", FAILING), Map.of(), resources -> resources);

        assertFailedWith(result, "java.lang.IllegalStateException", "injected failure in local-dragnet-publish");
        assertClusterTerminated(result);
        assertThat(FakeHandlers.calls(FakeHandlers.RecordRunCost.class)).singleElement()
                .satisfies(call -> assertThat(call.input()).containsEntry("outcome", "FAILED"));
    }

    @Test
    void recordRunCostFailureFailsTheRunAfterTermination()
    {
        ExecutionResult result = run(bindings().withLambda("RecordRunCostFunctionArn", FAILING), Map.of(), resources -> resources);

        assertFailedWith(result, "java.lang.IllegalStateException", "injected failure in local-dragnet-record-run-cost");
        assertClusterTerminated(result);
        assertThat(FakeHandlers.calls(FakeHandlers.Publish.class)).hasSize(1);
    }

    @Test
    void terminateFailureOnTheFailurePathStillFailsWithTheOriginalError()
    {
        TaskResource brokenTerminate = (resource, parameters, invocation) -> {
            throw new StatesError("EMR.AmazonElasticMapReduceException", "terminate refused");
        };
        ExecutionResult result = run(bindings().withLambda("PublishFunctionArn", FAILING), Map.of(),
                resources -> resources.with("arn:aws:states:::elasticmapreduce:terminateCluster.sync", brokenTerminate));

        assertFailedWith(result, "java.lang.IllegalStateException", "injected failure in local-dragnet-publish");
        // the workflow could not terminate it: the cleanup of the FAILED execution did
        assertThat(result.cleanedUpClusters()).containsExactly(result.clusterId());
        assertThat(result.leakedClusters()).isEmpty();
        assertThat(engine.running).isFalse();
    }

    private ExecutionResult run(LocalBindings bindings, Map<String, Object> overrides, DailyRun.TaskResourceOverride override)
    {
        DailyRun run = new DailyRun(bindings, engine, false, sleeper, clock, new PrintWriter(timeline, true), override);
        return run.run(home, DAY, definition, overrides);
    }

    private void assertFailedWith(ExecutionResult result, String error, String causePart)
    {
        assertThat(result.status()).as(timeline.toString()).isEqualTo("FAILED");
        assertThat(result.error()).isEqualTo(error);
        assertThat(result.cause()).contains(causePart);
        assertThat(result.historyFile()).exists();
        assertThat(engine.running).as("the local cluster engine is stopped").isFalse();
    }

    private void assertClusterTerminated(ExecutionResult result)
    {
        assertThat(result.clusterId()).isNotNull();
        assertThat(result.leakedClusters()).isEmpty();
        ClusterRecord record = Json.read(home.results().resolve("clusters").resolve(result.clusterId() + ".json"), ClusterRecord.class);
        assertThat(record.state()).isEqualTo("TERMINATED");
        assertThat(record.terminatedAt()).isNotNull();
        assertThat(engine.starts).isEqualTo(engine.stops);
    }

    private static LocalBindings bindings()
    {
        return LocalBindings.defaults()
                .withLambda("GenerateJobsFunctionArn", FakeHandlers.GenerateTwoJobs.class.getName())
                .withLambda("PublishFunctionArn", FakeHandlers.Publish.class.getName())
                .withLambda("RecordRunCostFunctionArn", FakeHandlers.RecordRunCost.class.getName());
    }

    /** The deployed definition with its step classes replaced by {@link FakeHandlers.StepMain} (import, extraction, correlation) and {@link FakeHandlers.CompactionMain}. */
    static Path definitionWithFakeSteps(Path directory)
            throws IOException
    {
        String deployed = Files.readString(repositoryDefinition());
        assertThat(deployed).contains("io.dragnet.sparkjobs.ExtractionJob").contains("io.dragnet.sparkjobs.CorrelationJob").contains("io.dragnet.nids.CompactionJob")
                .contains("io.dragnet.sparkjobs.lake.LakeImportJob");
        Path definition = directory.resolve("daily-run.asl.json");
        Files.writeString(definition, deployed.replace("io.dragnet.sparkjobs.ExtractionJob", FakeHandlers.StepMain.class.getName())
                .replace("io.dragnet.sparkjobs.lake.LakeImportJob", FakeHandlers.StepMain.class.getName())
                .replace("io.dragnet.sparkjobs.CorrelationJob", FakeHandlers.StepMain.class.getName())
                .replace("io.dragnet.nids.CompactionJob", FakeHandlers.CompactionMain.class.getName()));
        return definition;
    }

    static Path repositoryDefinition()
    {
        return RepositoryPaths.root().resolve("statemachine/daily-run.asl.json");
    }
}
