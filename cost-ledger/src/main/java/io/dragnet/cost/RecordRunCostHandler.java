package io.dragnet.cost;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.EnvironmentVariable;
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

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The RecordRunCost state: called at the end of every daily run, successful or failed.
 *
 * <p>Input: {@code runId}, {@code date}, {@code outcome} (or {@code status}: SUCCEEDED, FAILED, NO_JOBS), {@code clusterId} (absent or null when no
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
 * The ledger row goes to {@code <results>/ledger/} (CSV and Parquet), then to the {@code dragnet-runs} index unless
 * OpenSearch is explicitly disabled; an index that cannot be written fails the step after the ledger row is safe. Output: the row's key figures, money as decimal strings.
 */
public final class RecordRunCostHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
    private final AwsClients aws;
    private final Map<String, String> environment;

    public RecordRunCostHandler()
    {
        this(AwsClients.fromEnvironment(), System.getenv());
    }

    RecordRunCostHandler(AwsClients aws, Map<String, String> environment)
    {
        this.aws = requireNonNull(aws, "aws is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
    {
        RunOutcome outcome = outcome(input);
        boolean onAws = binding(input).equals("aws");
        ObjectFolder results = resultsFolder(required(input, "resultsLocation"));
        ObjectStoreRunLedger ledger = new ObjectStoreRunLedger(results.child("ledger"));
        ClusterSource clusters = onAws ? new EmrClusterSource(aws.emr(), outcome.runId(), outcome.date()) : new ResultsClusterSource(results);
        Function<ObservedCluster, PriceTable> prices = prices(input, onAws);
        OpenSearchClient client = openSearchClient(input);
        try {
            RunIndexer indexer = client == null ? RunIndexer.NONE : new OpenSearchRunIndexer(client);
            LedgerRow row = new RunCostRecorder(clusters, prices, results, ledger, indexer).record(outcome, Instant.now());
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
            output.put("indexed", client != null);
            output.put("note", row.note());
            return output;
        }
        finally {
            if (client != null) {
                OpenSearchClients.close(client);
            }
        }
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
            Instant to = record.terminatedAt() == null ? Instant.now() : Instant.parse(record.terminatedAt());
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
