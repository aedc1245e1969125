package io.dragnet.nids.kafka;

import io.dragnet.contracts.DragnetException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/** Topic administration the NIDS needs, on any Kafka (the local broker or MSK): create or grow, and end offsets. */
public final class KafkaTopics
{
    private final Map<String, Object> adminConfig;

    /** @param clientOptions Kafka client settings such as MSK IAM auth, without Spark's "kafka." prefix */
    public KafkaTopics(String bootstrapServers, Map<String, String> clientOptions)
    {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        adminConfig = new HashMap<>(clientOptions);
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
    }

    private Admin admin()
    {
        return Admin.create(adminConfig);
    }

    /** {@link #ensure} for each topic: a stream's sessions, verdicts and dead letters. */
    public void ensureAll(List<String> names, int partitions)
    {
        names.forEach(name -> ensure(name, partitions));
    }

    /**
     * Creates the topic with at least {@code partitions} partitions, or grows it to that many. Topics stamp records
     * with the broker's append time.
     */
    public void ensure(String name, int partitions)
    {
        try (Admin admin = admin()) {
            try {
                NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime"));
                admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
            }
            catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw DragnetException.external("cannot create Kafka topic " + name + ": " + e.getCause().getMessage(), e);
                }
                int existing = admin.describeTopics(List.of(name)).allTopicNames().get(60, TimeUnit.SECONDS).get(name).partitions().size();
                if (existing < partitions) {
                    admin.createPartitions(Map.of(name, NewPartitions.increaseTo(partitions))).all().get(60, TimeUnit.SECONDS);
                }
            }
        }
        catch (DragnetException e) {
            throw e;
        }
        catch (Exception e) {
            throw DragnetException.external("cannot create Kafka topic " + name + ": " + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    /** The next offset of each partition of the topic. */
    public Map<Integer, Long> endOffsets(String topic)
    {
        try (Admin admin = admin()) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<Integer, Long> offsets = new HashMap<>();
            admin.listOffsets(request).all().get(60, TimeUnit.SECONDS).forEach((partition, info) -> offsets.put(partition.partition(), info.offset()));
            return offsets;
        }
        catch (Exception e) {
            throw DragnetException.external("cannot read end offsets of Kafka topic " + topic + ": " + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    /** Kafka source starting offsets at the current end of the topics, so a query reads only what comes next. */
    public String startingOffsets(String... topics)
    {
        return java.util.Arrays.stream(topics).map(topic -> "\"" + topic + "\":{" + endOffsets(topic).entrySet().stream()
                        .map(entry -> "\"" + entry.getKey() + "\":" + entry.getValue())
                        .collect(Collectors.joining(",")) + "}")
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** Deletes every topic whose name starts with {@code prefix}; returns their names. */
    public List<String> deleteWithPrefix(String prefix)
    {
        requireNonNull(prefix, "prefix is null");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("an empty prefix would delete every topic");
        }
        try (Admin admin = admin()) {
            List<String> names = admin.listTopics().names().get(60, TimeUnit.SECONDS).stream().filter(name -> name.startsWith(prefix)).sorted().toList();
            if (!names.isEmpty()) {
                admin.deleteTopics(names).all().get(60, TimeUnit.SECONDS);
            }
            return names;
        }
        catch (Exception e) {
            throw DragnetException.external("cannot delete Kafka topics " + prefix + "*: " + (e.getCause() != null ? e.getCause() : e), e);
        }
    }
}
