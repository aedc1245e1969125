package io.dragnet.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One folder of an {@link ObjectStore} (a local directory or an S3 prefix) addressed by '/'-separated keys relative to it.
 *
 * @param location the folder's URI, e.g. {@code file:///…/results} or {@code s3://bucket/results}; a plain path becomes
 *         its absolute {@code file:} URI, the form the stores list objects in
 */
public record ObjectFolder(ObjectStore store, String location)
{
    public ObjectFolder
    {
        requireNonNull(store, "store is null");
        requireNonNull(location, "location is null");
        if (!location.contains(":")) {
            location = Path.of(location).toAbsolutePath().toUri().toString();
        }
        location = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }

    /** Where a key lives, for messages and outputs ({@code file:///…} or {@code s3://…}). */
    public String uri(String key)
    {
        if (key.startsWith("/") || key.contains("..")) {
            throw new IllegalArgumentException("key " + key + " leaves " + location);
        }
        return key.isEmpty() ? location + "/" : location + "/" + key;
    }

    public Optional<byte[]> read(String key)
    {
        return store.readIfPresent(uri(key));
    }

    /** Every key under {@code prefix} (recursively), sorted. */
    public List<String> list(String prefix)
    {
        String root = uri("");
        return store.list(uri(prefix)).stream().map(found -> found.substring(root.length())).toList();
    }

    public void write(String key, byte[] content)
    {
        store.write(uri(key), content);
    }

    /** The folder at {@code prefix} under this one. */
    public ObjectFolder child(String prefix)
    {
        return new ObjectFolder(store, uri(prefix));
    }
}
