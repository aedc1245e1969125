package io.dragnet.nids.stream;

/** How the streaming job runs. */
public enum StreamMode
{
    /** One micro-batch query: window state in the checkpoint, Parquet and Kafka written per batch ({@link VerdictStream}). */
    MICRO_BATCH,
    /** Continuous scoring per Kafka partition straight to the verdicts topic, plus a lake query ({@link LowLatencyVerdictStream}). */
    LOW_LATENCY
}
