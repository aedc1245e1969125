package io.dragnet.nids.features;

import java.util.List;

/**
 * Earlier records of a session stream partition, read to rebuild a connection window after a restart: the window
 * of the record at offset {@code o} is then a function of the partition alone, never of when the job last started.
 */
public interface WindowHistory
{
    /** The raw values at offsets {@code [from, to)} of the partition, in offset order (fewer if some are gone). */
    List<String> values(int partition, long from, long to);

    /** No history: windows start empty (for tests and for streams that start at their beginning). */
    WindowHistory NONE = (partition, from, to) -> List.of();
}
