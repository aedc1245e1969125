package io.dragnet.sparkjobs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.opensearch.OpenSearchClients;
import io.dragnet.opensearch.OpenSearchSetup;
import io.dragnet.opensearch.RetentionSweep;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Step 5 of the daily run (PublishFunctionArn): switches the aliases of every topic to the run's fresh indexes.
 * Input: {@code date}, {@code runId} and the workflow keys; {@code opensearchConnection} (path of a connection JSON)
 * overrides the environment's connection. Without any OpenSearch connection the step reports {@code skipped}.
 */
public final class PublishHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
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
        Optional<OpenSearchConnection> connection = DocumentSinks.connection(System.getenv(), explicit == null ? null : explicit.toString());
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("date", date);
        output.put("runId", runId);
        if (connection.isEmpty()) {
            output.put("published", List.of());
            output.put("skipped", "no OpenSearch connection configured (opensearchConnection, DRAGNET_OPENSEARCH_CONNECTION or the embedded node's connection.json)");
            return output;
        }
        OpenSearchClient client = OpenSearchClients.create(connection.get());
        try {
            List<RunPublisher.Published> published = new RunPublisher(client).publish(day, runId);
            output.put("published", published.stream().map(RunPublisher.Published::toMap).toList());
            output.put("retentionDeleted", new RetentionSweep(client, OpenSearchSetup.Options.local()).enforceWhereIsmMissing(Instant.now()));
            return output;
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
