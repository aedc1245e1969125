package io.dragnet.nids.kafka;

import io.dragnet.contracts.DragnetException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Counts the records appended to topic partitions since given offsets without reading them: one ListOffsets request
 * per look. The bench waits on it while its listener holds off, so that the listener does not take cores from the
 * stream it measures. Not thread-safe: one caller at a time.
 */
public final class AppendedRecords
        implements AutoCloseable
{
    private static final long BETWEEN_LOOKS_MS = 20;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Long> from;

    public AppendedRecords(String bootstrapServers, Map<TopicPartition, Long> from)
    {
        this.from = Map.copyOf(requireNonNull(from, "from is null"));
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
    }

    /** Records appended to the partitions since their starting offsets, over all of them. */
    public long count()
    {
        return appendedSince(from, consumer.endOffsets(from.keySet(), Duration.ofSeconds(30)));
    }

    /** Records between each partition's start and its end, summed; a partition without an end counts none. */
    static long appendedSince(Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends)
    {
        long appended = 0;
        for (Map.Entry<TopicPartition, Long> start : from.entrySet()) {
            Long end = ends.get(start.getKey());
            if (end != null) {
                appended += Math.max(0, end - start.getValue());
            }
        }
        return appended;
    }

    /**
     * Waits until at least {@code records} were appended, looking every {@value #BETWEEN_LOOKS_MS} ms; fails when
     * the stream stops or time runs out.
     */
    public void await(long records, Duration timeout, BooleanSupplier streamActive)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        long appended;
        while ((appended = count()) < records) {
            if (!streamActive.getAsBoolean()) {
                throw DragnetException.external("the NIDS stream stopped before all " + records + " records were scored (" + appended + " appended)", null);
            }
            if (System.nanoTime() > deadline) {
                throw DragnetException.external("the NIDS stream appended " + appended + " of " + records + " records within " + timeout.toSeconds() + " s", null);
            }
            try {
                Thread.sleep(BETWEEN_LOOKS_MS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DragnetException.external("interrupted while waiting for verdicts", e);
            }
        }
    }

    @Override
    public void close()
    {
        consumer.close();
    }
}
