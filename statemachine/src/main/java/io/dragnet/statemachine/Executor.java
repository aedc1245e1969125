package io.dragnet.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dragnet.statemachine.internal.ChoiceRules;
import io.dragnet.statemachine.internal.History;
import io.dragnet.statemachine.internal.JsonPaths;
import io.dragnet.statemachine.internal.PayloadTemplates;

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
                ObjectNode state = machine.state(current);
                String type = state.get("Type").textValue();
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
                    step = state(machine, current, type, state, data, stateContext, last);
                }
                catch (StateFailure failure) {
                    Catcher catcher = catcher(state, failure.error);
                    if (catcher == null) {
                        throw new BranchFailure(failure.error, failure.lastEventId);
                    }
                    ObjectNode errorOutput = JsonPaths.object();
                    errorOutput.put("Error", failure.error.error());
                    errorOutput.put("Cause", failure.error.errorCause());
                    JsonNode caught;
                    try {
                        caught = resultPath(catcher.resultPath, catcher.hasResultPath, data, errorOutput);
                    }
                    catch (StatesError error) {
                        throw new BranchFailure(error, failure.lastEventId);
                    }
                    step = new Step(caught, catcher.next, failure.lastEventId);
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

        private Step state(StateMachine machine, String name, String type, ObjectNode state, JsonNode input, ObjectNode context, long entered)
        {
            try {
                return switch (type) {
                    case "Pass" -> {
                        JsonNode effective = inputPath(state, input);
                        JsonNode result = state.has("Result") ? state.get("Result") : parameters(state, "Parameters", effective, context);
                        yield new Step(output(state, input, result), next(state), entered);
                    }
                    case "Task" -> task(name, state, input, context, entered);
                    case "Choice" -> {
                        JsonNode effective = inputPath(state, input);
                        String next = null;
                        for (JsonNode rule : state.get("Choices")) {
                            if (ChoiceRules.matches(rule, effective, context)) {
                                next = rule.get("Next").textValue();
                                break;
                            }
                        }
                        if (next == null) {
                            if (!state.has("Default")) {
                                throw new StatesError(StatesError.NO_CHOICE_MATCHED, "no Choices rule matched and no Default in state '" + name + "'");
                            }
                            next = state.get("Default").textValue();
                        }
                        yield new Step(outputPath(state, effective), next, entered);
                    }
                    case "Wait" -> {
                        JsonNode effective = inputPath(state, input);
                        pause(waitDuration(state, effective, context));
                        yield new Step(outputPath(state, effective), next(state), entered);
                    }
                    case "Succeed" -> new Step(outputPath(state, inputPath(state, input)), null, entered);
                    case "Fail" -> throw new StateFailure(failError(state, input, context), entered);
                    case "Map" -> withRetries(name, state, input, context, entered, (effective, attempt) -> map(name, state, effective, context, attempt));
                    case "Parallel" -> withRetries(name, state, input, context, entered, (effective, attempt) -> parallel(machine, state, effective, context, attempt));
                    default -> throw new IllegalStateException("validated type " + type);
                };
            }
            catch (StatesError error) {
                throw new StateFailure(error, entered);
            }
        }

        private StatesError failError(ObjectNode state, JsonNode input, ObjectNode context)
        {
            String error = state.path("Error").asText("");
            String cause = state.path("Cause").asText("");
            try {
                if (state.has("ErrorPath")) {
                    error = textOf(JsonPaths.read(input, context, state.get("ErrorPath").textValue()));
                }
                if (state.has("CausePath")) {
                    cause = textOf(JsonPaths.read(input, context, state.get("CausePath").textValue()));
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

        private Step task(String name, ObjectNode state, JsonNode input, ObjectNode context, long entered)
        {
            String resource = state.get("Resource").textValue();
            return withRetries(name, state, input, context, entered, (parameters, attempt) -> {
                String[] kind = resourceKind(resource);
                ObjectNode scheduled = JsonPaths.object();
                scheduled.put("resourceType", kind[0]);
                scheduled.put("resource", kind[1]);
                scheduled.put("region", "local");
                scheduled.put("parameters", parameters.toString());
                if (state.has("TimeoutSeconds")) {
                    scheduled.put("timeoutInSeconds", state.get("TimeoutSeconds").longValue());
                }
                long id = history.add(attempt.previousEventId, "TaskScheduled", scheduled);
                ObjectNode taskStarted = JsonPaths.object();
                taskStarted.put("resourceType", kind[0]);
                taskStarted.put("resource", kind[1]);
                id = history.add(id, "TaskStarted", taskStarted);
                TaskResource.TaskInvocation invocation = new TaskResource.TaskInvocation(executionName, name, attempt.retryCount);
                try {
                    JsonNode result = callWithTimeout(state, () -> resources.invoke(resource, parameters, invocation));
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

        private JsonNode callWithTimeout(ObjectNode state, java.util.concurrent.Callable<JsonNode> call)
        {
            if (!state.has("TimeoutSeconds")) {
                return invokeDirect(call);
            }
            long seconds = state.get("TimeoutSeconds").longValue();
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

        private Step withRetries(String name, ObjectNode state, JsonNode input, ObjectNode context, long entered, Attempt attempt)
        {
            JsonNode effective = inputPath(state, input);
            JsonNode parameters = parameters(state, "Parameters", effective, context);
            if (tooLarge(parameters)) {
                throw new StateFailure(dataLimit("the input of state '" + name + "' after Parameters", parameters), entered);
            }
            int[] retriesUsed = new int[state.path("Retry").size()];
            int retryCount = 0;
            long last = entered;
            while (true) {
                try {
                    ((ObjectNode) context.get("State")).put("RetryCount", retryCount);
                    Attempted done = attempt.run(parameters, new AttemptInfo(retryCount, last));
                    JsonNode result = state.has("ResultSelector")
                            ? PayloadTemplates.apply(state.get("ResultSelector"), done.result(), context)
                            : done.result();
                    return new Step(output(state, input, result), next(state), done.lastEventId());
                }
                catch (StateFailure failure) {
                    last = failure.lastEventId;
                    Duration delay = retryDelay(state, failure.error, retriesUsed);
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

        private Attempted map(String name, ObjectNode state, JsonNode effective, ObjectNode context, AttemptInfo attempt)
        {
            JsonNode items = state.has("ItemsPath") ? JsonPaths.read(effective, context, state.get("ItemsPath").textValue()) : effective;
            if (!items.isArray()) {
                throw StatesError.runtime("Map '" + name + "': ItemsPath must select an array, got " + JsonPaths.abbreviate(items));
            }
            // Parameters on a Map (the older spelling) are the ItemSelector; the state input is not replaced by them.
            JsonNode selector = state.has("ItemSelector") ? state.get("ItemSelector") : state.get("Parameters");
            StateMachine inner = machineOf(state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator"), name);
            ObjectNode startedDetails = JsonPaths.object();
            startedDetails.put("length", items.size());
            long startedId = history.add(attempt.previousEventId, "MapStateStarted", startedDetails);
            int concurrency = state.path("MaxConcurrency").asInt(0);
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

        private Attempted parallel(StateMachine machine, ObjectNode state, JsonNode effective, ObjectNode context, AttemptInfo attempt)
        {
            long startedId = history.add(attempt.previousEventId, "ParallelStateStarted", null);
            List<java.util.concurrent.Callable<Branch>> branches = new ArrayList<>();
            JsonNode definitions = state.get("Branches");
            for (int i = 0; i < definitions.size(); i++) {
                StateMachine branch = StateMachine.parseNested(definitions.get(i), machine.source());
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

        private StateMachine machineOf(JsonNode definition, String where)
        {
            return StateMachine.parseNested(definition, where);
        }
    }

    @FunctionalInterface
    private interface Attempt
    {
        Attempted run(JsonNode parameters, AttemptInfo attempt);
    }

    private record AttemptInfo(int retryCount, long previousEventId) {}

    private record Attempted(JsonNode result, long lastEventId) {}

    private record Catcher(String next, String resultPath, boolean hasResultPath) {}

    private static Catcher catcher(ObjectNode state, StatesError error)
    {
        for (JsonNode entry : state.path("Catch")) {
            for (JsonNode name : entry.get("ErrorEquals")) {
                if (error.matches(name.textValue())) {
                    JsonNode resultPath = entry.get("ResultPath");
                    return new Catcher(entry.get("Next").textValue(), resultPath == null || resultPath.isNull() ? null : resultPath.textValue(),
                            entry.has("ResultPath"));
                }
            }
        }
        return null;
    }

    /** The wait before the next attempt, or null when no retrier matches or the matching one is exhausted. */
    private static Duration retryDelay(ObjectNode state, StatesError error, int[] retriesUsed)
    {
        JsonNode retriers = state.path("Retry");
        for (int i = 0; i < retriers.size(); i++) {
            JsonNode retrier = retriers.get(i);
            for (JsonNode name : retrier.get("ErrorEquals")) {
                if (error.matches(name.textValue())) {
                    int maxAttempts = retrier.path("MaxAttempts").asInt(3);
                    if (retriesUsed[i] >= maxAttempts) {
                        return null;
                    }
                    double interval = retrier.path("IntervalSeconds").asDouble(1);
                    double backoff = retrier.path("BackoffRate").asDouble(2.0);
                    double seconds = interval * Math.pow(backoff, retriesUsed[i]);
                    if (retrier.has("MaxDelaySeconds")) {
                        seconds = Math.min(seconds, retrier.get("MaxDelaySeconds").asDouble());
                    }
                    retriesUsed[i]++;
                    return Duration.ofMillis(Math.round(seconds * 1000));
                }
            }
        }
        return null;
    }

    private static JsonNode inputPath(ObjectNode state, JsonNode input)
    {
        if (!state.has("InputPath")) {
            return input;
        }
        JsonNode path = state.get("InputPath");
        return path.isNull() ? JsonPaths.object() : JsonPaths.read(input, JsonPaths.object(), path.textValue());
    }

    private static JsonNode outputPath(ObjectNode state, JsonNode output)
    {
        if (!state.has("OutputPath")) {
            return output;
        }
        JsonNode path = state.get("OutputPath");
        return path.isNull() ? JsonPaths.object() : JsonPaths.read(output, JsonPaths.object(), path.textValue());
    }

    private static JsonNode parameters(ObjectNode state, String field, JsonNode effective, ObjectNode context)
    {
        if (!state.has(field) || state.get("Type").textValue().equals("Map")) {
            return effective;
        }
        return PayloadTemplates.apply(state.get(field), effective, context);
    }

    private static JsonNode output(ObjectNode state, JsonNode rawInput, JsonNode result)
    {
        JsonNode resultPath = state.get("ResultPath");
        JsonNode combined = resultPath(resultPath == null || resultPath.isNull() ? null : resultPath.textValue(), state.has("ResultPath"), rawInput, result);
        return outputPath(state, combined);
    }

    private static JsonNode resultPath(String path, boolean present, JsonNode rawInput, JsonNode result)
    {
        if (!present) {
            return result;
        }
        if (path == null) {
            return rawInput;
        }
        return JsonPaths.write(rawInput, path, result);
    }

    private static String next(ObjectNode state)
    {
        return state.path("End").asBoolean(false) ? null : state.get("Next").textValue();
    }

    private Duration waitDuration(ObjectNode state, JsonNode effective, ObjectNode context)
    {
        if (state.has("Seconds")) {
            return Duration.ofSeconds(state.get("Seconds").longValue());
        }
        if (state.has("SecondsPath")) {
            JsonNode seconds = JsonPaths.read(effective, context, state.get("SecondsPath").textValue());
            if (!seconds.canConvertToLong() || seconds.longValue() < 0) {
                throw StatesError.runtime("SecondsPath must select a non-negative integer, got " + JsonPaths.abbreviate(seconds));
            }
            return Duration.ofSeconds(seconds.longValue());
        }
        String timestamp = state.has("Timestamp")
                ? state.get("Timestamp").textValue()
                : JsonPaths.read(effective, context, state.get("TimestampPath").textValue()).asText();
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
