package io.dragnet.cost.storage;

import io.dragnet.contracts.DragnetException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** An {@link ObjectStore} under {@code s3://bucket/prefix/}; a PUT replaces an object atomically. */
public final class S3ObjectStore
        implements ObjectStore
{
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3ObjectStore(S3Client s3, String bucket, String prefix)
    {
        this.s3 = requireNonNull(s3, "s3 is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        String trimmed = prefix == null ? "" : prefix.replaceAll("^/+", "").replaceAll("/+$", "");
        this.prefix = trimmed.isEmpty() ? "" : trimmed + "/";
    }

    /** {@code s3://bucket/prefix} */
    public static S3ObjectStore of(S3Client s3, URI location)
    {
        if (!"s3".equals(location.getScheme()) || location.getHost() == null) {
            throw DragnetException.user("location " + location + " is not s3://bucket/prefix");
        }
        return new S3ObjectStore(s3, location.getHost(), location.getPath());
    }

    @Override
    public Optional<byte[]> read(String key)
    {
        try {
            return Optional.of(s3.getObjectAsBytes(request -> request.bucket(bucket).key(prefix + key)).asByteArray());
        }
        catch (NoSuchKeyException e) {
            return Optional.empty();
        }
        catch (SdkException e) {
            throw DragnetException.external("cannot read " + uri(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String keyPrefix)
    {
        try {
            List<String> keys = new ArrayList<>();
            for (S3Object object : s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix + keyPrefix)).contents()) {
                keys.add(object.key().substring(prefix.length()));
            }
            return keys.stream().sorted().toList();
        }
        catch (SdkException e) {
            throw DragnetException.external("cannot list " + uri(keyPrefix) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String key, byte[] content)
    {
        try {
            s3.putObject(request -> request.bucket(bucket).key(prefix + key), RequestBody.fromBytes(content));
        }
        catch (SdkException e) {
            throw DragnetException.external("cannot write " + uri(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String uri(String key)
    {
        return "s3://" + bucket + "/" + prefix + key;
    }

    @Override
    public ObjectStore child(String childPrefix)
    {
        return new S3ObjectStore(s3, bucket, prefix + childPrefix);
    }
}
