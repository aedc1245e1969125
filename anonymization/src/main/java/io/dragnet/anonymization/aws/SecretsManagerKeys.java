package io.dragnet.anonymization.aws;

import io.dragnet.anonymization.SharingKeys;
import io.dragnet.contracts.DragnetException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import static java.util.Objects.requireNonNull;

/**
 * The sharing key on AWS: the same hex text as the local key file, kept as the SecretString of a Secrets Manager
 * secret (its current version), so exports made on AWS and locally with the same key give the same pseudonyms.
 */
public final class SecretsManagerKeys
{
    private final SecretsManagerClient client;

    public SecretsManagerKeys(SecretsManagerClient client)
    {
        this.client = requireNonNull(client, "client is null");
    }

    public SharingKeys load(String secretId)
    {
        GetSecretValueResponse response;
        try {
            response = client.getSecretValue(request -> request.secretId(secretId));
        }
        catch (ResourceNotFoundException e) {
            throw DragnetException.user("no Secrets Manager secret '" + secretId + "' holds the sharing key; create it with 64 hex digits as its secret string");
        }
        catch (SdkException e) {
            throw DragnetException.external("cannot read the sharing key from Secrets Manager secret '" + secretId + "': " + e.getClass().getSimpleName(), e);
        }
        if (response.secretString() == null) {
            throw DragnetException.user("Secrets Manager secret '" + secretId + "' has no secret string; expected 64 hex digits");
        }
        return SharingKeys.fromHex(response.secretString(), "Secrets Manager secret '" + secretId + "'");
    }
}
