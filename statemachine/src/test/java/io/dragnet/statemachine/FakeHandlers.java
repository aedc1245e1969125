package io.dragnet.statemachine;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.statemachine.internal.JsonPaths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Hand-written Lambda handlers for the workflow tests, bound by class name exactly as the real ones are.
 * Every call is recorded with what it saw (for RecordRunCost: whether the cluster record was already terminated).
 */
public final class FakeHandlers
{
    public static final List<Call> CALLS = Collections.synchronizedList(new ArrayList<>());

    private FakeHandlers() {}

    public record Call(String handler, Map<String, Object> input, String clusterStateSeen) {}

    /** RecordRunCost's calls from the run-ended workflow (those of the daily run are {@code calls(RecordRunCost.class)}). */
    public static final String RUN_ENDED = "RecordRunCost after the run ended";

    public static List<Call> runEndedCalls()
    {
        synchronized (CALLS) {
            return CALLS.stream().filter(call -> call.handler().equals(RUN_ENDED)).toList();
        }
    }

    public static List<Call> calls(Class<?> handler)
    {
        synchronized (CALLS) {
            return CALLS.stream().filter(call -> call.handler().equals(handler.getSimpleName())).toList();
        }
    }

    /**
     * Two jobs; the spec location of the second contains "fail" when the input asks for a failing step. When the rules
     * location names correlations, a correlation step follows (its spec location contains "fail" for failing-correlation).
     * When it names raw logs, an import step precedes them (its spec location contains "fail" for failing-import).
     */
    public static final class GenerateTwoJobs
            implements RequestHandler<Map<String, Object>, Map<String, Object>>
    {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
        {
            CALLS.add(new Call(getClass().getSimpleName(), input, null));
            String work = (String) input.get("workLocation");
            String prefix = work + "/jobs/dt=" + input.get("date") + "/run=" + input.get("runId") + "/";
            boolean failStep = String.valueOf(input.get("rulesLocation")).contains("failing-step");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("runId", input.get("runId"));
            result.put("date", input.get("date"));
            result.put("jobCount", 2);
            result.put("jobs", List.of(
                    Map.of("source", "zeek_conn", "specLocation", prefix + "zeek_conn.json", "rules", List.of("c2-beacon")),
                    Map.of("source", "zeek_dns", "specLocation", prefix + (failStep ? "fail-" : "") + "zeek_dns.json", "rules", List.of("dns-dga"))));
            result.put("problems", List.of());
            result.put("sandbox", List.of());
            result.put("warnings", List.of());
            String rules = String.valueOf(input.get("rulesLocation"));
            result.put("correlations", rules.contains("correlation")
                    ? List.of(Map.of("date", input.get("date"), "specLocation", prefix + (rules.contains("failing-correlation") ? "fail-" : "") + "correlations.json",
                            "topics", Map.of("c2", List.of("c2-beacon-then-dga"))))
                    : List.of());
            result.put("imports", rules.contains("raw-logs") || rules.contains("failing-import")
                    ? List.of(Map.of("date", input.get("date"), "specLocation", prefix + (rules.contains("failing-import") ? "fail-" : "") + "_import.json"))
                    : List.of());
            return result;
        }
    }

    /** One job whose item lacks the specLocation the Map's steps read: States.Runtime inside RunJobs. */
    public static final class GenerateJobWithoutSpec
            implements RequestHandler<Map<String, Object>, Map<String, Object>>
    {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
        {
            CALLS.add(new Call(getClass().getSimpleName(), input, null));
            return Map.of("runId", input.get("runId"), "date", input.get("date"), "jobCount", 1,
                    "jobs", List.of(Map.of("source", "zeek_conn", "rules", List.of("c2-beacon"))), "problems", List.of(), "sandbox", List.of(), "warnings", List.of(),
                    "correlations", List.of(), "imports", List.of());
        }
    }

    public static final class GenerateNoJobs
            implements RequestHandler<Map<String, Object>, Map<String, Object>>
    {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
        {
            CALLS.add(new Call(getClass().getSimpleName(), input, null));
            return Map.of("runId", input.get("runId"), "date", input.get("date"), "jobCount", 0, "jobs", List.of(), "problems", List.of(), "sandbox", List.of(), "warnings", List.of(),
                    "correlations", List.of(), "imports", List.of());
        }
    }

    public static final class Failing
            implements RequestHandler<Map<String, Object>, Map<String, Object>>
    {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
        {
            CALLS.add(new Call(getClass().getSimpleName(), input, null));
            throw new IllegalStateException("injected failure in " + context.getFunctionName());
        }
    }

    public static final class Publish
            implements RequestHandler<Map<String, Object>, Map<String, Object>>
    {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
        {
            CALLS.add(new Call(getClass().getSimpleName(), input, null));
            return Map.of("published", ((List<?>) input.get("steps")).size());
        }
    }

    /** A Share step whose sharing policy cannot be read. */
    public static final class FailingShare
            implements RequestHandler<Map<String, Object>, Map<String, Object>>
    {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
        {
            CALLS.add(new Call(getClass().getSimpleName(), input, null));
            throw new IllegalStateException("sharing policy " + ((Map<?, ?>) input.get("sharing")).get("policy") + " cannot be read");
        }
    }

    /** Records the state of the cluster record at the moment the cost is recorded. */
    public static final class RecordRunCost
            implements RequestHandler<Map<String, Object>, Map<String, Object>>
    {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
        {
            // the run-ended workflow names the clusters it terminated; the daily run names its one cluster
            String clusterId = input.get("clusterIds") instanceof List<?> ids && !ids.isEmpty() ? (String) ids.get(ids.size() - 1) : (String) input.get("clusterId");
            String seen = null;
            if (clusterId != null) {
                Path record = Path.of(URI.create((String) input.get("resultsLocation"))).resolve("clusters").resolve(clusterId + ".json");
                try {
                    JsonNode node = JsonPaths.mapper().readTree(Files.readString(record));
                    seen = node.path("state").asText() + (node.path("terminatedAt").isTextual() ? "+terminatedAt" : "");
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            CALLS.add(new Call(input.containsKey("runEnded") ? RUN_ENDED : getClass().getSimpleName(), input, seen));
            return input.containsKey("runEnded") ? Map.of("recorded", true, "alreadyRecorded", false, "status", "recorded after the end")
                    : Map.of("recorded", true, "outcome", input.get("outcome"));
        }
    }

    /** Stands in for io.dragnet.nids.CompactionJob: records its arguments, fails when told to. */
    public static final class CompactionMain
    {
        public static final List<List<String>> CALLS = Collections.synchronizedList(new ArrayList<>());
        public static volatile boolean fail;

        private CompactionMain() {}

        public static void main(String[] args)
        {
            CALLS.add(List.of(args));
            if (fail) {
                throw new IllegalStateException("injected compaction failure");
            }
        }
    }

    /** A spark-submit main class for extraction and correlation steps: fails when its spec location contains "fail". */
    public static final class StepMain
    {
        public static final List<String> SPECS = Collections.synchronizedList(new ArrayList<>());

        private StepMain() {}

        public static void main(String[] args)
        {
            String spec = args[List.of(args).indexOf("--spec") + 1];
            SPECS.add(spec);
            if (spec.contains("fail")) {
                throw new IllegalStateException("injected step failure for " + spec);
            }
        }
    }

    /**
     * A spark-submit main class for extraction and correlation steps that records, for each job spec, the files its
     * source's day partition holds at the moment the step runs (correlation specs read no source and are only recorded).
     */
    public static final class LakeRecordingStepMain
    {
        public static final Map<String, List<String>> FILES_SEEN = Collections.synchronizedMap(new LinkedHashMap<>());

        private LakeRecordingStepMain() {}

        public static void main(String[] args)
                throws IOException
        {
            String spec = args[List.of(args).indexOf("--spec") + 1];
            JsonNode source = JsonPaths.mapper().readTree(Path.of(URI.create(spec)).toFile()).path("source");
            List<String> files = new ArrayList<>();
            if (source.has("location")) {
                Path day = Path.of(URI.create(source.get("location").asText()));
                if (Files.isDirectory(day)) {
                    try (Stream<Path> listing = Files.list(day)) {
                        listing.map(path -> path.getFileName().toString()).sorted().forEach(files::add);
                    }
                }
            }
            FILES_SEEN.put(spec, files);
        }
    }
}
