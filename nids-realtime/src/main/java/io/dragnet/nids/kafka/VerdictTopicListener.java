package io.dragnet.nids.kafka;

import io.dragnet.contracts.VerdictColumns;
import io.dragnet.nids.data.PlainInteger;
import io.dragnet.nids.stream.StreamObserver;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Reads the verdicts and dead-letter topics as a downstream consumer would and reports each verdict with the broker's
 * append time as its sink time: the latency a SOC consumer of the verdicts topic sees. Runs on its own thread until
 * closed.
 */
public final class VerdictTopicListener
        implements AutoCloseable
{
    private static final byte[][] STAMP_KEYS = Stream.of(VerdictColumns.SENT_AT, VerdictColumns.BROKER_AT, VerdictColumns.FEATURES_AT, VerdictColumns.SCORED_AT)
            .map(name -> ("\"" + name + "\":").getBytes(StandardCharsets.UTF_8))
            .toArray(byte[][]::new);
    private static final byte[] MALICIOUS = ("\"" + VerdictColumns.PREDICTED_MALICIOUS + "\":true").getBytes(StandardCharsets.UTF_8);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String verdictsTopic;
    private final StreamObserver observer;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean held;
    private boolean parked;
    private boolean closed;
    private boolean stopped;
    private volatile RuntimeException failure;

    public VerdictTopicListener(String bootstrapServers, String verdictsTopic, String deadLetterTopic, Map<TopicPartition, Long> from, StreamObserver observer)
    {
        this.verdictsTopic = requireNonNull(verdictsTopic, "verdictsTopic is null");
        this.observer = requireNonNull(observer, "observer is null");
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // bytes as they came: the stamps are ASCII digits found by name, nothing needs decoding to text
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000);
        this.consumer = new KafkaConsumer<>(config);
        consumer.assign(from.keySet());
        from.forEach(consumer::seek);
        this.thread = new Thread(this::run, "verdict-topic-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where each partition of the topics ends now: listen from there to see only what comes next. */
    public static Map<TopicPartition, Long> endsOf(KafkaTopics kafka, String... topics)
    {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (String topic : topics) {
            kafka.endOffsets(topic).forEach((partition, offset) -> ends.put(new TopicPartition(topic, partition), offset));
        }
        return ends;
    }

    private void run()
    {
        try {
            while (awaitReleased()) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                }
                catch (WakeupException e) {
                    // held or closed: the loop's condition tells which
                    continue;
                }
                if (!records.isEmpty()) {
                    report(records);
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException e) {
            failure = e;
        }
        finally {
            changeState(() -> stopped = true);
            consumer.close();
        }
    }

    /**
     * Stops reading, cutting short the poll in progress, and returns once the listener reads nothing more: what is
     * appended from now on waits in the topics. A verdict's reported sink time is the broker's append time, so
     * reading it later changes no figure.
     */
    public void hold()
    {
        changeState(() -> held = true);
        consumer.wakeup();
        lock.lock();
        try {
            while (!parked && !stopped) {
                changed.await();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holding the verdict listener", e);
        }
        finally {
            lock.unlock();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Reads again, from where it stopped. */
    public void release()
    {
        changeState(() -> held = false);
    }

    /** Applies a change of the flags under the lock and wakes whoever waits on them. */
    private void changeState(Runnable change)
    {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    /** Parks while held; false once closed. */
    private boolean awaitReleased()
            throws InterruptedException
    {
        lock.lock();
        try {
            while (held && !closed) {
                parked = true;
                changed.signalAll();
                changed.await();
            }
            parked = false;
            return !closed;
        }
        finally {
            lock.unlock();
        }
    }

    private void report(ConsumerRecords<byte[], byte[]> records)
    {
        List<long[]> stamps = new ArrayList<>(records.count());
        long malicious = 0;
        long dead = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!record.topic().equals(verdictsTopic)) {
                dead++;
                continue;
            }
            long[] stamp = stamps(record.value());
            stamp[0] = record.timestamp();
            malicious += stamp[5];
            stamps.add(stamp);
        }
        int n = stamps.size();
        long[][] columns = new long[5][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 5; c++) {
                columns[c][i] = stamps.get(i)[c];
            }
        }
        observer.onRecords(columns[0], columns[1], columns[2], columns[3], columns[4], malicious, dead);
    }

    /**
     * [sink, sent, broker, features, scored, malicious] of a verdict's JSON (sink filled in by the caller). The verdict
     * is flat JSON with numeric stamps, so the fields are found by name rather than by tokenizing the whole object:
     * this listener stands in for a downstream consumer and should cost the machine little.
     */
    public static long[] stamps(byte[] json)
    {
        long[] stamp = new long[6];
        // The scorer writes the four stamps one after another near the end, the decision a little before them: the
        // first stamp is looked for from the end, each next one right after the last, and only then anywhere.
        int first = lastIndexOf(json, STAMP_KEYS[0], json.length);
        int at = first;
        for (int i = 0; i < STAMP_KEYS.length; i++) {
            at = valueAfter(json, STAMP_KEYS[i], at);
            int end = at;
            while (end < json.length && (json[end] >= '0' && json[end] <= '9' || json[end] == '-')) {
                end++;
            }
            long value = PlainInteger.parse(json, at, end);
            if (value == PlainInteger.NOT_PLAIN) {
                throw new IllegalArgumentException("verdict with " + keyName(STAMP_KEYS[i]) + " not a millisecond count: " + new String(json, StandardCharsets.UTF_8));
            }
            stamp[i + 1] = value;
            at = end + 1;
        }
        int before = first < 0 ? json.length : first;
        stamp[5] = lastIndexOf(json, MALICIOUS, before) >= 0 || indexOf(json, MALICIOUS, before) >= 0 ? 1 : 0;
        return stamp;
    }

    /** {@link #stamps(byte[])} of a verdict given as text. */
    public static long[] stamps(String json)
    {
        return stamps(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Where the value of {@code key} starts: the key at {@code expected} (if not negative), else its first occurrence. */
    private static int valueAfter(byte[] json, byte[] key, int expected)
    {
        int at = expected >= 0 && startsWith(json, key, expected) ? expected : indexOf(json, key, 0);
        if (at < 0) {
            throw new IllegalArgumentException("verdict without " + keyName(key) + ": " + new String(json, StandardCharsets.UTF_8));
        }
        return at + key.length;
    }

    private static boolean startsWith(byte[] text, byte[] pattern, int at)
    {
        return at + pattern.length <= text.length && Arrays.equals(text, at, at + pattern.length, pattern, 0, pattern.length);
    }

    private static String keyName(byte[] key)
    {
        return new String(key, 1, key.length - 3, StandardCharsets.UTF_8);
    }

    /** The last occurrence of {@code pattern} that starts before {@code before}, or -1. */
    private static int lastIndexOf(byte[] text, byte[] pattern, int before)
    {
        for (int i = Math.min(before, text.length - pattern.length + 1) - 1; i >= 0; i--) {
            if (text[i] == pattern[0] && startsWith(text, pattern, i)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] text, byte[] pattern, int from)
    {
        for (int i = from, last = text.length - pattern.length; i <= last; i++) {
            if (text[i] == pattern[0] && startsWith(text, pattern, i)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close()
    {
        changeState(() -> closed = true);
        consumer.wakeup();
        try {
            thread.join(10_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
