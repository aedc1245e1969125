package io.dragnet.statemachine.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dragnet.cleanup.ActiveCluster;
import io.dragnet.cleanup.EmrClusters;
import io.dragnet.cleanup.RunTags;
import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.Json;
import io.dragnet.statemachine.StatesError;
import io.dragnet.statemachine.TaskResource;
import io.dragnet.statemachine.TaskResources;
import io.dragnet.statemachine.internal.JsonPaths;
import io.dragnet.storage.OwnerOnly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The EMR binding: createCluster starts the local engine and records the fleet the definition asked for;
 * addStep parses the spark-submit arguments and runs {@code --class}'s {@code main} in-process; terminateCluster stops
 * the engine. Each change rewrites {@code <results>/clusters/<clusterId>.json} (a {@link ClusterRecord} with
 * {@code estimate = true}) for the cost ledger. As {@link EmrClusters} it is what the cleanup code lists and
 * terminates on this machine, as it does EMR on AWS.
 */
public final class LocalEmr
        implements EmrClusters
{
    public static final String PREFIX = "arn:aws:states:::elasticmapreduce:";
    public static final String DESCRIBE_CLUSTER = "arn:aws:states:::aws-sdk:emr:describeCluster";
    private static final Set<String> SPARK_SUBMIT_OPTIONS_WITH_VALUE = Set.of(
            "--class", "--deploy-mode", "--master", "--conf", "--name", "--jars", "--packages", "--driver-memory",
            "--executor-memory", "--num-executors", "--executor-cores", "--files", "--py-files", "--properties-file",
            "--driver-cores", "--queue", "--repositories", "--exclude-packages", "--driver-class-path", "--driver-java-options");

    private final Path clustersDirectory;
    private final ClusterEngine engine;
    private final boolean keepEngine;
    private final Clock clock;
    private final Map<String, Cluster> clusters = new LinkedHashMap<>();

    public LocalEmr(Path resultsDirectory, ClusterEngine engine, boolean keepEngine, Clock clock)
    {
        this.clustersDirectory = requireNonNull(resultsDirectory, "resultsDirectory is null").resolve("clusters");
        this.engine = requireNonNull(engine, "engine is null");
        this.keepEngine = keepEngine;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Adds every EMR resource the definition may use to {@code resources}. */
    public TaskResources bind(TaskResources resources)
    {
        TaskResource dispatch = this::invoke;
        return resources.withPrefix(PREFIX, dispatch).with(DESCRIBE_CLUSTER, dispatch);
    }

    public synchronized List<String> clusterIds()
    {
        return List.copyOf(clusters.keySet());
    }

    /** Clusters not terminated yet: after an execution this must be empty. */
    public synchronized List<String> runningClusters()
    {
        return clusters.values().stream().filter(cluster -> cluster.terminatedAt == null).map(cluster -> cluster.id).toList();
    }

    @Override
    public synchronized List<ActiveCluster> activeClusters()
    {
        return clusters.values().stream()
                .filter(cluster -> cluster.terminatedAt == null)
                .map(cluster -> new ActiveCluster(cluster.id, cluster.requested.path("Name").asText(cluster.id), tags(cluster)))
                .toList();
    }

    /** TerminateJobFlows: ending a cluster that has already ended is not an error, as on EMR. */
    @Override
    public synchronized void terminate(List<String> clusterIds)
    {
        for (String id : clusterIds) {
            terminate(id, "USER_REQUEST");
        }
    }

    /** The last resort after an execution (and after cleanup): ends whatever is still running. */
    public synchronized void terminateAll(String reason)
    {
        for (String id : runningClusters()) {
            terminate(id, reason);
        }
    }

    /**
     * Marks the records of clusters that a killed run left behind: a record still {@code STARTING}, {@code WAITING},
     * {@code RUNNING} or {@code TERMINATING} that is not one of this binding's clusters belongs to a process that is
     * gone (an embedded cluster lives inside the run's JVM). It becomes {@code TERMINATED_WITH_ERRORS}, ended when its
     * record was last written, so the ledger does not price it as running forever. Call before an execution.
     *
     * @return the cluster ids marked
     */
    public synchronized List<String> markAbandoned()
    {
        if (!Files.isDirectory(clustersDirectory)) {
            return List.of();
        }
        List<String> marked = new ArrayList<>();
        try (Stream<Path> files = Files.list(clustersDirectory)) {
            for (Path file : files.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList()) {
                ClusterRecord record = Json.read(file, ClusterRecord.class);
                if (clusters.containsKey(record.clusterId()) || !Set.of("STARTING", "WAITING", "RUNNING", "TERMINATING").contains(record.state())) {
                    continue;
                }
                String lastSeen = Files.getLastModifiedTime(file).toInstant().toString();
                OwnerOnly.writeAtomically(file, Json.write(new ClusterRecord(record.clusterId(), record.runId(), record.date(), "TERMINATED_WITH_ERRORS", record.createdAt(),
                        record.readyAt(), lastSeen, record.requested(), record.instances(), record.steps(), record.estimate())));
                marked.add(record.clusterId());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read cluster records in " + clustersDirectory, e);
        }
        return marked;
    }

    public Path recordFile(String clusterId)
    {
        return clustersDirectory.resolve(clusterId + ".json");
    }

    private JsonNode invoke(String resource, JsonNode parameters, TaskResource.TaskInvocation invocation)
    {
        if (resource.equals(DESCRIBE_CLUSTER)) {
            return describe(clusterId(parameters));
        }
        String action = resource.substring(PREFIX.length());
        return switch (action) {
            case "createCluster", "createCluster.sync" -> create(parameters, action.endsWith(".sync"));
            case "addStep", "addStep.sync" -> addStep(clusterId(parameters), parameters.path("Step"), action.endsWith(".sync"));
            case "terminateCluster", "terminateCluster.sync" -> {
                terminate(clusterId(parameters), "STEP_FUNCTIONS_TERMINATE");
                yield JsonPaths.object();
            }
            default -> throw new StatesError("States.Runtime", "the local EMR binding does not implement " + resource);
        };
    }

    private synchronized JsonNode create(JsonNode parameters, boolean sync)
    {
        String id = "j-" + randomId(13);
        Cluster cluster = new Cluster(id, parameters);
        clusters.put(id, cluster);
        cluster.createdAt = Instant.now(clock).toString();
        cluster.state = "STARTING";
        write(cluster);
        try {
            engine.start();
        }
        catch (RuntimeException e) {
            cluster.state = "TERMINATED_WITH_ERRORS";
            cluster.terminatedAt = Instant.now(clock).toString();
            write(cluster);
            throw new StatesError("States.TaskFailed", "cluster " + id + " failed to start: " + e.getMessage(), true);
        }
        cluster.readyAt = Instant.now(clock).toString();
        cluster.state = "WAITING";
        write(cluster);
        ObjectNode result = JsonPaths.object();
        result.put("ClusterId", id);
        result.put("ClusterArn", "arn:aws:elasticmapreduce:local:000000000000:cluster/" + id);
        if (sync) {
            result.set("Cluster", describe(id).get("Cluster"));
        }
        return result;
    }

    private synchronized JsonNode describe(String id)
    {
        Cluster cluster = cluster(id);
        ObjectNode result = JsonPaths.object();
        ObjectNode description = result.putObject("Cluster");
        description.put("Id", id);
        description.put("Name", cluster.requested.path("Name").asText(id));
        description.put("ReleaseLabel", cluster.requested.path("ReleaseLabel").asText(""));
        description.put("InstanceCollectionType", "INSTANCE_FLEET");
        ObjectNode status = description.putObject("Status");
        status.put("State", cluster.state);
        ObjectNode reason = status.putObject("StateChangeReason");
        if (cluster.endReason != null) {
            reason.put("Code", cluster.endReason);
            reason.put("Message", "local cluster " + cluster.endReason);
        }
        return result;
    }

    private JsonNode addStep(String id, JsonNode step, boolean sync)
    {
        String stepId = "s-" + randomId(13);
        String name = step.path("Name").asText(stepId);
        List<String> args = new ArrayList<>();
        step.path("HadoopJarStep").path("Args").forEach(arg -> args.add(arg.asText()));
        SparkSubmit submit = SparkSubmit.parse(args);
        String startedAt;
        synchronized (this) {
            Cluster cluster = cluster(id);
            if (cluster.terminatedAt != null) {
                throw new StatesError("EMR.AmazonElasticMapReduceException", "cluster " + id + " is " + cluster.state + "; steps cannot be added", true);
            }
            cluster.state = "RUNNING";
            startedAt = Instant.now(clock).toString();
            write(cluster);
        }
        String state = "COMPLETED";
        Throwable failure = null;
        try {
            Class<?> main = Class.forName(submit.mainClass(), true, Thread.currentThread().getContextClassLoader());
            main.getMethod("main", String[].class).invoke(null, (Object) submit.applicationArgs().toArray(String[]::new));
        }
        catch (InvocationTargetException e) {
            state = "FAILED";
            failure = e.getCause();
        }
        catch (ReflectiveOperationException | LinkageError e) {
            state = "FAILED";
            failure = e;
        }
        String endedAt = Instant.now(clock).toString();
        synchronized (this) {
            Cluster cluster = cluster(id);
            cluster.steps.add(new ClusterRecord.Step(stepId, name, state, startedAt, endedAt, metricsLocation(submit)));
            if (cluster.terminatedAt == null) {
                cluster.state = "WAITING";
            }
            write(cluster);
        }
        ObjectNode description = JsonPaths.object();
        ObjectNode stepNode = description.putObject("Step");
        stepNode.put("Id", stepId);
        stepNode.put("Name", name);
        stepNode.put("ActionOnFailure", step.path("ActionOnFailure").asText("CONTINUE"));
        ObjectNode status = stepNode.putObject("Status");
        status.put("State", state);
        ObjectNode timeline = status.putObject("Timeline");
        timeline.put("StartDateTime", startedAt);
        timeline.put("EndDateTime", endedAt);
        if (failure != null) {
            ObjectNode details = status.putObject("FailureDetails");
            details.put("Reason", failure.getClass().getName());
            details.put("Message", String.valueOf(failure.getMessage()));
            throw new StatesError("States.TaskFailed", description.toString(), true);
        }
        if (!sync) {
            ObjectNode started = JsonPaths.object();
            started.put("StepId", stepId);
            return started;
        }
        return description;
    }

    private synchronized void terminate(String id, String reason)
    {
        Cluster cluster = cluster(id);
        if (cluster.terminatedAt != null) {
            return;
        }
        cluster.state = "TERMINATING";
        write(cluster);
        boolean othersRunning = clusters.values().stream().anyMatch(other -> other != cluster && other.terminatedAt == null);
        try {
            if (!keepEngine && !othersRunning) {
                engine.stop();
            }
        }
        finally {
            cluster.state = "TERMINATED";
            cluster.endReason = reason;
            cluster.terminatedAt = Instant.now(clock).toString();
            write(cluster);
        }
    }

    private Cluster cluster(String id)
    {
        Cluster cluster = clusters.get(id);
        if (cluster == null) {
            throw new StatesError("EMR.AmazonElasticMapReduceException", "cluster " + id + " does not exist", true);
        }
        return cluster;
    }

    private static String clusterId(JsonNode parameters)
    {
        JsonNode id = parameters.path("ClusterId");
        if (!id.isTextual()) {
            throw new StatesError("States.Runtime", "EMR parameters need a ClusterId string, got " + JsonPaths.abbreviate(parameters));
        }
        return id.textValue();
    }

    /** Where the extraction step writes its run metrics: the spec's {@code <source>.json} mapped into results/runs. */
    private String metricsLocation(SparkSubmit submit)
    {
        int spec = submit.applicationArgs().indexOf("--spec");
        if (spec < 0 || spec + 1 >= submit.applicationArgs().size()) {
            return null;
        }
        String location = submit.applicationArgs().get(spec + 1);
        int jobs = location.lastIndexOf("/jobs/");
        if (jobs < 0 || !location.endsWith(".json")) {
            return null;
        }
        String partition = location.substring(jobs + "/jobs/".length(), location.length() - ".json".length());
        return clustersDirectory.getParent().resolve("runs").resolve(partition + ".metrics.json").toUri().toString();
    }

    private void write(Cluster cluster)
    {
        Map<String, Object> requested = JsonPaths.mapper().convertValue(cluster.requested, JsonPaths.mapper().getTypeFactory()
                .constructMapType(Map.class, String.class, Object.class));
        Map<String, String> tags = tags(cluster);
        ClusterRecord record = new ClusterRecord(cluster.id, tags.get(RunTags.RUN_ID), tags.get(RunTags.DATE), cluster.state,
                cluster.createdAt, cluster.readyAt, cluster.terminatedAt, requested, List.of(), cluster.steps, true);
        try {
            OwnerOnly.createDirectories(clustersDirectory);
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        OwnerOnly.writeAtomically(recordFile(cluster.id), Json.write(record));
    }

    private static Map<String, String> tags(Cluster cluster)
    {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : cluster.requested.path("Tags")) {
            if (tag.path("Key").isTextual() && tag.path("Value").isTextual()) {
                tags.put(tag.get("Key").textValue(), tag.get("Value").textValue());
            }
        }
        return tags;
    }

    private static String randomId(int length)
    {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static final class Cluster
    {
        final String id;
        final JsonNode requested;
        final List<ClusterRecord.Step> steps = new ArrayList<>();
        String state;
        String createdAt;
        String readyAt;
        String terminatedAt;
        String endReason;

        Cluster(String id, JsonNode requested)
        {
            this.id = id;
            this.requested = requested;
        }
    }

    /** The parts of a {@code spark-submit …} command line the local cluster needs. */
    record SparkSubmit(String mainClass, String applicationJar, List<String> applicationArgs)
    {
        static SparkSubmit parse(List<String> args)
        {
            List<String> rest = new ArrayList<>(args);
            if (!rest.isEmpty() && rest.get(0).endsWith("spark-submit")) {
                rest.remove(0);
            }
            String mainClass = null;
            int i = 0;
            while (i < rest.size() && rest.get(i).startsWith("--")) {
                String option = rest.get(i);
                if (option.equals("--class") && i + 1 < rest.size()) {
                    mainClass = rest.get(i + 1);
                }
                i += SPARK_SUBMIT_OPTIONS_WITH_VALUE.contains(option) ? 2 : 1;
            }
            if (mainClass == null || i >= rest.size()) {
                throw new StatesError("States.TaskFailed", "the step is not 'spark-submit [options] --class <main> <jar> [args]': " + args, true);
            }
            return new SparkSubmit(mainClass, rest.get(i), List.copyOf(rest.subList(i + 1, rest.size())));
        }
    }
}
