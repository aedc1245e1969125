package io.dragnet.nids.stream.internal;

import io.dragnet.nids.features.ConnectionFeatures;
import io.dragnet.nids.features.ConnectionWindow;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.SessionCodec;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * The stateful step of the streaming job: in offset order, decode each record, update the connection window, score.
 * Emits one row per input record: kind "verdict" with the verdict fields, or kind "dead" with the raw value and reason.
 */
public final class WindowScorer
        implements FlatMapGroupsWithStateFunction<String, Row, ConnectionWindow, Row>
{
    public static final String VERDICT = "verdict";
    public static final String DEAD = "dead";

    public static final StructType OUTPUT = new StructType()
            .add("kind", DataTypes.StringType, false)
            .add("session_id", DataTypes.StringType)
            .add("src_ip", DataTypes.StringType)
            .add("src_port", DataTypes.LongType)
            .add("dst_ip", DataTypes.StringType)
            .add("dst_port", DataTypes.LongType)
            .add("proto", DataTypes.StringType)
            .add("service", DataTypes.StringType)
            .add("state", DataTypes.StringType)
            .add("start_ms", DataTypes.LongType)
            .add("end_ms", DataTypes.LongType)
            .add("score", DataTypes.DoubleType)
            .add("predicted_malicious", DataTypes.BooleanType)
            .add("attack_category", DataTypes.StringType)
            .add("model_version", DataTypes.StringType)
            .add("sent_at_ms", DataTypes.LongType)
            .add("broker_at_ms", DataTypes.LongType)
            .add("features_at_ms", DataTypes.LongType)
            .add("scored_at_ms", DataTypes.LongType)
            .add("raw", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("kafka_partition", DataTypes.IntegerType)
            .add("kafka_offset", DataTypes.LongType);

    private final Broadcast<NidsModel> model;
    private final LongSupplier clock;

    public WindowScorer(Broadcast<NidsModel> model)
    {
        this(model, (LongSupplier & java.io.Serializable) System::currentTimeMillis);
    }

    /** @param clock stamps each verdict's features_at_ms and scored_at_ms; serializable, as the scorer runs in tasks */
    WindowScorer(Broadcast<NidsModel> model, LongSupplier clock)
    {
        this.model = requireNonNull(model, "model is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Iterator<Row> call(String key, Iterator<Row> values, GroupState<ConnectionWindow> state)
    {
        NidsModel scorer = model.value();
        ConnectionWindow window = state.exists() ? state.get() : new ConnectionWindow();
        List<Row> records = new ArrayList<>();
        values.forEachRemaining(records::add);
        records.sort(Comparator.<Row>comparingInt(row -> row.getInt(2)).thenComparingLong(row -> row.getLong(3)));
        // The window is sequential; scoring is not: the forest runs on all cores for the batch, since this single
        // stateful task would otherwise leave the others idle.
        int size = records.size();
        SensorSession[] sessions = new SensorSession[size];
        double[][] vectors = new double[size][];
        long[] sentAt = new long[size];
        long[] featuresAt = new long[size];
        String[] errors = new String[size];
        for (int i = 0; i < size; i++) {
            Row record = records.get(i);
            SessionCodec.Decoded decoded = SessionCodec.decode(record.isNullAt(0) ? null : record.getString(0));
            if (!decoded.ok()) {
                errors[i] = decoded.error();
                continue;
            }
            sessions[i] = decoded.session();
            sentAt[i] = decoded.sentAtMs();
            ConnectionFeatures features = window.observe(decoded.session());
            vectors[i] = scorer.features().vector(decoded.session(), features);
            featuresAt[i] = clock.getAsLong();
        }
        NidsModel.Verdict[] verdicts = new NidsModel.Verdict[size];
        long[] scoredAt = new long[size];
        IntStream.range(0, size).parallel().forEach(i -> {
            if (vectors[i] != null) {
                verdicts[i] = scorer.score(vectors[i]);
                scoredAt[i] = clock.getAsLong();
            }
        });
        List<Row> output = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Row record = records.get(i);
            long brokerAt = record.getLong(1);
            int partition = record.getInt(2);
            long offset = record.getLong(3);
            if (errors[i] != null) {
                output.add(RowFactory.create(DEAD, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, brokerAt, null, null, record.isNullAt(0) ? null : record.getString(0), errors[i], partition, offset));
                continue;
            }
            SensorSession session = sessions[i];
            NidsModel.Verdict verdict = verdicts[i];
            output.add(RowFactory.create(VERDICT, session.sessionId(), session.srcIp(), (long) session.srcPort(), session.dstIp(),
                    (long) session.dstPort(), session.proto(), session.service(), session.state(), session.startMs(), session.endMs(),
                    verdict.score(), verdict.malicious(), verdict.attackCategory(), scorer.version(), sentAt[i], brokerAt,
                    featuresAt[i], scoredAt[i], null, null, partition, offset));
        }
        state.update(window);
        return output.iterator();
    }
}
