package io.dragnet.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dragnet.statemachine.states.MapState;
import io.dragnet.statemachine.states.State;
import io.dragnet.statemachine.states.TaskState;
import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.statemachine.internal.JsonPaths;
import io.dragnet.testing.MutableClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way an execution can end once a cluster may exist, on the deployed definition: stopped (ABORTED) and timed out
 * (TIMED_OUT) as each state after CreateCluster is entered, States.DataLimitExceeded from each task after it, and
 * States.Runtime from a DescribeCluster answer without StateChangeReason and from a job item without specLocation.
 * After each, no cluster may be left running: the workflow terminated it, or the cleanup that the EventBridge rule
 * runs on AWS did. Scenarios route the run through the failure branches; a state after CreateCluster that no scenario
 * reaches fails the test, so a new state cannot go untested.
 */
final class TestFailurePaths
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final String CREATE = "arn:aws:states:::elasticmapreduce:createCluster";
    private static final String DESCRIBE = "arn:aws:states:::aws-sdk:emr:describeCluster";

    @TempDir
    static Path temp;

    private static Path definition;
    private static StateMachine machine;
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** One way through the workflow. */
    private record Scenario(String name, LocalBindings bindings, Map<String, Object> input, Function<Run, DailyRun.TaskResourceOverride> override) {}

    @BeforeAll
    static void definition()
            throws IOException
    {
        definition = TestDailyRun.definitionWithFakeSteps(temp);
        machine = StateMachine.parse(StateMachine.substitute(Files.readString(definition), LocalBindings.defaults().substitutions()), definition.toString());
        assertThat(machine.timeoutSeconds()).as("the definition's execution timeout").isNotNull();
    }

    private static List<Scenario> scenarios()
    {
        return List.of(
                new Scenario("success", bindings(), Map.of(), run -> resources -> resources),
                new Scenario("a backfill", bindings(), Map.of("backfill", Map.of("from", "2018-11-01", "to", "2018-11-02")), run -> resources -> resources),
                new Scenario("sharing fails", bindings(), Map.of("sharing", Map.of("policy", "file:///missing/sharing.yaml")), run -> resources -> resources),
                new Scenario("a step fails", bindings(), Map.of("rulesLocation", "file:///rules/failing-step"), run -> resources -> resources),
                new Scenario("with correlations", bindings(), Map.of("rulesLocation", "file:///rules/correlations"), run -> resources -> resources),
                new Scenario("a correlation step fails", bindings(), Map.of("rulesLocation", "file:///rules/failing-correlation"), run -> resources -> resources),
                new Scenario("with raw logs to import", bindings(), Map.of("rulesLocation", "file:///rules/raw-logs"), run -> resources -> resources),
                new Scenario("an import step fails", bindings(), Map.of("rulesLocation", "file:///rules/failing-import"), run -> resources -> resources),
                new Scenario("the cluster is slow to start", bindings(), Map.of(), run -> resources -> resources.with(DESCRIBE,
                        (resource, parameters, invocation) -> run.describeCalls.getAndIncrement() == 0
                                ? clusterState("STARTING", true)
                                : resources.find(DESCRIBE).orElseThrow().invoke(resource, parameters, invocation))),
                new Scenario("the cluster never gets ready", bindings(), Map.of(), run -> resources -> resources.with(DESCRIBE,
                        (resource, parameters, invocation) -> clusterState("STARTING", true))),
                new Scenario("the cluster fails to start", bindings(), Map.of(), run -> resources -> resources.with(DESCRIBE,
                        (resource, parameters, invocation) -> clusterState("TERMINATED_WITH_ERRORS", true))),
                new Scenario("CreateCluster's answer is lost", bindings(), Map.of(), run -> resources -> resources.with(CREATE, (resource, parameters, invocation) -> {
                    JsonNode created = resources.find(CREATE).orElseThrow().invoke(resource, parameters, invocation);
                    if (run.creates.getAndIncrement() == 0) {
                        throw new StatesError("EMR.AmazonElasticMapReduceException", "Rate exceeded");
                    }
                    return created;
                })),
                new Scenario("CreateCluster is refused", bindings(), Map.of(), run -> resources -> resources.with(CREATE, (resource, parameters, invocation) -> {
                    throw new StatesError("EMR.AmazonElasticMapReduceException", "The requested instance type is not supported");
                })));
    }

    @TestFactory
    Stream<DynamicTest> abortAndTimeOutAtEveryStateAfterCreateCluster()
    {
        Map<String, Scenario> reachedBy = statesReached();
        List<DynamicTest> tests = new ArrayList<>();
        reachedBy.forEach((state, scenario) -> {
            tests.add(DynamicTest.dynamicTest("StopExecution at " + state + " (" + scenario.name() + ")", () -> {
                Run run = new Run(scenario);
                ExecutionResult result = run.execute(state, control -> control.stop("Dragnet.Operator", "stopped at " + state));

                assertThat(result.status()).as(run.timeline.toString()).isEqualTo("ABORTED");
                assertThat(result.error()).isEqualTo("Dragnet.Operator");
                assertThat(lastEvent(result)).isEqualTo("ExecutionAborted");
                run.assertNoClusterLeftRunning(result);
            }));
            tests.add(DynamicTest.dynamicTest("execution timeout at " + state + " (" + scenario.name() + ")", () -> {
                Run run = new Run(scenario);
                ExecutionResult result = run.execute(state, control -> run.clock.advance(Duration.ofSeconds(machine.timeoutSeconds())));

                assertThat(result.status()).as(run.timeline.toString()).isEqualTo("TIMED_OUT");
                assertThat(result.error()).isEqualTo(StatesError.TIMEOUT);
                assertThat(lastEvent(result)).isEqualTo("ExecutionTimedOut");
                run.assertNoClusterLeftRunning(result);
            }));
        });
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> dataLimitExceededFromEveryTaskAfterCreateCluster()
    {
        Map<String, Scenario> reachedBy = statesReached();
        Set<String> tasks = new LinkedHashSet<>();
        allStates(machine.states()).forEach((name, state) -> {
            if (state instanceof TaskState && reachedBy.containsKey(name)) {
                tasks.add(name);
            }
        });
        assertThat(tasks).contains("DescribeCluster", "RunExtractionStep", "RunCorrelationStep", "Publish", "TerminateCluster", "TerminateClusterAfterFailure", "RecordFailedRun");
        return tasks.stream().map(task -> DynamicTest.dynamicTest("a 300 KiB result from " + task + " (" + reachedBy.get(task).name() + ")", () -> {
            Scenario scenario = reachedBy.get(task);
            Run run = new Run(scenario);
            String oversized = "x".repeat(300 * 1024);
            ExecutionResult result = run.execute(scenario, resources -> oversizedResultFrom(task, run, resources, oversized), null, control -> {});

            assertThat(result.status()).as(run.timeline.toString()).isEqualTo("FAILED");
            assertThat(result.error()).isEqualTo(StatesError.DATA_LIMIT_EXCEEDED);
            assertThat(result.cause()).contains("result of task '" + task + "'");
            run.assertNoClusterLeftRunning(result);
        }));
    }

    @Test
    void aFailedShareStepIsAProblemButTheRunSucceedsAndItsCostIsRecorded()
    {
        Scenario scenario = scenarios().stream().filter(candidate -> candidate.name().equals("sharing fails")).findFirst().orElseThrow();
        Run run = new Run(scenario);
        ExecutionResult result = run.execute(null, control -> {});

        assertThat(result.status()).as(run.timeline.toString()).isEqualTo("SUCCEEDED");
        assertThat(result.problems()).as(run.timeline + "\n" + result.output()).singleElement().asString().startsWith("sharing did not run: ").contains("file:///missing/sharing.yaml cannot be read");
        assertThat(result.complete()).isFalse();
        assertThat(run.timeline.toString()).contains("Share", "RecordRunCost");
        run.assertNoClusterLeftRunning(result);
    }

    @Test
    void describeClusterWithoutStateChangeReasonIsARuntimeErrorAndTheCleanupEndsTheCluster()
    {
        Scenario scenario = new Scenario("no StateChangeReason", bindings(), Map.of(),
                run -> resources -> resources.with(DESCRIBE, (resource, parameters, invocation) -> clusterState("WAITING", false)));
        Run run = new Run(scenario);
        ExecutionResult result = run.execute(null, control -> {});

        assertThat(result.status()).as(run.timeline.toString()).isEqualTo("FAILED");
        assertThat(result.error()).isEqualTo(StatesError.RUNTIME);
        assertThat(result.cleanedUpClusters()).containsExactly(result.clusterId());
        run.assertNoClusterLeftRunning(result);
    }

    @Test
    void jobItemWithoutSpecLocationIsARuntimeErrorAndTheCleanupEndsTheCluster()
    {
        Scenario scenario = new Scenario("job item without specLocation",
                bindings().withLambda("GenerateJobsFunctionArn", FakeHandlers.GenerateJobWithoutSpec.class.getName()), Map.of(), run -> resources -> resources);
        Run run = new Run(scenario);
        ExecutionResult result = run.execute(null, control -> {});

        assertThat(result.status()).as(run.timeline.toString()).isEqualTo("FAILED");
        assertThat(result.error()).isEqualTo(StatesError.RUNTIME);
        assertThat(result.cause()).contains("specLocation");
        assertThat(result.cleanedUpClusters()).containsExactly(result.clusterId());
        run.assertNoClusterLeftRunning(result);
    }

    @Test
    void aCleanExecutionNeedsNoCleanup()
    {
        Run run = new Run(scenarios().get(0));
        ExecutionResult result = run.execute(null, control -> {});

        assertThat(result.status()).isEqualTo("SUCCEEDED");
        assertThat(result.cleanedUpClusters()).isEmpty();
        run.assertNoClusterLeftRunning(result);
    }

    /** Each state after CreateCluster → the first scenario that enters it after CreateCluster was entered. */
    private static Map<String, Scenario> statesReached()
    {
        Set<String> afterCreate = statesAfter("CreateCluster");
        Map<String, Scenario> reachedBy = new LinkedHashMap<>();
        for (Scenario scenario : scenarios()) {
            Run run = new Run(scenario);
            run.execute(null, control -> {});
            run.enteredAfterCreate.stream().filter(afterCreate::contains).forEach(state -> reachedBy.putIfAbsent(state, scenario));
        }
        assertThat(reachedBy.keySet()).as("states after CreateCluster that some scenario reaches").containsExactlyInAnyOrderElementsOf(afterCreate);
        return reachedBy;
    }

    /** Every state reachable from {@code start} through Next, Default, Choices and Catch, and the states inside reachable Maps. */
    private static Set<String> statesAfter(String start)
    {
        Map<String, State> states = machine.states();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(start));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (seen.add(name)) {
                states.get(name).targets().forEach(pending::push);
            }
        }
        Set<String> withInner = new LinkedHashSet<>(seen);
        for (String name : seen) {
            if (states.get(name) instanceof MapState map) {
                withInner.addAll(map.processor().states().keySet());
            }
        }
        return withInner;
    }

    private static Map<String, State> allStates(Map<String, State> states)
    {
        Map<String, State> all = new LinkedHashMap<>(states);
        states.values().forEach(state -> {
            if (state instanceof MapState map) {
                all.putAll(map.processor().states());
            }
        });
        return all;
    }

    /** Every resource of the definition answers {@code task}, once CreateCluster was entered, with an oversized result instead of running. */
    private static TaskResources oversizedResultFrom(String task, Run run, TaskResources resources, String oversized)
    {
        Set<String> used = new LinkedHashSet<>();
        allStates(machine.states()).values().forEach(state -> {
            if (state instanceof TaskState taskState) {
                used.add(taskState.resource());
            }
        });
        TaskResources wrapped = resources;
        for (String arn : used) {
            TaskResource real = resources.find(arn).orElseThrow();
            wrapped = wrapped.with(arn, (resource, parameters, invocation) -> {
                if (invocation.stateName().equals(task) && run.createEntered.get()) {
                    ObjectNode result = JsonPaths.object();
                    result.put("Payload", oversized);
                    return result;
                }
                return real.invoke(resource, parameters, invocation);
            });
        }
        return wrapped;
    }

    private static JsonNode clusterState(String state, boolean withReason)
    {
        ObjectNode answer = JsonPaths.object();
        ObjectNode status = answer.putObject("Cluster").putObject("Status");
        status.put("State", state);
        if (withReason) {
            status.putObject("StateChangeReason");
        }
        return answer;
    }

    private static String lastEvent(ExecutionResult result)
            throws IOException
    {
        JsonNode events = JsonPaths.mapper().readTree(result.historyFile().toFile()).get("events");
        return events.get(events.size() - 1).get("type").asText();
    }

    private static LocalBindings bindings()
    {
        return LocalBindings.defaults()
                .withLambda("GenerateJobsFunctionArn", FakeHandlers.GenerateTwoJobs.class.getName())
                .withLambda("PublishFunctionArn", FakeHandlers.Publish.class.getName())
                .withLambda("RecordRunCostFunctionArn", FakeHandlers.RecordRunCost.class.getName())
                .withLambda("ShareFunctionArn", FakeHandlers.FailingShare.class.getName());
    }

    /** One execution with its own home, engine, clock and timeline. */
    private static final class Run
    {
        final Scenario scenario;
        final DragnetHome home;
        final CountingEngine engine = new CountingEngine();
        final MutableClock clock = new MutableClock(Instant.parse("2018-11-03T02:30:00Z"));
        final StringWriter timeline = new StringWriter();
        final AtomicInteger describeCalls = new AtomicInteger();
        final AtomicInteger creates = new AtomicInteger();
        final AtomicBoolean createEntered = new AtomicBoolean();
        final List<String> enteredAfterCreate = Collections.synchronizedList(new ArrayList<>());

        Run(Scenario scenario)
        {
            this.scenario = scenario;
            try {
                this.home = new DragnetHome(Files.createTempDirectory(temp, "run-" + RUNS.incrementAndGet() + "-"));
            }
            catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Runs the scenario; {@code inject} acts the first time {@code injectAt} is entered after CreateCluster (null: never). */
        ExecutionResult execute(String injectAt, java.util.function.Consumer<ExecutionControl> inject)
        {
            return execute(scenario, resources -> resources, injectAt, inject);
        }

        ExecutionResult execute(Scenario scenario, DailyRun.TaskResourceOverride override, String injectAt, java.util.function.Consumer<ExecutionControl> inject)
        {
            AtomicBoolean injected = new AtomicBoolean();
            ExecutionControl control = new ExecutionControl((state, handle) -> {
                if (state.equals("CreateCluster")) {
                    createEntered.set(true);
                }
                if (createEntered.get()) {
                    enteredAfterCreate.add(state);
                    if (state.equals(injectAt) && injected.compareAndSet(false, true)) {
                        inject.accept(handle);
                    }
                }
            });
            DailyRun daily = new DailyRun(scenario.bindings(), engine, false, new RecordingSleeper(clock), clock, new PrintWriter(timeline, true),
                    resources -> override.apply(scenario.override().apply(this).apply(resources)));
            ExecutionResult result = daily.run(home, DAY, definition, scenario.input(), control);
            if (injectAt != null) {
                assertThat(injected).as("the run entered " + injectAt + " after CreateCluster").isTrue();
            }
            return result;
        }

        void assertNoClusterLeftRunning(ExecutionResult result)
        {
            assertThat(result.leakedClusters()).as("clusters that escaped the workflow and its cleanup").isEmpty();
            assertRecordedAfterItsEnd(result);
            assertThat(engine.running).as("the local cluster engine is stopped").isFalse();
            assertThat(engine.starts).isEqualTo(engine.stops);
            Path clusters = home.results().resolve("clusters");
            if (Files.isDirectory(clusters)) {
                try (Stream<Path> records = Files.list(clusters)) {
                    records.forEach(file -> assertThat(Json.read(file, ClusterRecord.class).state()).as(file.toString()).isEqualTo("TERMINATED"));
                }
                catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }

        /**
         * The run-ended workflow handed the execution's end to RecordRunCost (which writes a row unless the run wrote
         * one), after the clusters it terminated were TERMINATED, so the row's cost is final.
         */
        void assertRecordedAfterItsEnd(ExecutionResult result)
        {
            List<FakeHandlers.Call> ends = FakeHandlers.runEndedCalls().stream()
                    .filter(call -> call.input().get("runEnded") instanceof Map<?, ?> event
                            && event.get("detail") instanceof Map<?, ?> detail && result.executionName().equals(detail.get("name")))
                    .toList();
            if (result.status().equals("SUCCEEDED")) {
                assertThat(ends).as("a run that succeeded starts no run-ended workflow").isEmpty();
                return;
            }
            assertThat(ends).as("RecordRunCost calls of the run-ended workflow for " + result.executionName() + "\n" + timeline).singleElement().satisfies(call -> {
                assertThat(((Map<?, ?>) ((Map<?, ?>) call.input().get("runEnded")).get("detail")).get("status")).isEqualTo(result.status());
                assertThat(call.input().get("clusterIds")).isEqualTo(result.cleanedUpClusters());
                assertThat(Path.of(java.net.URI.create((String) call.input().get("resultsLocation")))).isEqualTo(home.results());
                if (!result.cleanedUpClusters().isEmpty()) {
                    assertThat(call.clusterStateSeen()).as("the cluster when its run was recorded").isEqualTo("TERMINATED+terminatedAt");
                }
            });
        }
    }
}
