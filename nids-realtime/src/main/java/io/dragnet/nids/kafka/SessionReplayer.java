package io.dragnet.nids.kafka;

import io.dragnet.nids.data.PreparedSessions;
import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.SessionCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends sensor sessions to a Kafka topic in their wire form ({@link SessionCodec}), stamping each with its send time,
 * at a target rate (sessions per second, paced against the start time so it does not drift) or flat out (rate 0).
 * Lines are encoded before the clock starts, as a sensor has its flow records ready; only the send time is stamped.
 */
public final class SessionReplayer
{
    private SessionReplayer() {}

    public record ReplayResult(long sent, long firstSentAtMs, long lastSentAtMs)
    {
        public double sessionsPerSecond()
        {
            return sent / Math.max(0.001, (lastSentAtMs - firstSentAtMs) / 1000.0);
        }
    }

    public static ReplayResult replay(String bootstrapServers, String topic, List<SensorSession> sessions, double rate)
    {
        return replay(bootstrapServers, topic, PreparedSessions.of(sessions), rate);
    }

    public static ReplayResult replay(String bootstrapServers, String topic, PreparedSessions sessions, double rate)
    {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // A trickle is sent at once; volume is batched for a few milliseconds.
        config.put(ProducerConfig.LINGER_MS_CONFIG, rate > 0 && rate <= 1000 ? 0 : 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        // No compression: on one machine it only costs CPU, in the producer, the broker's validation and every consumer.
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long first = System.currentTimeMillis();
        long last = first;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            long startNanos = System.nanoTime();
            for (int i = 0; i < sessions.size(); i++) {
                if (rate > 0) {
                    long due = startNanos + (long) (i * 1e9 / rate);
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
                last = System.currentTimeMillis();
                producer.send(new ProducerRecord<>(topic, sessions.key(i), sessions.line(i, last)), (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    }
                });
                if (failure.get() != null) {
                    break;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw io.dragnet.contracts.DragnetException.external("sending sessions to Kafka topic " + topic + " failed: " + failure.get().getMessage(), failure.get());
        }
        return new ReplayResult(sessions.size(), first, last);
    }

    /** Sends raw values as they are (for malformed-record tests and tools). */
    public static void sendRaw(String bootstrapServers, String topic, List<String> values)
    {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value));
            }
            producer.flush();
        }
    }
}
