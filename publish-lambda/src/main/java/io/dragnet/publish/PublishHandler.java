package io.dragnet.publish;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.dragnet.contracts.DragnetException;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.OpenSearchEndpoint;
import io.dragnet.opensearch.client.OpenSearchEnvironment;
import io.dragnet.opensearch.client.RetentionSweep;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Step 5 of the daily run (PublishFunctionArn): switches the aliases of every topic to the run's fresh indexes.
 * Input: {@code date}, {@code runId} and the workflow keys; when {@code executionInput.backfill} is present, the run's
 * {@code jobs} (each with its {@code date} and {@code topics}) are published as a backfill
 * ({@link RunPublisher#publishBackfill}) instead. {@code opensearchConnection} (path of a local connection
 * JSON) overrides the environment ({@link OpenSearchEnvironment}). The step reports {@code skipped} only when OpenSearch
 * is explicitly disabled; nothing configured, unreachable or refusing is a failed step naming the endpoint.
 */
public final class PublishHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
    private final Map<String, String> environment;

    public PublishHandler()
    {
        this(System.getenv());
    }

    /** A handler reading {@code environment} instead of the process's (the local executor's wiring, tests). */
    public PublishHandler(Map<String, String> environment)
    {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
    {
        String date = required(input, "date");
        String runId = required(input, "runId");
        LocalDate day;
        try {
            day = LocalDate.parse(date);
        }
        catch (DateTimeParseException e) {
            throw DragnetException.user("Publish input date '" + date + "': expected YYYY-MM-DD");
        }
        Object explicit = input.get("opensearchConnection");
        Optional<OpenSearchEndpoint> endpoint = OpenSearchEnvironment.resolve(environment, explicit == null ? null : explicit.toString());
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("date", date);
        output.put("runId", runId);
        if (endpoint.isEmpty()) {
            output.put("published", List.of());
            output.put("skipped", "OpenSearch disabled (" + OpenSearchEnvironment.AUTH + "=disabled)");
            return output;
        }
        OpenSearchClient client = OpenSearchClients.create(endpoint.get());
        try {
            RunPublisher publisher = new RunPublisher(client);
            List<RunPublisher.Published> published = backfill(input) ? publisher.publishBackfill(backfillDays(input), runId, backfillRules(input))
                    : publisher.publish(day, runId);
            if (backfill(input)) {
                output.put("backfill", true);
            }
            output.put("published", published.stream().map(RunPublisher.Published::toMap).toList());
            output.put("retentionDeleted", new RetentionSweep(client, RetentionSweep.Scope.defaults()).enforceWhereIsmMissing(Instant.now()));
            return output;
        }
        catch (RuntimeException e) {
            throw DragnetException.external("Publish of run " + runId + " to OpenSearch " + endpoint.get().describe() + " failed: " + OpenSearchClients.failureMessage(e), e);
        }
        finally {
            OpenSearchClients.close(client);
        }
    }

    /** Whether the execution input (which the workflow passes as {@code executionInput}) asks for a backfill. */
    static boolean backfill(Map<String, Object> input)
    {
        return input.get("executionInput") instanceof Map<?, ?> execution && execution.get("backfill") != null;
    }

    /** The days of the run's published jobs. */
    static List<LocalDate> backfillDays(Map<String, Object> input)
    {
        return publishedJobs(input).stream()
                .map(job -> job.get("date"))
                .filter(java.util.Objects::nonNull)
                .map(date -> LocalDate.parse(date.toString()))
                .distinct()
                .sorted()
                .toList();
    }

    /** The run's published rule ids by topic, from its jobs' {@code topics}. */
    static Map<String, List<String>> backfillRules(Map<String, Object> input)
    {
        Map<String, java.util.Set<String>> rules = new java.util.TreeMap<>();
        for (Map<?, ?> job : publishedJobs(input)) {
            if (job.get("topics") instanceof Map<?, ?> topics) {
                topics.forEach((topic, ids) -> {
                    if (ids instanceof List<?> list) {
                        list.forEach(id -> rules.computeIfAbsent(topic.toString(), key -> new java.util.TreeSet<>()).add(id.toString()));
                    }
                });
            }
        }
        Map<String, List<String>> sorted = new java.util.TreeMap<>();
        rules.forEach((topic, ids) -> sorted.put(topic, List.copyOf(ids)));
        return sorted;
    }

    private static List<Map<?, ?>> publishedJobs(Map<String, Object> input)
    {
        if (!(input.get("jobs") instanceof List<?> jobs)) {
            throw DragnetException.user("Publish input of a backfill: expected 'jobs', the GenerateJobs job list with each job's date and topics");
        }
        return jobs.stream()
                .filter(job -> job instanceof Map<?, ?>)
                .<Map<?, ?>>map(job -> (Map<?, ?>) job)
                .filter(job -> !Boolean.TRUE.equals(job.get("sandbox")))
                .toList();
    }

    private static String required(Map<String, Object> input, String key)
    {
        Object value = input == null ? null : input.get(key);
        if (value == null || value.toString().isBlank()) {
            throw DragnetException.user("Publish input: expected key '" + key + "'");
        }
        return value.toString();
    }
}
