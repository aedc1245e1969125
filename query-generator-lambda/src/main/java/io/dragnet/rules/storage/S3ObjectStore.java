package io.dragnet.rules.storage;

import io.dragnet.contracts.DragnetException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.List;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** {@code s3://bucket/key} locations. A PUT replaces an object atomically, so no temp objects are needed. */
public final class S3ObjectStore
        implements ObjectStore
{
    private final Supplier<S3Client> client;

    /** @param client supplies the one client of this store; it is asked on first use (local runs never need S3) */
    public S3ObjectStore(Supplier<S3Client> client)
    {
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public List<String> list(String directory)
    {
        S3Location location = S3Location.parse(directory);
        String prefix = location.key().isEmpty() || location.key().endsWith("/") ? location.key() : location.key() + "/";
        try {
            return client.get().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(location.bucket()).prefix(prefix).build())
                    .contents().stream()
                    .map(S3Object::key)
                    .sorted()
                    .map(key -> "s3://" + location.bucket() + "/" + key)
                    .toList();
        }
        catch (S3Exception e) {
            throw DragnetException.external("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read(String location)
    {
        S3Location parsed = S3Location.parse(location);
        try {
            return client.get().getObjectAsBytes(builder -> builder.bucket(parsed.bucket()).key(parsed.key())).asByteArray();
        }
        catch (NoSuchKeyException e) {
            throw DragnetException.user(location + " does not exist");
        }
        catch (S3Exception e) {
            throw DragnetException.external("cannot read " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean hasObjects(String directory)
    {
        S3Location location = S3Location.parse(directory);
        String prefix = location.key().isEmpty() || location.key().endsWith("/") ? location.key() : location.key() + "/";
        try {
            return client.get().listObjectsV2(ListObjectsV2Request.builder().bucket(location.bucket()).prefix(prefix).maxKeys(1).build()).keyCount() > 0;
        }
        catch (S3Exception e) {
            throw DragnetException.external("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String location)
    {
        S3Location parsed = S3Location.parse(location);
        try {
            client.get().headObject(HeadObjectRequest.builder().bucket(parsed.bucket()).key(parsed.key()).build());
            return true;
        }
        catch (NoSuchKeyException e) {
            return false;
        }
        catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw DragnetException.external("cannot check " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String location, byte[] content)
    {
        S3Location parsed = S3Location.parse(location);
        try {
            client.get().putObject(builder -> builder.bucket(parsed.bucket()).key(parsed.key()), RequestBody.fromBytes(content));
        }
        catch (S3Exception e) {
            throw DragnetException.external("cannot write " + location + ": " + e.getMessage(), e);
        }
    }

    record S3Location(String bucket, String key)
    {
        static S3Location parse(String location)
        {
            if (!location.startsWith("s3://")) {
                throw DragnetException.user("'" + location + "' is not an s3:// location");
            }
            String rest = location.substring("s3://".length());
            int slash = rest.indexOf('/');
            return slash < 0 ? new S3Location(rest, "") : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
        }
    }
}
