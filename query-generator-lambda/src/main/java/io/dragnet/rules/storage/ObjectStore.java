package io.dragnet.rules.storage;

import java.util.List;

/**
 * Where rules and IoC files are read and job specs written: local files ({@code file://}) or S3 ({@code s3://}).
 * Writes are all-or-nothing: a reader sees the old object or the new one, never part of one.
 */
public interface ObjectStore
{
    /** The URIs of every object under {@code directory} (recursively), sorted. */
    List<String> list(String directory);

    byte[] read(String location);

    /** True when at least one object (file) lies under {@code directory}; false when it is missing or empty. */
    boolean hasObjects(String directory);

    boolean exists(String location);

    void write(String location, byte[] content);
}
