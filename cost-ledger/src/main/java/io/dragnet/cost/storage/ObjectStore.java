package io.dragnet.cost.storage;

import java.util.List;
import java.util.Optional;

/**
 * Keys under one root (a local directory or an S3 prefix), '/'-separated. Writes replace whole objects atomically:
 * a reader sees the old or the new content, never half.
 */
public interface ObjectStore
{
    Optional<byte[]> read(String key);

    /** Every key under {@code prefix} (recursively), sorted. */
    List<String> list(String prefix);

    void write(String key, byte[] content);

    /** Where a key lives, for messages and outputs (file:///… or s3://…). */
    String uri(String key);

    /** The same store rooted at {@code prefix}. */
    ObjectStore child(String prefix);
}
