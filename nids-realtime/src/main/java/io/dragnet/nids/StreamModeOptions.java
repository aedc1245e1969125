package io.dragnet.nids;

import io.dragnet.contracts.DragnetException;
import picocli.CommandLine.Option;

/** The options {@code dragnet nids stream} and {@code bench} share: which form of the streaming job, and its partitions. */
public final class StreamModeOptions
{
    @Option(names = "--mode", defaultValue = "LOW_LATENCY",
            description = "LOW_LATENCY (continuous scoring per partition to 'verdicts', a lake query for Parquet) or MICRO_BATCH (one micro-batch query) (default ${DEFAULT-VALUE}).")
    private StreamMode mode;

    @Option(names = "--partitions", defaultValue = "4",
            description = "In LOW_LATENCY mode, partitions of the topics, one scoring task each; topics are grown to it (default ${DEFAULT-VALUE}).")
    private int partitions;

    public StreamMode mode()
    {
        return mode;
    }

    public int partitions()
    {
        if (partitions < 1) {
            throw DragnetException.user("--partitions must be at least 1, got " + partitions);
        }
        return partitions;
    }
}
