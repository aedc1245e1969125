package io.dragnet.nids.kafka;

import io.dragnet.contracts.DragnetException;
import io.dragnet.nids.features.WindowHistory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** {@link WindowHistory} read from the sessions topic itself with a plain consumer (assigned, no group). */
public final class KafkaWindowHistory
        implements WindowHistory
{
    private static final Duration POLL = Duration.ofSeconds(10);

    private final String topic;
    private final Map<String, Object> config;

    /** @param clientOptions Kafka client settings (bootstrap.servers, security) without Spark's "kafka." prefix */
    public KafkaWindowHistory(String topic, Map<String, String> clientOptions)
    {
        this.topic = requireNonNull(topic, "topic is null");
        this.config = new HashMap<>(clientOptions);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    @Override
    public List<String> values(int partition, long from, long to)
    {
        TopicPartition topicPartition = new TopicPartition(topic, partition);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(List.of(topicPartition));
            long beginning = consumer.beginningOffsets(List.of(topicPartition)).get(topicPartition);
            long next = Math.max(from, beginning);
            consumer.seek(topicPartition, next);
            while (next < to) {
                List<ConsumerRecord<String, String>> records = consumer.poll(POLL).records(topicPartition);
                if (records.isEmpty()) {
                    throw DragnetException.external("reading offsets " + next + "…" + to + " of " + topicPartition + " to rebuild a window: no records within " + POLL.toSeconds() + " s", null);
                }
                for (ConsumerRecord<String, String> record : records) {
                    if (record.offset() >= to) {
                        return values;
                    }
                    values.add(record.value());
                    next = record.offset() + 1;
                }
            }
            return values;
        }
    }
}
