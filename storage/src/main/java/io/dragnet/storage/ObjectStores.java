package io.dragnet.storage;

import software.amazon.awssdk.services.s3.S3Client;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** Routes each location to the store of its scheme: {@code s3://} to S3, everything else to local files. */
public final class ObjectStores
        implements ObjectStore
{
    private final ObjectStore local;
    private final ObjectStore s3;

    public ObjectStores(ObjectStore local, ObjectStore s3)
    {
        this.local = requireNonNull(local, "local is null");
        this.s3 = requireNonNull(s3, "s3 is null");
    }

    /** Local files and S3, whose client is created on the first s3:// location only. */
    public static ObjectStore localAndS3(Supplier<S3Client> s3)
    {
        return new ObjectStores(new LocalObjectStore(), new S3ObjectStore(s3));
    }

    private ObjectStore of(String location)
    {
        return location.startsWith("s3://") ? s3 : local;
    }

    @Override
    public List<String> list(String directory)
    {
        return of(directory).list(directory);
    }

    @Override
    public List<StoredObject> listWritten(String directory)
    {
        return of(directory).listWritten(directory);
    }

    @Override
    public byte[] read(String location)
    {
        return of(location).read(location);
    }

    @Override
    public Optional<byte[]> readIfPresent(String location)
    {
        return of(location).readIfPresent(location);
    }

    @Override
    public boolean exists(String location)
    {
        return of(location).exists(location);
    }

    @Override
    public boolean hasObjects(String directory)
    {
        return of(directory).hasObjects(directory);
    }

    @Override
    public void write(String location, byte[] content)
    {
        of(location).write(location, content);
    }

    @Override
    public void deleteAll(String directory)
    {
        of(directory).deleteAll(directory);
    }
}
