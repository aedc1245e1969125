package io.dragnet.nids.stream.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.dragnet.contracts.VerdictColumns;
import io.dragnet.nids.features.ConnectionFeatures;
import io.dragnet.nids.features.ConnectionWindow;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.SessionCodec;
import io.dragnet.nids.features.WindowHistory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The record-at-a-time core of the low-latency stream: one connection window per Kafka partition (a partition is
 * one sensor's sequence), each record decoded, observed and scored as it arrives, and turned into the JSON of a
 * verdict or of a dead letter. The first record seen of a partition at offset {@code o > 0} rebuilds the window from
 * the {@value ConnectionWindow#DEFAULT_SIZE} sessions before it ({@link WindowHistory}), so a restarted stream scores
 * every record exactly as an unbroken one would. So does a record that does not follow the last one seen of its
 * partition (the stream was rewound, or skipped ahead): only an unbroken run of offsets keeps its window.
 */
public final class PartitionScorer
{
    /** Where a verdict or dead letter came from in the sessions topic; the lake writer dedupes on it. */
    public static final String SOURCE_PARTITION = "kafka_partition";
    public static final String SOURCE_OFFSET = "kafka_offset";
    /** The session's start and end as epoch milliseconds beside their ISO text: machines read these, people the text. */
    public static final String START_MS = "start_ms";
    public static final String END_MS = "end_ms";

    // Schubfach: the shortest text that reads back as the same double, several times cheaper than Double.toString on Java 17
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    private static final int HISTORY_CHUNK = 256;

    private final NidsModel model;
    private final WindowHistory history;
    private final LongSupplier clock;
    private final Map<Integer, PartitionWindow> windows = new HashMap<>();
    private final UtcTimestamps timestamps = new UtcTimestamps();
    private final boolean lakeRows;
    private final UTF8String modelVersion;
    // One generator for all verdicts, each flushed to the builder and taken from it: no generator, buffer and stream per verdict.
    private final ByteArrayBuilder verdictText = new ByteArrayBuilder(512);
    private final JsonGenerator verdictJson;
    private final byte[] timestampText = new byte[UtcTimestamps.MAX_LENGTH];

    public PartitionScorer(NidsModel model, WindowHistory history, LongSupplier clock)
    {
        this(model, history, clock, false);
    }

    /**
     * @param lakeRows whether each verdict also comes as the lake's row ({@link Scored#lakeRow}), for a scorer that
     * writes the lake itself
     */
    public PartitionScorer(NidsModel model, WindowHistory history, LongSupplier clock, boolean lakeRows)
    {
        this.model = requireNonNull(model, "model is null");
        this.history = requireNonNull(history, "history is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.lakeRows = lakeRows;
        this.modelVersion = UTF8String.fromString(model.version());
        try {
            this.verdictJson = JSON.createGenerator(verdictText);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the verdicts are separate values, not a stream of root values with a space between each
        verdictJson.setRootValueSeparator(null);
    }

    /**
     * What one input record becomes: a verdict, or a dead letter with the reason, as UTF-8 JSON; for a scorer of lake
     * rows, a verdict's row of the lake's data columns ({@link LakeParquet#DATA_SCHEMA}) and its day too.
     */
    public record Scored(boolean verdict, String key, byte[] value, InternalRow lakeRow, String day)
    {
        public Scored
        {
            requireNonNull(value, "value is null");
        }

        public String json()
        {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    public Scored score(int partition, long offset, String value, long brokerAtMs)
    {
        return score(partition, offset, value == null ? null : value.getBytes(StandardCharsets.UTF_8), brokerAtMs);
    }

    /** @param value the record's value as the topic holds it (UTF-8), or null */
    public Scored score(int partition, long offset, byte[] value, long brokerAtMs)
    {
        ConnectionWindow window = window(partition, offset);
        SessionCodec.Decoded decoded = SessionCodec.decode(value);
        if (!decoded.ok()) {
            String raw = value == null ? null : new String(value, StandardCharsets.UTF_8);
            return new Scored(false, null, deadLetter(decoded.error(), raw, partition, offset, brokerAtMs), null, null);
        }
        SensorSession session = decoded.session();
        ConnectionFeatures features = window.observe(session);
        double[] vector = model.features().vector(session, features);
        long featuresAt = clock.getAsLong();
        NidsModel.Verdict verdict = model.score(vector);
        long scoredAt = clock.getAsLong();
        byte[] json = verdict(session, verdict, decoded.sentAtMs(), brokerAtMs, featuresAt, scoredAt, partition, offset);
        if (!lakeRows) {
            return new Scored(true, session.sessionId(), json, null, null);
        }
        return new Scored(true, session.sessionId(), json, lakeRow(session, verdict, decoded.sentAtMs(), brokerAtMs, featuresAt, scoredAt), timestamps.day(session.startMs()));
    }

    /** The verdict's lake values straight from what the scorer holds: the same values the lake parses from its JSON. */
    private InternalRow lakeRow(SensorSession session, NidsModel.Verdict verdict, long sentAt, long brokerAt, long featuresAt, long scoredAt)
    {
        Object[] values = new Object[LakeParquet.DATA_SCHEMA.size()];
        values[Lake.SESSION_ID] = UTF8String.fromString(session.sessionId());
        values[Lake.SRC_IP] = UTF8String.fromString(session.srcIp());
        values[Lake.SRC_PORT] = (long) session.srcPort();
        values[Lake.DST_IP] = UTF8String.fromString(session.dstIp());
        values[Lake.DST_PORT] = (long) session.dstPort();
        values[Lake.PROTO] = UTF8String.fromString(session.proto());
        values[Lake.SERVICE] = UTF8String.fromString(session.service());
        values[Lake.STATE] = UTF8String.fromString(session.state());
        values[Lake.START_TIME] = session.startMs() * 1000L;
        values[Lake.END_TIME] = session.endMs() * 1000L;
        values[Lake.SCORE] = verdict.score();
        values[Lake.PREDICTED_MALICIOUS] = verdict.malicious();
        values[Lake.ATTACK_CATEGORY] = verdict.attackCategory() == null ? null : UTF8String.fromString(verdict.attackCategory());
        values[Lake.MODEL_VERSION] = modelVersion;
        values[Lake.SENT_AT] = sentAt;
        values[Lake.BROKER_AT] = brokerAt;
        values[Lake.FEATURES_AT] = featuresAt;
        values[Lake.SCORED_AT] = scoredAt;
        return new GenericInternalRow(values);
    }

    /** Positions of the lake's columns. */
    private static final class Lake
    {
        static final int SESSION_ID = LakeRows.index(VerdictColumns.SESSION_ID);
        static final int SRC_IP = LakeRows.index(VerdictColumns.SRC_IP);
        static final int SRC_PORT = LakeRows.index(VerdictColumns.SRC_PORT);
        static final int DST_IP = LakeRows.index(VerdictColumns.DST_IP);
        static final int DST_PORT = LakeRows.index(VerdictColumns.DST_PORT);
        static final int PROTO = LakeRows.index(VerdictColumns.PROTO);
        static final int SERVICE = LakeRows.index(VerdictColumns.SERVICE);
        static final int STATE = LakeRows.index(VerdictColumns.STATE);
        static final int START_TIME = LakeRows.index(VerdictColumns.START_TIME);
        static final int END_TIME = LakeRows.index(VerdictColumns.END_TIME);
        static final int SCORE = LakeRows.index(VerdictColumns.SCORE);
        static final int PREDICTED_MALICIOUS = LakeRows.index(VerdictColumns.PREDICTED_MALICIOUS);
        static final int ATTACK_CATEGORY = LakeRows.index(VerdictColumns.ATTACK_CATEGORY);
        static final int MODEL_VERSION = LakeRows.index(VerdictColumns.MODEL_VERSION);
        static final int SENT_AT = LakeRows.index(VerdictColumns.SENT_AT);
        static final int BROKER_AT = LakeRows.index(VerdictColumns.BROKER_AT);
        static final int FEATURES_AT = LakeRows.index(VerdictColumns.FEATURES_AT);
        static final int SCORED_AT = LakeRows.index(VerdictColumns.SCORED_AT);
    }

    /** A partition's window and the offset it expects next. */
    private static final class PartitionWindow
    {
        private ConnectionWindow window;
        private long nextOffset = -1;
    }

    private ConnectionWindow window(int partition, long offset)
    {
        PartitionWindow current = windows.computeIfAbsent(partition, ignored -> new PartitionWindow());
        if (current.nextOffset != offset) {
            current.window = rebuild(partition, offset);
        }
        current.nextOffset = offset + 1;
        return current.window;
    }

    private ConnectionWindow rebuild(int partition, long offset)
    {
        ConnectionWindow window = new ConnectionWindow();
        ArrayDeque<SensorSession> earlier = new ArrayDeque<>();
        long to = offset;
        while (earlier.size() < ConnectionWindow.DEFAULT_SIZE && to > 0) {
            long from = Math.max(0, to - HISTORY_CHUNK);
            List<String> values = history.values(partition, from, to);
            if (values.isEmpty()) {
                break;
            }
            for (int i = values.size() - 1; i >= 0 && earlier.size() < ConnectionWindow.DEFAULT_SIZE; i--) {
                SessionCodec.Decoded decoded = SessionCodec.decode(values.get(i));
                if (decoded.ok()) {
                    earlier.addFirst(decoded.session());
                }
            }
            to = from;
        }
        earlier.forEach(window::observe);
        return window;
    }

    private byte[] verdict(SensorSession session, NidsModel.Verdict verdict, long sentAt, long brokerAt, long featuresAt, long scoredAt, int partition, long offset)
    {
        try {
            JsonGenerator json = verdictJson;
            json.writeStartObject();
            field(json, Names.SESSION_ID, session.sessionId());
            field(json, Names.SRC_IP, session.srcIp());
            field(json, Names.SRC_PORT, session.srcPort());
            field(json, Names.DST_IP, session.dstIp());
            field(json, Names.DST_PORT, session.dstPort());
            field(json, Names.PROTO, session.proto());
            field(json, Names.SERVICE, session.service());
            field(json, Names.STATE, session.state());
            timestampField(json, Names.START_TIME, session.startMs());
            timestampField(json, Names.END_TIME, session.endMs());
            field(json, Names.START_MS, session.startMs());
            field(json, Names.END_MS, session.endMs());
            field(json, Names.SCORE, verdict.score());
            field(json, Names.PREDICTED_MALICIOUS, verdict.malicious());
            if (verdict.attackCategory() != null) {
                field(json, Names.ATTACK_CATEGORY, verdict.attackCategory());
            }
            field(json, Names.MODEL_VERSION, model.version());
            field(json, Names.SENT_AT, sentAt);
            field(json, Names.BROKER_AT, brokerAt);
            field(json, Names.FEATURES_AT, featuresAt);
            field(json, Names.SCORED_AT, scoredAt);
            field(json, Names.DT, timestamps.day(session.startMs()));
            field(json, Names.SOURCE_PARTITION, partition);
            field(json, Names.SOURCE_OFFSET, offset);
            json.writeEndObject();
            json.flush();
            byte[] value = verdictText.toByteArray();
            verdictText.reset();
            return value;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ASCII digits and separators only: written as they are, with nothing to escape. */
    private void timestampField(JsonGenerator json, SerializableString name, long epochMillis)
            throws IOException
    {
        json.writeFieldName(name);
        json.writeRawUTF8String(timestampText, 0, timestamps.write(epochMillis, timestampText));
    }

    private static void field(JsonGenerator json, SerializableString name, String value)
            throws IOException
    {
        json.writeFieldName(name);
        json.writeString(value);
    }

    private static void field(JsonGenerator json, SerializableString name, long value)
            throws IOException
    {
        json.writeFieldName(name);
        json.writeNumber(value);
    }

    private static void field(JsonGenerator json, SerializableString name, double value)
            throws IOException
    {
        json.writeFieldName(name);
        json.writeNumber(value);
    }

    private static void field(JsonGenerator json, SerializableString name, boolean value)
            throws IOException
    {
        json.writeFieldName(name);
        json.writeBoolean(value);
    }

    /** A verdict's field names, encoded once: Jackson then copies their bytes instead of encoding each name per record. */
    private static final class Names
    {
        static final SerializableString SESSION_ID = new SerializedString(VerdictColumns.SESSION_ID);
        static final SerializableString SRC_IP = new SerializedString(VerdictColumns.SRC_IP);
        static final SerializableString SRC_PORT = new SerializedString(VerdictColumns.SRC_PORT);
        static final SerializableString DST_IP = new SerializedString(VerdictColumns.DST_IP);
        static final SerializableString DST_PORT = new SerializedString(VerdictColumns.DST_PORT);
        static final SerializableString PROTO = new SerializedString(VerdictColumns.PROTO);
        static final SerializableString SERVICE = new SerializedString(VerdictColumns.SERVICE);
        static final SerializableString STATE = new SerializedString(VerdictColumns.STATE);
        static final SerializableString START_TIME = new SerializedString(VerdictColumns.START_TIME);
        static final SerializableString END_TIME = new SerializedString(VerdictColumns.END_TIME);
        static final SerializableString START_MS = new SerializedString(PartitionScorer.START_MS);
        static final SerializableString END_MS = new SerializedString(PartitionScorer.END_MS);
        static final SerializableString SCORE = new SerializedString(VerdictColumns.SCORE);
        static final SerializableString PREDICTED_MALICIOUS = new SerializedString(VerdictColumns.PREDICTED_MALICIOUS);
        static final SerializableString ATTACK_CATEGORY = new SerializedString(VerdictColumns.ATTACK_CATEGORY);
        static final SerializableString MODEL_VERSION = new SerializedString(VerdictColumns.MODEL_VERSION);
        static final SerializableString SENT_AT = new SerializedString(VerdictColumns.SENT_AT);
        static final SerializableString BROKER_AT = new SerializedString(VerdictColumns.BROKER_AT);
        static final SerializableString FEATURES_AT = new SerializedString(VerdictColumns.FEATURES_AT);
        static final SerializableString SCORED_AT = new SerializedString(VerdictColumns.SCORED_AT);
        static final SerializableString DT = new SerializedString(VerdictColumns.DT);
        static final SerializableString SOURCE_PARTITION = new SerializedString(PartitionScorer.SOURCE_PARTITION);
        static final SerializableString SOURCE_OFFSET = new SerializedString(PartitionScorer.SOURCE_OFFSET);
    }

    private byte[] deadLetter(String reason, String raw, int partition, long offset, long brokerAt)
    {
        ByteArrayOutputStream text = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("reason", reason);
            json.writeStringField("raw", raw);
            json.writeNumberField(SOURCE_PARTITION, partition);
            json.writeNumberField(SOURCE_OFFSET, offset);
            json.writeNumberField(VerdictColumns.BROKER_AT, brokerAt);
            json.writeStringField("rejected_at", timestamps.timestamp(clock.getAsLong()));
            json.writeEndObject();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toByteArray();
    }
}
