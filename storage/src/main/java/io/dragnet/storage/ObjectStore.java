package io.dragnet.storage;

import java.util.List;
import java.util.Optional;

/**
 * Objects behind location URIs: local files ({@code file:///…} or a plain path) or S3 ({@code s3://bucket/key}).
 * Writes are all-or-nothing: a reader sees the old object or the new one, never part of one. Names starting with a dot
 * (temporary files of writes in progress) are never listed.
 */
public interface ObjectStore
{
    /** The URIs of every object under {@code directory} (recursively), sorted; empty when there is none. */
    List<String> list(String directory);

    /** Every object under {@code directory} (recursively) with when it was last written, sorted by location. */
    List<StoredObject> listWritten(String directory);

    /** The whole object; a user error naming the location when it does not exist. */
    byte[] read(String location);

    /** The whole object, or empty when it does not exist. */
    Optional<byte[]> readIfPresent(String location);

    boolean exists(String location);

    /** True when at least one object lies under {@code directory}. */
    default boolean hasObjects(String directory)
    {
        return !list(directory).isEmpty();
    }

    void write(String location, byte[] content);

    /** Deletes {@code directory} with everything under it, temporary files included; a missing directory is no error. */
    void deleteAll(String directory);
}
