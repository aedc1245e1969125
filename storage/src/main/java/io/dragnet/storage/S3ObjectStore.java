package io.dragnet.storage;

import io.dragnet.contracts.DragnetException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** {@code s3://bucket/key} locations. A PUT replaces an object atomically, so no temporary objects are needed. */
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
        return listWritten(directory).stream().map(StoredObject::location).toList();
    }

    @Override
    public List<StoredObject> listWritten(String directory)
    {
        S3Location location = S3Location.parse(directory);
        try {
            return client.get().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(location.bucket()).prefix(location.directoryPrefix()).build())
                    .contents().stream()
                    .filter(object -> !object.key().substring(object.key().lastIndexOf('/') + 1).startsWith("."))
                    .map(object -> new StoredObject("s3://" + location.bucket() + "/" + object.key(), object.lastModified()))
                    .sorted(Comparator.comparing(StoredObject::location))
                    .toList();
        }
        catch (SdkException e) {
            throw DragnetException.external("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read(String location)
    {
        return readIfPresent(location).orElseThrow(() -> DragnetException.user(location + " does not exist"));
    }

    @Override
    public Optional<byte[]> readIfPresent(String location)
    {
        S3Location parsed = S3Location.parse(location);
        try {
            return Optional.of(client.get().getObjectAsBytes(builder -> builder.bucket(parsed.bucket()).key(parsed.key())).asByteArray());
        }
        catch (NoSuchKeyException e) {
            return Optional.empty();
        }
        catch (SdkException e) {
            throw DragnetException.external("cannot read " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean hasObjects(String directory)
    {
        S3Location location = S3Location.parse(directory);
        try {
            return client.get().listObjectsV2(ListObjectsV2Request.builder().bucket(location.bucket()).prefix(location.directoryPrefix()).maxKeys(1).build()).keyCount() > 0;
        }
        catch (SdkException e) {
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
        catch (SdkException e) {
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
        catch (SdkException e) {
            throw DragnetException.external("cannot write " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteAll(String directory)
    {
        S3Location location = S3Location.parse(directory);
        try {
            List<ObjectIdentifier> keys = client.get().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(location.bucket()).prefix(location.directoryPrefix()).build())
                    .contents().stream()
                    .map(object -> ObjectIdentifier.builder().key(object.key()).build())
                    .toList();
            // DeleteObjects takes at most 1,000 keys a request
            for (int start = 0; start < keys.size(); start += 1000) {
                List<ObjectIdentifier> batch = keys.subList(start, Math.min(keys.size(), start + 1000));
                DeleteObjectsResponse response = client.get().deleteObjects(builder -> builder.bucket(location.bucket()).delete(delete -> delete.objects(batch).quiet(true)));
                if (response.hasErrors() && !response.errors().isEmpty()) {
                    throw DragnetException.external("cannot delete " + response.errors().size() + " objects under " + directory + ", e.g. "
                            + response.errors().get(0).key() + ": " + response.errors().get(0).message(), null);
                }
            }
        }
        catch (SdkException e) {
            throw DragnetException.external("cannot delete " + directory + ": " + e.getMessage(), e);
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

        String directoryPrefix()
        {
            return key.isEmpty() || key.endsWith("/") ? key : key + "/";
        }
    }
}
