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
 * Input: {@code date}, {@code runId} and the workflow keys; {@code opensearchConnection} (path of a local connection
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
            List<RunPublisher.Published> published = new RunPublisher(client).publish(day, runId);
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

    private static String required(Map<String, Object> input, String key)
    {
        Object value = input == null ? null : input.get(key);
        if (value == null || value.toString().isBlank()) {
            throw DragnetException.user("Publish input: expected key '" + key + "'");
        }
        return value.toString();
    }
}
