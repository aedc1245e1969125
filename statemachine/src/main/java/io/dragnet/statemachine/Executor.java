package io.dragnet.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dragnet.statemachine.internal.ChoiceRules;
import io.dragnet.statemachine.internal.History;
import io.dragnet.statemachine.internal.JsonPaths;
import io.dragnet.statemachine.internal.PayloadTemplates;
import io.dragnet.statemachine.states.Catcher;
import io.dragnet.statemachine.states.ChoiceState;
import io.dragnet.statemachine.states.DataFlow;
import io.dragnet.statemachine.states.FailState;
import io.dragnet.statemachine.states.MapState;
import io.dragnet.statemachine.states.ParallelState;
import io.dragnet.statemachine.states.PassState;
import io.dragnet.statemachine.states.PathField;
import io.dragnet.statemachine.states.Retrier;
import io.dragnet.statemachine.states.State;
import io.dragnet.statemachine.states.SucceedState;
import io.dragnet.statemachine.states.TaskState;
import io.dragnet.statemachine.states.WaitState;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * Runs a {@link StateMachine} on this machine with the Amazon States Language semantics: input and output
 * processing (InputPath → Parameters → task → ResultSelector → ResultPath → OutputPath), Retry with backoff,
 * Catch, Choice, Wait, Map with bounded concurrency and Parallel; the execution's TimeoutSeconds (TIMED_OUT),
 * StopExecution through {@link ExecutionControl} (ABORTED) and the 256 KiB payload limit (States.DataLimitExceeded).
 * Tasks go to {@link TaskResources}; time passes through a {@link Sleeper} and is read from the {@link Clock}.
 */
public final class Executor
{
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Step Functions' quota for a state's input, output and a task's result: 256 KiB of UTF-8 JSON. */
    static final int PAYLOAD_LIMIT_BYTES = 256 * 1024;

    private final TaskResources resources;
    private final Sleeper sleeper;
    private final Clock clock;

    public Executor(TaskResources resources, Sleeper sleeper, Clock clock)
    {
        this.resources = requireNonNull(resources, "resources is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public ExecutionOutcome execute(StateMachine machine, String stateMachineName, String executionName, JsonNode input)
    {
        return execute(machine, stateMachineName, executionName, input, ExecutionControl.none());
    }

    public ExecutionOutcome execute(StateMachine machine, String stateMachineName, String executionName, JsonNode input, ExecutionControl control)
    {
        String executionArn = "arn:aws:states:local:000000000000:execution:" + stateMachineName + ":" + executionName;
        Instant start = Instant.now(clock);
        History history = new History(clock);
        ObjectNode started = JsonPaths.object();
        started.put("input", input.toString());
        started.putObject("inputDetails").put("truncated", false);
        long startedId = history.add(0, "ExecutionStarted", started);

        ObjectNode context = JsonPaths.object();
        ObjectNode execution = context.putObject("Execution");
        execution.put("Id", executionArn);
        execution.put("Name", executionName);
        execution.set("Input", input);
        execution.put("StartTime", start.toString());
        execution.put("RoleArn", "arn:aws:iam::000000000000:role/local");
        ObjectNode stateMachineNode = context.putObject("StateMachine");
        stateMachineNode.put("Id", "arn:aws:states:local:000000000000:stateMachine:" + stateMachineName);
        stateMachineNode.put("Name", stateMachineName);

        Instant deadline = machine.timeoutSeconds() == null ? null : start.plusSeconds(machine.timeoutSeconds());
        Run run = new Run(executionName, history, requireNonNull(control, "control is null"), deadline, machine.timeoutSeconds());
        try {
            Branch result = run.machine(machine, input, context, startedId);
            ObjectNode succeeded = JsonPaths.object();
            succeeded.put("output", result.output().toString());
            succeeded.putObject("outputDetails").put("truncated", false);
            history.add(result.lastEventId(), "ExecutionSucceeded", succeeded);
            return new ExecutionOutcome(executionArn, executionName, "SUCCEEDED", result.output(), null, null, start, Instant.now(clock), history.events());
        }
        catch (BranchFailure failure) {
            ObjectNode failed = JsonPaths.object();
            failed.put("error", failure.error.error());
            failed.put("cause", failure.error.errorCause());
            history.add(failure.lastEventId, "ExecutionFailed", failed);
            return new ExecutionOutcome(executionArn, executionName, "FAILED", null, failure.error.error(), failure.error.errorCause(), start, Instant.now(clock), history.events());
        }
        catch (ExecutionEnd end) {
            ObjectNode details = JsonPaths.object();
            details.put("error", end.error.error());
            details.put("cause", end.error.errorCause());
            history.add(history.lastId(), end.status.equals(ABORTED) ? "ExecutionAborted" : "ExecutionTimedOut", details);
            return new ExecutionOutcome(executionArn, executionName, end.status, null, end.error.error(), end.error.errorCause(), start, Instant.now(clock), history.events());
        }
    }

    private static final String ABORTED = "ABORTED";
    private static final String TIMED_OUT = "TIMED_OUT";

    /** The execution ends from outside its states (TimeoutSeconds, StopExecution): no Catch sees it. */
    private static final class ExecutionEnd
            extends RuntimeException
    {
        final String status;
        final StatesError error;

        ExecutionEnd(String status, StatesError error)
        {
            super(status + ": " + error.getMessage(), null, false, false);
            this.status = status;
            this.error = error;
        }
    }

    private record Branch(JsonNode output, long lastEventId) {}

    /** A failure that leaves a machine (or a Map iteration, or a Parallel branch) with the id of its last event. */
    private static final class BranchFailure
            extends RuntimeException
    {
        final StatesError error;
        final long lastEventId;

        BranchFailure(StatesError error, long lastEventId)
        {
            super(error.getMessage(), null, false, false);
            this.error = error;
            this.lastEventId = lastEventId;
        }
    }

    /** A state failed; {@code lastEventId} is where its failure event sits. */
    private static final class StateFailure
            extends RuntimeException
    {
        final StatesError error;
        final long lastEventId;

        StateFailure(StatesError error, long lastEventId)
        {
            super(error.getMessage(), null, false, false);
            this.error = error;
            this.lastEventId = lastEventId;
        }
    }

    private record Step(JsonNode output, String next, long lastEventId) {}

    private final class Run
    {
        private final String executionName;
        private final History history;
        private final ExecutionControl control;
        private final Instant deadline;
        private final Integer timeoutSeconds;

        Run(String executionName, History history, ExecutionControl control, Instant deadline, Integer timeoutSeconds)
        {
            this.executionName = executionName;
            this.history = history;
            this.control = control;
            this.deadline = deadline;
            this.timeoutSeconds = timeoutSeconds;
        }

        /** Ends the execution if it was stopped or its TimeoutSeconds have passed. */
        private void checkStillRunning()
        {
            StatesError stop = control.stopRequest();
            if (stop != null) {
                throw new ExecutionEnd(ABORTED, stop);
            }
            if (deadline != null && !Instant.now(clock).isBefore(deadline)) {
                throw new ExecutionEnd(TIMED_OUT, new StatesError(StatesError.TIMEOUT, "the execution did not end within its TimeoutSeconds (" + timeoutSeconds + ")"));
            }
        }

        /** A Wait or a retry interval: as on AWS, the execution's timeout cuts it short and a stop ends it. */
        private void pause(Duration duration)
        {
            checkStillRunning();
            if (deadline != null) {
                Duration left = Duration.between(Instant.now(clock), deadline);
                if (left.compareTo(duration) < 0) {
                    sleeper.sleep(left);
                    throw new ExecutionEnd(TIMED_OUT, new StatesError(StatesError.TIMEOUT, "the execution did not end within its TimeoutSeconds (" + timeoutSeconds + ")"));
                }
            }
            sleeper.sleep(duration);
            checkStillRunning();
        }

        Branch machine(StateMachine machine, JsonNode input, ObjectNode context, long previousEventId)
        {
            String current = machine.startAt();
            JsonNode data = input;
            long last = previousEventId;
            while (true) {
                State state = machine.state(current);
                String type = state.type();
                ObjectNode stateContext = context.deepCopy();
                ObjectNode stateInfo = stateContext.putObject("State");
                stateInfo.put("Name", current);
                stateInfo.put("EnteredTime", Instant.now(clock).toString());
                stateInfo.put("RetryCount", 0);

                ObjectNode entered = JsonPaths.object();
                entered.put("name", current);
                entered.put("input", data.toString());
                last = history.add(last, type + "StateEntered", entered);
                control.entered(current);
                checkStillRunning();
                Step step;
                try {
                    step = state(state, data, stateContext, last);
                }
                catch (StateFailure failure) {
                    Catcher catcher = catcher(catchers(state), failure.error);
                    if (catcher == null) {
                        throw new BranchFailure(failure.error, failure.lastEventId);
                    }
                    ObjectNode errorOutput = JsonPaths.object();
                    errorOutput.put("Error", failure.error.error());
                    errorOutput.put("Cause", failure.error.errorCause());
                    JsonNode caught;
                    try {
                        caught = resultPath(catcher.resultPath(), data, errorOutput);
                    }
                    catch (StatesError error) {
                        throw new BranchFailure(error, failure.lastEventId);
                    }
                    step = new Step(caught, catcher.next(), failure.lastEventId);
                }
                checkStillRunning();
                if (tooLarge(step.output())) {
                    throw new BranchFailure(dataLimit("the output of state '" + current + "'", step.output()), step.lastEventId());
                }
                ObjectNode exited = JsonPaths.object();
                exited.put("name", current);
                exited.put("output", step.output().toString());
                if (!type.equals("Fail")) {
                    last = history.add(step.lastEventId(), type + "StateExited", exited);
                }
                if (step.next() == null) {
                    return new Branch(step.output(), last);
                }
                current = step.next();
                data = step.output();
            }
        }

        private Step state(State state, JsonNode input, ObjectNode context, long entered)
        {
            try {
                if (state instanceof PassState pass) {
                    JsonNode effective = inputPath(pass.flow(), input);
                    JsonNode result = pass.result() != null ? pass.result() : parameters(pass.flow(), effective, context);
                    return new Step(output(pass.flow(), input, result), pass.next(), entered);
                }
                if (state instanceof TaskState task) {
                    return task(task, input, context, entered);
                }
                if (state instanceof ChoiceState choice) {
                    JsonNode effective = inputPath(choice.flow(), input);
                    for (ChoiceState.Choice rule : choice.choices()) {
                        if (ChoiceRules.matches(rule.rule(), effective, context)) {
                            return new Step(outputPath(choice.flow(), effective), rule.next(), entered);
                        }
                    }
                    if (choice.defaultNext() == null) {
                        throw new StatesError(StatesError.NO_CHOICE_MATCHED, "no Choices rule matched and no Default in state '" + choice.name() + "'");
                    }
                    return new Step(outputPath(choice.flow(), effective), choice.defaultNext(), entered);
                }
                if (state instanceof WaitState wait) {
                    JsonNode effective = inputPath(wait.flow(), input);
                    pause(waitDuration(wait, effective, context));
                    return new Step(outputPath(wait.flow(), effective), wait.next(), entered);
                }
                if (state instanceof SucceedState succeed) {
                    return new Step(outputPath(succeed.flow(), inputPath(succeed.flow(), input)), null, entered);
                }
                if (state instanceof FailState fail) {
                    throw new StateFailure(failError(fail, input, context), entered);
                }
                if (state instanceof MapState map) {
                    return withRetries(map.name(), map.flow(), map.retry(), map.next(), input, context, entered,
                            (effective, attempt) -> map(map, effective, context, attempt));
                }
                if (state instanceof ParallelState parallel) {
                    return withRetries(parallel.name(), parallel.flow(), parallel.retry(), parallel.next(), input, context, entered,
                            (effective, attempt) -> parallel(parallel, effective, context, attempt));
                }
                throw new IllegalStateException("no executor for state type " + state.type());
            }
            catch (StatesError error) {
                throw new StateFailure(error, entered);
            }
        }

        private StatesError failError(FailState state, JsonNode input, ObjectNode context)
        {
            String error = state.error() == null ? "" : state.error();
            String cause = state.cause() == null ? "" : state.cause();
            try {
                if (state.errorPath() != null) {
                    error = textOf(JsonPaths.read(input, context, state.errorPath()));
                }
                if (state.causePath() != null) {
                    cause = textOf(JsonPaths.read(input, context, state.causePath()));
                }
            }
            catch (StatesError e) {
                return e;
            }
            return new StatesError(error, cause);
        }

        private String textOf(JsonNode node)
        {
            if (!node.isTextual()) {
                throw StatesError.runtime("ErrorPath/CausePath must select a string, got " + JsonPaths.abbreviate(node));
            }
            return node.textValue();
        }

        private Step task(TaskState state, JsonNode input, ObjectNode context, long entered)
        {
            String name = state.name();
            String resource = state.resource();
            return withRetries(name, state.flow(), state.retry(), state.next(), input, context, entered, (parameters, attempt) -> {
                String[] kind = resourceKind(resource);
                ObjectNode scheduled = JsonPaths.object();
                scheduled.put("resourceType", kind[0]);
                scheduled.put("resource", kind[1]);
                scheduled.put("region", "local");
                scheduled.put("parameters", parameters.toString());
                if (state.timeoutSeconds() != null) {
                    scheduled.put("timeoutInSeconds", state.timeoutSeconds().longValue());
                }
                long id = history.add(attempt.previousEventId, "TaskScheduled", scheduled);
                ObjectNode taskStarted = JsonPaths.object();
                taskStarted.put("resourceType", kind[0]);
                taskStarted.put("resource", kind[1]);
                id = history.add(id, "TaskStarted", taskStarted);
                TaskResource.TaskInvocation invocation = new TaskResource.TaskInvocation(executionName, name, attempt.retryCount);
                try {
                    JsonNode result = callWithTimeout(state.timeoutSeconds(), () -> resources.invoke(resource, parameters, invocation));
                    if (tooLarge(result)) {
                        throw dataLimit("the result of task '" + name + "'", result);
                    }
                    ObjectNode succeeded = JsonPaths.object();
                    succeeded.put("resourceType", kind[0]);
                    succeeded.put("resource", kind[1]);
                    succeeded.put("output", result.toString());
                    id = history.add(id, "TaskSucceeded", succeeded);
                    return new Attempted(result, id);
                }
                catch (StatesError error) {
                    StatesError taskError = error.error().equals(StatesError.RUNTIME) ? error : error.asFromTask();
                    ObjectNode failed = JsonPaths.object();
                    failed.put("resourceType", kind[0]);
                    failed.put("resource", kind[1]);
                    failed.put("error", taskError.error());
                    failed.put("cause", taskError.errorCause());
                    id = history.add(id, taskError.error().equals(StatesError.TIMEOUT) ? "TaskTimedOut" : "TaskFailed", failed);
                    throw new StateFailure(taskError, id);
                }
            });
        }

        private JsonNode callWithTimeout(Integer timeoutSeconds, java.util.concurrent.Callable<JsonNode> call)
        {
            if (timeoutSeconds == null) {
                return invokeDirect(call);
            }
            long seconds = timeoutSeconds;
            ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "dragnet-task");
                thread.setDaemon(true);
                thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
                return thread;
            });
            try {
                Future<JsonNode> future = worker.submit(call);
                try {
                    return future.get(seconds, TimeUnit.SECONDS);
                }
                catch (TimeoutException e) {
                    future.cancel(true);
                    throw new StatesError(StatesError.TIMEOUT, "the task did not finish within " + seconds + " seconds");
                }
                catch (ExecutionException e) {
                    throw taskError(e.getCause());
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StatesError(StatesError.RUNTIME, "interrupted");
                }
            }
            finally {
                worker.shutdownNow();
            }
        }

        private JsonNode invokeDirect(java.util.concurrent.Callable<JsonNode> call)
        {
            try {
                return call.call();
            }
            catch (Exception e) {
                throw taskError(e);
            }
        }

        private Step withRetries(String name, DataFlow flow, List<Retrier> retriers, String next, JsonNode input, ObjectNode context, long entered, Attempt attempt)
        {
            JsonNode effective = inputPath(flow, input);
            JsonNode parameters = parameters(flow, effective, context);
            if (tooLarge(parameters)) {
                throw new StateFailure(dataLimit("the input of state '" + name + "' after Parameters", parameters), entered);
            }
            int[] retriesUsed = new int[retriers.size()];
            int retryCount = 0;
            long last = entered;
            while (true) {
                try {
                    ((ObjectNode) context.get("State")).put("RetryCount", retryCount);
                    Attempted done = attempt.run(parameters, new AttemptInfo(retryCount, last));
                    JsonNode result = flow.resultSelector() != null
                            ? PayloadTemplates.apply(flow.resultSelector(), done.result(), context)
                            : done.result();
                    return new Step(output(flow, input, result), next, done.lastEventId());
                }
                catch (StateFailure failure) {
                    last = failure.lastEventId;
                    Duration delay = retryDelay(retriers, failure.error, retriesUsed);
                    if (delay == null) {
                        throw failure;
                    }
                    pause(delay);
                    retryCount++;
                }
                catch (StatesError error) {
                    throw new StateFailure(error, last);
                }
            }
        }

        private Attempted map(MapState state, JsonNode effective, ObjectNode context, AttemptInfo attempt)
        {
            String name = state.name();
            JsonNode items = state.itemsPath() != null ? JsonPaths.read(effective, context, state.itemsPath()) : effective;
            if (!items.isArray()) {
                throw StatesError.runtime("Map '" + name + "': ItemsPath must select an array, got " + JsonPaths.abbreviate(items));
            }
            JsonNode selector = state.itemSelector();
            StateMachine inner = state.processor();
            ObjectNode startedDetails = JsonPaths.object();
            startedDetails.put("length", items.size());
            long startedId = history.add(attempt.previousEventId, "MapStateStarted", startedDetails);
            int concurrency = state.maxConcurrency();
            List<java.util.concurrent.Callable<Branch>> iterations = new ArrayList<>();
            for (int index = 0; index < items.size(); index++) {
                int itemIndex = index;
                JsonNode item = items.get(index);
                iterations.add(() -> {
                    ObjectNode iterationContext = context.deepCopy();
                    iterationContext.remove("State");
                    ObjectNode mapItem = iterationContext.putObject("Map").putObject("Item");
                    mapItem.put("Index", itemIndex);
                    mapItem.set("Value", item);
                    ObjectNode selectorContext = iterationContext.deepCopy();
                    selectorContext.set("State", context.get("State"));
                    JsonNode iterationInput = selector == null ? item : PayloadTemplates.apply(selector, effective, selectorContext);
                    ObjectNode iterationDetails = JsonPaths.object();
                    iterationDetails.put("name", name);
                    iterationDetails.put("index", itemIndex);
                    long iterationId = history.add(startedId, "MapIterationStarted", iterationDetails);
                    try {
                        Branch branch = machine(inner, iterationInput, iterationContext, iterationId);
                        history.add(branch.lastEventId(), "MapIterationSucceeded", iterationDetails.deepCopy());
                        return branch;
                    }
                    catch (BranchFailure failure) {
                        history.add(failure.lastEventId, "MapIterationFailed", iterationDetails.deepCopy());
                        throw failure;
                    }
                });
            }
            List<Branch> branches = runAll(iterations, concurrency, startedId, "MapStateFailed");
            ArrayNode results = NODES.arrayNode();
            branches.forEach(branch -> results.add(branch.output()));
            long id = history.add(startedId, "MapStateSucceeded", null);
            return new Attempted(results, id);
        }

        private Attempted parallel(ParallelState state, JsonNode effective, ObjectNode context, AttemptInfo attempt)
        {
            long startedId = history.add(attempt.previousEventId, "ParallelStateStarted", null);
            List<java.util.concurrent.Callable<Branch>> branches = new ArrayList<>();
            for (StateMachine branch : state.branches()) {
                ObjectNode branchContext = context.deepCopy();
                branches.add(() -> machine(branch, effective, branchContext, startedId));
            }
            List<Branch> done = runAll(branches, 0, startedId, "ParallelStateFailed");
            ArrayNode results = NODES.arrayNode();
            done.forEach(branch -> results.add(branch.output()));
            long id = history.add(startedId, "ParallelStateSucceeded", null);
            return new Attempted(results, id);
        }

        private List<Branch> runAll(List<java.util.concurrent.Callable<Branch>> work, int concurrency, long startedId, String failedType)
        {
            if (work.isEmpty()) {
                return List.of();
            }
            int threads = concurrency <= 0 ? work.size() : Math.min(concurrency, work.size());
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
                Thread thread = new Thread(runnable, "dragnet-branch");
                thread.setDaemon(true);
                thread.setContextClassLoader(loader);
                return thread;
            });
            try {
                List<Future<Branch>> futures = new ArrayList<>();
                work.forEach(callable -> futures.add(pool.submit(callable)));
                List<Branch> results = new ArrayList<>();
                for (Future<Branch> future : futures) {
                    try {
                        results.add(future.get());
                    }
                    catch (ExecutionException e) {
                        // The first failing branch fails the state; the others are stopped, as Step Functions does.
                        futures.forEach(other -> other.cancel(true));
                        if (e.getCause() instanceof ExecutionEnd end) {
                            throw end;
                        }
                        StatesError error = e.getCause() instanceof BranchFailure failure ? failure.error : taskError(e.getCause());
                        ObjectNode failed = JsonPaths.object();
                        failed.put("error", error.error());
                        failed.put("cause", error.errorCause());
                        long id = history.add(startedId, failedType, failed);
                        throw new StateFailure(error, id);
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new StatesError(StatesError.RUNTIME, "interrupted");
                    }
                }
                return results;
            }
            finally {
                pool.shutdownNow();
            }
        }
    }

    @FunctionalInterface
    private interface Attempt
    {
        Attempted run(JsonNode parameters, AttemptInfo attempt);
    }

    private record AttemptInfo(int retryCount, long previousEventId) {}

    private record Attempted(JsonNode result, long lastEventId) {}

    private static List<Catcher> catchers(State state)
    {
        if (state instanceof TaskState task) {
            return task.catchers();
        }
        if (state instanceof MapState map) {
            return map.catchers();
        }
        if (state instanceof ParallelState parallel) {
            return parallel.catchers();
        }
        return List.of();
    }

    private static Catcher catcher(List<Catcher> catchers, StatesError error)
    {
        for (Catcher catcher : catchers) {
            if (catcher.errorEquals().stream().anyMatch(error::matches)) {
                return catcher;
            }
        }
        return null;
    }

    /** The wait before the next attempt, or null when no retrier matches or the matching one is exhausted. */
    private static Duration retryDelay(List<Retrier> retriers, StatesError error, int[] retriesUsed)
    {
        for (int i = 0; i < retriers.size(); i++) {
            Retrier retrier = retriers.get(i);
            if (retrier.errorEquals().stream().anyMatch(error::matches)) {
                if (retriesUsed[i] >= retrier.maxAttempts()) {
                    return null;
                }
                double seconds = retrier.intervalSeconds() * Math.pow(retrier.backoffRate(), retriesUsed[i]);
                if (retrier.maxDelaySeconds() != null) {
                    seconds = Math.min(seconds, retrier.maxDelaySeconds());
                }
                retriesUsed[i]++;
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        }
        return null;
    }

    private static JsonNode inputPath(DataFlow flow, JsonNode input)
    {
        return select(flow.inputPath(), input);
    }

    private static JsonNode outputPath(DataFlow flow, JsonNode output)
    {
        return select(flow.outputPath(), output);
    }

    /** InputPath and OutputPath: absent passes the whole document, null passes {}. */
    private static JsonNode select(PathField path, JsonNode document)
    {
        return switch (path.kind()) {
            case ABSENT -> document;
            case DISCARD -> JsonPaths.object();
            case PATH -> JsonPaths.read(document, JsonPaths.object(), path.path());
        };
    }

    private static JsonNode parameters(DataFlow flow, JsonNode effective, ObjectNode context)
    {
        return flow.parameters() == null ? effective : PayloadTemplates.apply(flow.parameters(), effective, context);
    }

    private static JsonNode output(DataFlow flow, JsonNode rawInput, JsonNode result)
    {
        return outputPath(flow, resultPath(flow.resultPath(), rawInput, result));
    }

    /** ResultPath: absent replaces the input with the result, null keeps the input, a path writes the result into it. */
    private static JsonNode resultPath(PathField path, JsonNode rawInput, JsonNode result)
    {
        return switch (path.kind()) {
            case ABSENT -> result;
            case DISCARD -> rawInput;
            case PATH -> JsonPaths.write(rawInput, path.path(), result);
        };
    }

    private Duration waitDuration(WaitState state, JsonNode effective, ObjectNode context)
    {
        if (state.seconds() != null) {
            return Duration.ofSeconds(state.seconds());
        }
        if (state.secondsPath() != null) {
            JsonNode seconds = JsonPaths.read(effective, context, state.secondsPath());
            if (!seconds.canConvertToLong() || seconds.longValue() < 0) {
                throw StatesError.runtime("SecondsPath must select a non-negative integer, got " + JsonPaths.abbreviate(seconds));
            }
            return Duration.ofSeconds(seconds.longValue());
        }
        String timestamp = state.timestamp() != null
                ? state.timestamp()
                : JsonPaths.read(effective, context, state.timestampPath()).asText();
        try {
            Duration until = Duration.between(Instant.now(clock), OffsetDateTime.parse(timestamp).toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        }
        catch (DateTimeParseException e) {
            throw StatesError.runtime("'" + timestamp + "' is not an ISO-8601 timestamp");
        }
    }

    private static boolean tooLarge(JsonNode payload)
    {
        return payload != null && payload.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > PAYLOAD_LIMIT_BYTES;
    }

    private static StatesError dataLimit(String what, JsonNode payload)
    {
        return new StatesError(StatesError.DATA_LIMIT_EXCEEDED, what + " is " + payload.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + " bytes, over the " + PAYLOAD_LIMIT_BYTES + "-byte limit");
    }

    /** {@code [resourceType, resource]} as history events name them: lambda/invoke, elasticmapreduce/addStep.sync… */
    private static String[] resourceKind(String resource)
    {
        String prefix = "arn:aws:states:::";
        if (resource.startsWith(prefix)) {
            String rest = resource.substring(prefix.length());
            int colon = rest.lastIndexOf(':');
            return colon < 0 ? new String[] {rest, ""} : new String[] {rest.substring(0, colon), rest.substring(colon + 1)};
        }
        if (resource.contains(":lambda:")) {
            return new String[] {"lambda", resource};
        }
        return new String[] {"unknown", resource};
    }

    /** Any exception from local code becomes a task failure named after its class, with a Lambda-like JSON cause. */
    static StatesError taskError(Throwable thrown)
    {
        if (thrown instanceof StatesError error) {
            return error;
        }
        if (thrown instanceof BranchFailure failure) {
            return failure.error;
        }
        if (thrown instanceof StateFailure failure) {
            return failure.error;
        }
        ObjectNode cause = JsonPaths.object();
        cause.put("errorMessage", String.valueOf(thrown.getMessage()));
        cause.put("errorType", thrown.getClass().getName());
        ArrayNode trace = cause.putArray("stackTrace");
        Arrays.stream(thrown.getStackTrace()).limit(12).forEach(frame -> trace.add(frame.toString()));
        if (thrown.getCause() != null) {
            StringWriter writer = new StringWriter();
            thrown.getCause().printStackTrace(new PrintWriter(writer));
            cause.put("causedBy", writer.toString().lines().limit(6).reduce((a, b) -> a + "\n" + b).orElse(""));
        }
        return new StatesError(thrown.getClass().getName(), cause.toString(), true);
    }
}
