package io.dragnet.publish;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.dragnet.contracts.DragnetException;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.OpenSearchEndpoint;
import io.dragnet.opensearch.client.OpenSearchEnvironment;
import io.dragnet.opensearch.client.RetentionSweep;
import io.dragnet.storage.ObjectStore;
import io.dragnet.storage.ObjectStores;
import org.opensearch.client.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Step 5 of the daily run (PublishFunctionArn): switches the aliases of every topic to the run's fresh indexes, then
 * records the run as the day's published one for the run files under {@code resultsLocation} and sweeps the run files
 * of unpublished runs ({@link PublishedRunFiles}). Input: {@code date}, {@code runId}, {@code resultsLocation} and the
 * workflow keys; when {@code executionInput.backfill} is present, the run's
 * {@code jobs} and {@code correlations} (each with its {@code date} and {@code topics}) are published as a backfill
 * ({@link RunPublisher#publishBackfill}) instead. {@code opensearchConnection} (path of a local connection
 * JSON) overrides the environment ({@link OpenSearchEnvironment}). The step reports {@code skipped} (and still records
 * the run's files) only when OpenSearch is explicitly disabled; nothing configured, unreachable or refusing is a failed
 * step naming the endpoint, and records nothing.
 */
public final class PublishHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
    private final Map<String, String> environment;
    private final ObjectStore store;
    private final Clock clock;

    public PublishHandler()
    {
        this(System.getenv(), ObjectStores.localAndS3(S3Client::create));
    }

    /** A handler reading {@code environment} instead of the process's (the local executor's wiring, tests). */
    public PublishHandler(Map<String, String> environment)
    {
        this(environment, ObjectStores.localAndS3(S3Client::create));
    }

    public PublishHandler(Map<String, String> environment, ObjectStore store)
    {
        this(environment, store, Clock.systemUTC());
    }

    /** @param clock the moment the run is published: which unpublished runs are older, which indexes are past retention */
    public PublishHandler(Map<String, String> environment, ObjectStore store, Clock clock)
    {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
    {
        String date = required(input, "date");
        String runId = required(input, "runId");
        Instant publishing = clock.instant();
        LocalDate day;
        try {
            day = LocalDate.parse(date);
        }
        catch (DateTimeParseException e) {
            throw DragnetException.user("Publish input date '" + date + "': expected YYYY-MM-DD");
        }
        String results = required(input, "resultsLocation");
        Object explicit = input.get("opensearchConnection");
        Optional<OpenSearchEndpoint> endpoint = OpenSearchEnvironment.resolve(environment, explicit == null ? null : explicit.toString());
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("date", date);
        output.put("runId", runId);
        if (backfill(input)) {
            output.put("backfill", true);
        }
        if (endpoint.isEmpty()) {
            output.put("published", List.of());
            output.put("skipped", "OpenSearch disabled (" + OpenSearchEnvironment.AUTH + "=disabled)");
        }
        else {
            publishIndexes(endpoint.get(), input, day, runId, output);
        }
        // the files are recorded once the aliases show the run, so no reader takes a run's files before its indexes
        PublishedRunFiles files = new PublishedRunFiles(store, results);
        List<String> recorded = new ArrayList<>();
        if (backfill(input)) {
            backfillRulesByDay(input).forEach((backfillDay, rules) -> recorded.add(files.publishBackfill(backfillDay, runId, rules).date()));
        }
        else {
            recorded.add(files.publish(day, runId).date());
        }
        output.put("recordedDays", recorded);
        output.put("sweptRunFolders", files.sweepUnpublished(runId, publishing));
        return output;
    }

    private void publishIndexes(OpenSearchEndpoint endpoint, Map<String, Object> input, LocalDate day, String runId, Map<String, Object> output)
    {
        OpenSearchClient client = OpenSearchClients.create(endpoint);
        try {
            RunPublisher publisher = new RunPublisher(client);
            List<RunPublisher.Published> published = backfill(input) ? publisher.publishBackfill(backfillDays(input), runId, backfillRules(input))
                    : publisher.publish(day, runId);
            output.put("published", published.stream().map(RunPublisher.Published::toMap).toList());
            output.put("retentionDeleted", new RetentionSweep(client, RetentionSweep.Scope.defaults()).enforceWhereIsmMissing(clock.instant()));
        }
        catch (RuntimeException e) {
            throw DragnetException.external("Publish of run " + runId + " to OpenSearch " + endpoint.describe() + " failed: " + OpenSearchClients.failureMessage(e), e);
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

    /** The run's published rule ids by topic, from its jobs' and its correlation steps' {@code topics}. */
    static Map<String, List<String>> backfillRules(Map<String, Object> input)
    {
        Map<String, java.util.Set<String>> rules = new java.util.TreeMap<>();
        for (Map<?, ?> job : publishedSteps(input)) {
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

    /** The run's published rule ids of each day, from its jobs' and its correlation steps' {@code date} and {@code topics}. */
    static Map<LocalDate, List<String>> backfillRulesByDay(Map<String, Object> input)
    {
        Map<LocalDate, java.util.Set<String>> rules = new java.util.TreeMap<>();
        for (Map<?, ?> job : publishedSteps(input)) {
            if (job.get("date") != null && job.get("topics") instanceof Map<?, ?> topics) {
                java.util.Set<String> ofDay = rules.computeIfAbsent(LocalDate.parse(job.get("date").toString()), key -> new java.util.TreeSet<>());
                topics.values().forEach(ids -> {
                    if (ids instanceof List<?> list) {
                        list.forEach(id -> ofDay.add(id.toString()));
                    }
                });
            }
        }
        Map<LocalDate, List<String>> sorted = new java.util.TreeMap<>();
        rules.forEach((day, ids) -> sorted.put(day, List.copyOf(ids)));
        return sorted;
    }

    /** The published jobs and the correlation steps (which publish their non-sandbox rules only). */
    private static List<Map<?, ?>> publishedSteps(Map<String, Object> input)
    {
        List<Map<?, ?>> steps = new java.util.ArrayList<>(publishedJobs(input));
        if (input.get("correlations") instanceof List<?> correlations) {
            correlations.stream().filter(step -> step instanceof Map<?, ?>).forEach(step -> steps.add((Map<?, ?>) step));
        }
        return steps;
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
