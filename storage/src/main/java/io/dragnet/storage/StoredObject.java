package io.dragnet.storage;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** One object of an {@link ObjectStore}: its URI and when it was last written. */
public record StoredObject(String location, Instant lastModified)
{
    public StoredObject
    {
        requireNonNull(location, "location is null");
        requireNonNull(lastModified, "lastModified is null");
    }
}
