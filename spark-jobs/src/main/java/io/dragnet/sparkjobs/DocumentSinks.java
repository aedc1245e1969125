package io.dragnet.sparkjobs;

import io.dragnet.anonymization.SharingKeys;
import io.dragnet.anonymization.aws.SecretsManagerKeys;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.EnvironmentVariable;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.opensearch.client.OpenSearchAuth;
import io.dragnet.opensearch.client.OpenSearchEndpoint;
import io.dragnet.opensearch.client.OpenSearchEnvironment;
import io.dragnet.sparkjobs.sink.DocumentSinkFactory;
import io.dragnet.sparkjobs.sink.OpenSearchDocumentSink;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenSearch sink of this process, from the one environment contract {@link OpenSearchEnvironment}. Documents get
 * their address pseudonyms under the sharing key exports use: on AWS the Secrets Manager secret
 * {@code SHARING_KEY_SECRET_ID} names (the EMR step's environment); writing to a local node, the key file of the home
 * that node belongs to ({@link SharingKeys#localFile}, created owner-only on first use), so documents and
 * {@code dragnet export --home} of that home agree. Writing elsewhere without a secret, documents carry no pseudonyms.
 */
public final class DocumentSinks
{
    private DocumentSinks() {}

    /** The sink; empty only when OpenSearch is explicitly disabled ({@code OPENSEARCH_AUTH=disabled}). */
    public static Optional<DocumentSinkFactory> fromEnvironment()
    {
        Map<String, String> environment = System.getenv();
        return OpenSearchEnvironment.resolve(environment, null).map(endpoint -> OpenSearchDocumentSink.factory(endpoint, sharingKeys(environment, endpoint).orElse(null)));
    }

    static Optional<SharingKeys> sharingKeys(Map<String, String> environment, OpenSearchEndpoint endpoint)
    {
        Optional<String> secret = EnvironmentVariable.SHARING_KEY_SECRET_ID.read(environment).filter(value -> !value.isBlank());
        if (secret.isPresent()) {
            try (SecretsManagerClient client = SecretsManagerClient.create()) {
                return Optional.of(new SecretsManagerKeys(client).load(secret.get()));
            }
        }
        if (endpoint.auth() instanceof OpenSearchAuth.Basic) {
            DragnetHome home = OpenSearchConnection.locate(environment, null).flatMap(DocumentSinks::homeOf).orElseGet(DragnetHome::fromEnvironment);
            return Optional.of(SharingKeys.loadOrCreate(SharingKeys.localFile(home)));
        }
        return Optional.empty();
    }

    /** The home whose embedded node wrote this connection file, when it is one ({@link OpenSearchConnection#defaultFile}). */
    static Optional<DragnetHome> homeOf(Path connectionFile)
    {
        Path absolute = connectionFile.toAbsolutePath().normalize();
        for (Path candidate = absolute.getParent(); candidate != null; candidate = candidate.getParent()) {
            DragnetHome home = new DragnetHome(candidate);
            if (OpenSearchConnection.defaultFile(home).equals(absolute)) {
                return Optional.of(home);
            }
        }
        return Optional.empty();
    }
}
