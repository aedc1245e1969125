package io.dragnet.cost;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.type.TypeReference;
import io.dragnet.cleanup.ExecutionStatusChange;
import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.EnvironmentVariable;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunDay;
import io.dragnet.cost.aws.AwsClients;
import io.dragnet.cost.aws.AwsPriceSource;
import io.dragnet.cost.aws.EmrClusterSource;
import io.dragnet.cost.internal.FleetEstimate;
import io.dragnet.cost.ledger.ObjectStoreRunLedger;
import io.dragnet.cost.ledger.OpenSearchRunIndexer;
import io.dragnet.cost.ledger.RunIndexer;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.OpenSearchEnvironment;
import io.dragnet.storage.ObjectFolder;
import io.dragnet.storage.ObjectStore;
import io.dragnet.storage.ObjectStores;
import io.dragnet.storage.RepositoryPaths;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The RecordRunCost state: called at the end of every daily run, successful or failed.
 *
 * <p>Input: {@code runId}, {@code date}, {@code outcome} (or {@code status}: SUCCEEDED, FAILED, NO_JOBS, TIMED_OUT, ABORTED), {@code clusterId} (absent or null when no
 * cluster existed), {@code error}/{@code cause} (or a Step Functions Catch object {@code error: {Error, Cause}}),
 * {@code resultsLocation} (file:// or a path, or s3://bucket/prefix), {@code executionId} (the execution's ARN, part of the
 * ledger row's key), {@code problems} (what the run could not do, carried into the row), optional {@code pricesLocation} (a price table
 * directory), optional {@code opensearchConnection} (path to a local connection JSON; default: the environment,
 * {@link OpenSearchEnvironment}), optional {@code binding} ({@code embedded} or {@code aws}; default
 * {@code aws} inside Lambda, i.e. when AWS_LAMBDA_FUNCTION_NAME is set) and {@code region}.
 * <ul>
 *   <li>embedded: the cluster from {@code <results>/clusters/<clusterId>.json}, prices from {@code pricesLocation} or
 *   the checkout's {@code samples/prices} ({@link RepositoryPaths#samples()}); every figure labelled an estimate;</li>
 *   <li>aws: the cluster from EMR, prices from the Price List API and the EC2 spot price history (or
 *   {@code pricesLocation} when given).</li>
 * </ul>
 * <p>The run-ended workflow (statemachine/run-ended.asl.json, started by EventBridge when a daily execution ends
 * FAILED, TIMED_OUT or ABORTED) calls it too, after terminating the execution's clusters: input {@code runEnded} (the
 * event), {@code clusterIds}, {@code resultsLocation}; see {@link #runEndedOutcome}. That row is written only when the
 * execution has none yet, so the workflow's own row of a caught failure stays.
 * <p>The ledger row goes to {@code <results>/ledger/} (CSV and Parquet), then to the {@code dragnet-runs} index unless
 * OpenSearch is explicitly disabled; an index that cannot be written fails the step after the ledger row is safe. Output: the row's key figures, money as decimal strings.
 */
public final class RecordRunCostHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
    /** The input key under which the run-ended workflow passes the EventBridge event of an execution that ended badly. */
    public static final String RUN_ENDED = "runEnded";

    private final AwsClients aws;
    private final Map<String, String> environment;
    private final Clock clock;

    public RecordRunCostHandler()
    {
        this(AwsClients.fromEnvironment(), System.getenv(), Clock.systemUTC());
    }

    RecordRunCostHandler(AwsClients aws, Map<String, String> environment)
    {
        this(aws, environment, Clock.systemUTC());
    }

    /** @param clock when the row is recorded, and the end of a cluster that has not terminated yet */
    RecordRunCostHandler(AwsClients aws, Map<String, String> environment, Clock clock)
    {
        this.aws = requireNonNull(aws, "aws is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
    {
        if (input.containsKey(RUN_ENDED)) {
            RunOutcome outcome = runEndedOutcome(input);
            return record(input, outcome, runEndedResultsLocation(input), true);
        }
        return record(input, outcome(input), required(input, "resultsLocation"), false);
    }

    /**
     * @param unlessRecorded keep a row the execution already has (the workflow's own, more complete one) instead of
     *         replacing it: how a run-ended record behaves, so a second delivery of the same event changes nothing
     */
    private Map<String, Object> record(Map<String, Object> input, RunOutcome outcome, String resultsLocation, boolean unlessRecorded)
    {
        boolean onAws = binding(input).equals("aws");
        ObjectFolder results = resultsFolder(resultsLocation);
        ObjectStoreRunLedger ledger = new ObjectStoreRunLedger(results.child("ledger"));
        ClusterSource clusters = onAws ? new EmrClusterSource(aws.emr(), outcome.runId(), outcome.date()) : new ResultsClusterSource(results);
        Function<ObservedCluster, PriceTable> prices = prices(input, onAws);
        OpenSearchClient client = openSearchClient(input);
        try {
            RunIndexer indexer = client == null ? RunIndexer.NONE : new OpenSearchRunIndexer(client);
            RunCostRecorder recorder = new RunCostRecorder(clusters, prices, results, ledger, indexer);
            Instant now = clock.instant();
            Optional<LedgerRow> existing = unlessRecorded ? recorder.recorded(outcome) : Optional.empty();
            LedgerRow row = existing.orElseGet(() -> recorder.record(outcome, now));
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("runId", row.runId());
            output.put("status", row.status());
            output.put("clusterId", row.clusterId());
            output.put("estimate", row.estimate());
            output.put("stillRunning", row.stillRunning());
            output.put("totalCost", row.totalCost().toPlainString());
            output.put("onDemandCost", row.onDemandCost().toPlainString());
            output.put("savingsPercent", row.savingsPercent().toPlainString());
            output.put("spotInterruptions", row.spotInterruptions());
            output.put("currency", row.currency());
            output.put("scope", LedgerRow.SCOPE);
            output.put("ledgerFile", ledger.uri(ObjectStoreRunLedger.runKey(row.date(), row.key())));
            output.put("problems", row.problems());
            output.put("alreadyRecorded", existing.isPresent());
            output.put("indexed", client != null && existing.isEmpty());
            output.put("note", row.note());
            return output;
        }
        finally {
            if (client != null) {
                OpenSearchClients.close(client);
            }
        }
    }

    /**
     * The outcome of a run that ended FAILED, TIMED_OUT or ABORTED, from the run-ended workflow's input: the EventBridge
     * event under {@code runEnded} and the clusters it terminated under {@code clusterIds}. The run id and day come from
     * the ended execution's input (a scheduled timestamp resolves as GenerateJobs resolves it); when the event does not
     * carry the input, the execution's name stands for the run id and its start time for the schedule.
     */
    static RunOutcome runEndedOutcome(Map<String, Object> input)
    {
        if (!(input.get(RUN_ENDED) instanceof Map<?, ?> event)) {
            throw DragnetException.user("RecordRunCost input '" + RUN_ENDED + "' must be the EventBridge 'Step Functions Execution Status Change' event");
        }
        ExecutionStatusChange change;
        try {
            change = ExecutionStatusChange.fromEvent(event);
        }
        catch (IllegalArgumentException e) {
            throw DragnetException.user("RecordRunCost input '" + RUN_ENDED + "': " + e.getMessage());
        }
        if (!change.needsCleanup()) {
            throw DragnetException.user("RecordRunCost input '" + RUN_ENDED + "' is an execution that ended " + change.status()
                    + "; only FAILED, TIMED_OUT and ABORTED executions are recorded after their end");
        }
        Map<String, Object> executionInput = change.inputJson().map(RecordRunCostHandler::executionInput).orElse(Map.of());
        String where = "the input of execution " + change.executionArn();
        String date;
        if (text(executionInput, "date") != null) {
            date = RunDay.toProcess(text(executionInput, "date"), where).toString();
        }
        else if (change.startDate() != null) {
            date = RunDay.toProcess(change.startDate().toString(), "the start of execution " + change.executionArn()).toString();
        }
        else {
            throw DragnetException.user("RecordRunCost input '" + RUN_ENDED + "' carries neither the execution's input nor its start date: cannot tell the run's day");
        }
        String runId = text(executionInput, "runId") != null ? text(executionInput, "runId") : change.executionName();
        List<String> clusterIds = input.get("clusterIds") instanceof List<?> ids ? ids.stream().map(String::valueOf).toList() : List.of();
        String cause = change.cause() != null ? change.cause()
                : "the execution ended " + change.status() + "; recorded after its end" + (executionInput.isEmpty() ? " (the event did not carry the execution's input)" : "");
        return new RunOutcome(runId, date, RunOutcome.status(change.status()), clusterIds.isEmpty() ? null : clusterIds.get(clusterIds.size() - 1),
                change.error(), cause, change.executionArn(), List.of());
    }

    /** The run-ended workflow names the stack's results location; an ended execution's own input may name it too. */
    private static String runEndedResultsLocation(Map<String, Object> input)
    {
        if (text(input, "resultsLocation") != null) {
            return text(input, "resultsLocation");
        }
        Map<?, ?> event = (Map<?, ?>) input.get(RUN_ENDED);
        String location = ExecutionStatusChange.fromEvent(event).inputJson().map(RecordRunCostHandler::executionInput)
                .map(executionInput -> text(executionInput, "resultsLocation")).orElse(null);
        if (location == null) {
            throw DragnetException.user("RecordRunCost input has no 'resultsLocation' and the ended execution's input names none");
        }
        return location;
    }

    private static Map<String, Object> executionInput(String json)
    {
        try {
            return Json.mapper().readValue(json, new TypeReference<Map<String, Object>>() {});
        }
        catch (IOException e) {
            throw DragnetException.user("the ended execution's input is not a JSON object: " + e.getMessage());
        }
    }

    private static String text(Map<?, ?> map, String key)
    {
        Object value = map.get(key);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    private Function<ObservedCluster, PriceTable> prices(Map<String, Object> input, boolean onAws)
    {
        Object pricesLocation = input.get("pricesLocation");
        if (pricesLocation != null || !onAws) {
            Path directory = pricesLocation == null
                    ? RepositoryPaths.samples().resolve("prices")
                    : RunCostRecorder.localPath(pricesLocation.toString())
                            .orElseThrow(() -> DragnetException.user("pricesLocation " + pricesLocation + " must be a local directory"));
            return cluster -> PriceTableFiles.load(directory);
        }
        String region = input.get("region") != null ? input.get("region").toString()
                : EnvironmentVariable.AWS_REGION.read().orElse("us-east-1");
        return cluster -> {
            ClusterRecord record = cluster.record();
            Set<String> types = record.instances().stream().map(ClusterRecord.Instance::instanceType).collect(Collectors.toSet());
            Instant from = Instant.parse(record.createdAt());
            Instant to = record.terminatedAt() == null ? clock.instant() : Instant.parse(record.terminatedAt());
            Set<String> volumeTypes = FleetEstimate.read(record.requested()).volumeTypes();
            return new AwsPriceSource(aws.pricing(), aws.ec2()).priceTable(region, types, volumeTypes, cluster.availabilityZone(), from, to);
        };
    }

    private ObjectFolder resultsFolder(String location)
    {
        ObjectStore store = ObjectStores.localAndS3(aws::s3);
        if (location.startsWith("s3://")) {
            if (URI.create(location).getHost() == null) {
                throw DragnetException.user("resultsLocation " + location + " is not s3://bucket/prefix");
            }
            return new ObjectFolder(store, location);
        }
        Path local = RunCostRecorder.localPath(location)
                .orElseThrow(() -> DragnetException.user("resultsLocation " + location + ": expected file://, a path or s3://bucket/prefix"));
        return new ObjectFolder(store, local.toAbsolutePath().normalize().toUri().toString());
    }

    static String binding(Map<String, Object> input)
    {
        Object binding = input.get("binding");
        if (binding == null) {
            return EnvironmentVariable.AWS_LAMBDA_FUNCTION_NAME.read().isEmpty() ? "embedded" : "aws";
        }
        String value = binding.toString().toLowerCase(Locale.ROOT);
        if (!value.equals("aws") && !value.equals("embedded")) {
            throw DragnetException.user("binding '" + binding + "' (expected aws or embedded)");
        }
        return value;
    }

    static RunOutcome outcome(Map<String, Object> input)
    {
        Object error = input.get("error");
        String errorName = null;
        String cause = input.get("cause") == null ? null : input.get("cause").toString();
        if (error instanceof Map<?, ?> caught) {
            errorName = caught.get("Error") == null ? null : caught.get("Error").toString();
            cause = caught.get("Cause") == null ? cause : caught.get("Cause").toString();
        }
        else if (error != null) {
            errorName = error.toString();
        }
        Object clusterId = input.get("clusterId");
        String status = input.get("outcome") != null ? input.get("outcome").toString() : required(input, "status");
        Object executionId = input.get("executionId");
        return new RunOutcome(required(input, "runId"), required(input, "date"), RunOutcome.status(status),
                clusterId == null || clusterId.toString().isBlank() ? null : clusterId.toString(), errorName, cause,
                executionId == null || executionId.toString().isBlank() ? null : executionId.toString(), problems(input.get("problems")));
    }

    /** The run's problems as the workflow passes them: a list of strings (absent when the run reported none). */
    static List<String> problems(Object problems)
    {
        if (problems == null) {
            return List.of();
        }
        if (!(problems instanceof List<?> list)) {
            throw DragnetException.user("RecordRunCost input 'problems' is " + problems.getClass().getSimpleName() + "; expected a list of strings");
        }
        return list.stream().map(String::valueOf).toList();
    }

    /** The run index's client; null only when OpenSearch is explicitly disabled (the ledger row is written first either way). */
    private OpenSearchClient openSearchClient(Map<String, Object> input)
    {
        Object configured = input.get("opensearchConnection");
        return OpenSearchEnvironment.resolve(environment, configured == null ? null : configured.toString())
                .map(OpenSearchClients::create)
                .orElse(null);
    }

    private static String required(Map<String, Object> input, String key)
    {
        Object value = input.get(key);
        if (value == null || value.toString().isBlank()) {
            throw DragnetException.user("RecordRunCost input has no '" + key + "'; got keys " + input.keySet());
        }
        return value.toString();
    }
}
