package io.dragnet.sharing.daily;

import io.dragnet.anonymization.SharingKeys;
import io.dragnet.anonymization.aws.SecretsManagerKeys;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.EnvironmentVariable;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.rules.RuleCompiler;
import io.dragnet.opensearch.client.OpenSearchEndpoint;
import io.dragnet.opensearch.client.OpenSearchEnvironment;
import io.dragnet.sharing.ExportTrail;
import io.dragnet.sharing.Exporter;
import io.dragnet.sharing.OpenSearchHitSource;
import io.dragnet.sharing.SharingPolicy;
import io.dragnet.sharing.SharingPolicyParser;
import io.dragnet.sharing.TrailIndex;
import io.dragnet.sharing.alert.AlertSenders;
import io.dragnet.sharing.alert.DeliveryLog;
import io.dragnet.sharing.alert.Notifier;
import io.dragnet.sharing.alert.RuleSubscriptions;
import io.dragnet.storage.ObjectFolder;
import io.dragnet.storage.ObjectStore;
import io.dragnet.storage.ObjectStores;
import org.opensearch.client.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The daily run's Share step (ShareFunctionArn), after Publish: alerts and scheduled exports of the published day
 * ({@link DailySharing}). Input: {@code date}, {@code runId}, {@code resultsLocation} and {@code sharing}:
 * {@code {"policy": <sharing policy, a local path or s3:// object>, "keyFile": <local key file, optional>}}; optionally
 * {@code rulesLocation}, whose rules' {@code notify:} keys subscribe channels (checked against the policy: an unknown
 * channel fails the step with its {@code file:line:column}); locally also {@code opensearchConnection}. The key comes from the Secrets Manager secret named by
 * {@code SHARING_KEY_SECRET_ID} when set (on AWS), else from {@code keyFile}, else from {@code $DRAGNET_HOME/secrets/sharing.key}.
 * Exports go to {@code <results>/exports/<date>/}, the trail to {@code <results>/exports/trail/} and its index, alert
 * deliveries to {@code <results>/notifications/deliveries/}.
 */
public final class ShareHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
    private final Map<String, String> environment;
    private final ObjectStore store;
    private final Clock clock;

    public ShareHandler()
    {
        this(System.getenv(), ObjectStores.localAndS3(S3Client::create), Clock.systemUTC());
    }

    ShareHandler(Map<String, String> environment, ObjectStore store, Clock clock)
    {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
    {
        LocalDate day = day(required(input, "date"));
        String runId = required(input, "runId");
        Map<String, Object> sharing = sharing(input);
        String policyLocation = required(sharing, "policy");
        ObjectFolder results = new ObjectFolder(store, required(input, "resultsLocation"));
        SharingPolicy policy = SharingPolicyParser.parse(new String(store.read(policyLocation), StandardCharsets.UTF_8), policyLocation);
        Object rulesLocation = input.get("rulesLocation");
        RuleSubscriptions subscriptions = rulesLocation == null ? RuleSubscriptions.NONE
                : RuleSubscriptions.of(new RuleCompiler(store).load(rulesLocation.toString()), policy);
        Object explicit = input.get("opensearchConnection");
        OpenSearchEndpoint endpoint = OpenSearchEnvironment.resolve(environment, explicit == null ? null : explicit.toString())
                .orElseThrow(() -> DragnetException.user("Share needs OpenSearch to read the published hits, but it is disabled (" + OpenSearchEnvironment.AUTH + "=disabled)"));
        SharingKeys keys = keys(sharing);
        OpenSearchClient client = OpenSearchClients.create(endpoint);
        try (AlertSenders senders = AlertSenders.forPolicy(policy)) {
            OpenSearchHitSource hits = new OpenSearchHitSource(client);
            Notifier notifier = new Notifier(policy, subscriptions, keys, hits, senders.byKind(), pause -> Thread.sleep(pause.toMillis()),
                    new DeliveryLog(results.child("notifications/deliveries")), clock);
            ExportTrail trail = new ExportTrail(results.child("exports/trail"));
            Exporter exporter = new Exporter(policy, keys, hits, trail, store, clock);
            DailySharing.Outcome outcome = new DailySharing(policy, notifier, exporter, results.child("exports")).share(day, "workflow run " + runId);
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("date", day.toString());
            output.put("deliveries", outcome.deliveries());
            output.put("exports", outcome.exports());
            output.put("refused", outcome.refused());
            if (!outcome.exports().isEmpty()) {
                output.put("trailIndexed", new TrailIndex(client).mirror(trail));
            }
            return io.dragnet.contracts.Json.mapper().convertValue(output, Map.class);
        }
        finally {
            OpenSearchClients.close(client);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sharing(Map<String, Object> input)
    {
        if (!(input.get("sharing") instanceof Map<?, ?> sharing)) {
            throw DragnetException.user("Share input has no 'sharing' object; expected {\"policy\": <sharing policy location>}");
        }
        return (Map<String, Object>) sharing;
    }

    private SharingKeys keys(Map<String, Object> sharing)
    {
        Optional<String> secret = EnvironmentVariable.SHARING_KEY_SECRET_ID.read(environment).filter(value -> !value.isBlank());
        if (secret.isPresent()) {
            try (SecretsManagerClient client = SecretsManagerClient.create()) {
                return new SecretsManagerKeys(client).load(secret.get());
            }
        }
        Object file = sharing.get("keyFile");
        return SharingKeys.loadOrCreate(file != null ? java.nio.file.Path.of(file.toString())
                : SharingKeys.localFile(DragnetHome.fromEnvironment()));
    }

    private static LocalDate day(String date)
    {
        try {
            return LocalDate.parse(date);
        }
        catch (DateTimeParseException e) {
            throw DragnetException.user("Share input date '" + date + "': expected YYYY-MM-DD");
        }
    }

    private static String required(Map<String, Object> input, String key)
    {
        return Optional.ofNullable(input.get(key)).map(Object::toString).filter(value -> !value.isBlank())
                .orElseThrow(() -> DragnetException.user("Share input has no '" + key + "'"));
    }
}
