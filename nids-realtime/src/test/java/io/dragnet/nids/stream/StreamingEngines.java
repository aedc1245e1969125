package io.dragnet.nids.stream;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.nids.kafka.LocalKafkaBroker;
import io.dragnet.storage.FileTrees;
import io.dragnet.testing.SparkFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engines of a streaming test class, started before its first test and stopped after its last: the shared local
 * SparkSession and a Kafka broker (own JVM) keeping its data in a temporary dragnet home.
 * {@code @RegisterExtension static final StreamingEngines ENGINES = new StreamingEngines(threads);}
 */
public final class StreamingEngines
        implements BeforeAllCallback, AfterAllCallback
{
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(60);

    private final SparkFixture.PerClass spark;
    private Path home;
    private LocalKafkaBroker broker;

    /** @param sparkThreads task slots: a continuous query holds one per Kafka partition for its whole life */
    public StreamingEngines(int sparkThreads)
    {
        this.spark = new SparkFixture.PerClass(sparkThreads);
    }

    @Override
    public void beforeAll(ExtensionContext context)
            throws IOException
    {
        home = Files.createTempDirectory("dragnet-streaming-test");
        spark.beforeAll(context);
        broker = LocalKafkaBroker.start(new DragnetHome(home));
    }

    @Override
    public void afterAll(ExtensionContext context)
            throws IOException
    {
        try {
            if (broker != null) {
                broker.close();
            }
        }
        finally {
            try {
                spark.afterAll(context);
            }
            finally {
                FileTrees.deleteRecursively(home);
            }
        }
    }

    public SparkSession spark()
    {
        return spark.session();
    }

    public LocalKafkaBroker broker()
    {
        return broker;
    }

    /** The class's dragnet home: the broker's state, and room for the tests' lakes, checkpoints and models. */
    public Path home()
    {
        return home;
    }

    /** Every record of every partition of a topic up to its current end, in offset order per partition. */
    public List<ConsumerRecord<String, String>> consume(String topic)
    {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<TopicPartition> partitions = new ArrayList<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        broker.topics().endOffsets(topic).forEach((partition, end) -> {
            partitions.add(new TopicPartition(topic, partition));
            ends.put(new TopicPartition(topic, partition), end);
        });
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
