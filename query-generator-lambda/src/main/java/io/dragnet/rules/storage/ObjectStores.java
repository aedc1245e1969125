package io.dragnet.rules.storage;

import java.util.List;

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
    public byte[] read(String location)
    {
        return of(location).read(location);
    }

    @Override
    public boolean hasObjects(String directory)
    {
        return of(directory).hasObjects(directory);
    }

    @Override
    public boolean exists(String location)
    {
        return of(location).exists(location);
    }

    @Override
    public void write(String location, byte[] content)
    {
        of(location).write(location, content);
    }
}
