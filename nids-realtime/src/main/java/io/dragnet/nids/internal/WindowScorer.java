package io.dragnet.nids.internal;

import io.dragnet.nids.ConnectionFeatures;
import io.dragnet.nids.ConnectionWindow;
import io.dragnet.nids.NidsModel;
import io.dragnet.nids.SessionCodec;
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

    public WindowScorer(Broadcast<NidsModel> model)
    {
        this.model = requireNonNull(model, "model is null");
    }

    @Override
    public Iterator<Row> call(String key, Iterator<Row> values, GroupState<ConnectionWindow> state)
    {
        NidsModel scorer = model.value();
        ConnectionWindow window = state.exists() ? state.get() : new ConnectionWindow();
        List<Row> records = new ArrayList<>();
        values.forEachRemaining(records::add);
        records.sort(Comparator.<Row>comparingInt(row -> row.getInt(2)).thenComparingLong(row -> row.getLong(3)));
        List<Row> output = new ArrayList<>(records.size());
        for (Row record : records) {
            String value = record.isNullAt(0) ? null : record.getString(0);
            long brokerAt = record.getLong(1);
            int partition = record.getInt(2);
            long offset = record.getLong(3);
            SessionCodec.Decoded decoded = SessionCodec.decode(value);
            if (!decoded.ok()) {
                output.add(RowFactory.create(DEAD, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, brokerAt, null, null, value, decoded.error(), partition, offset));
                continue;
            }
            var session = decoded.session();
            ConnectionFeatures features = window.observe(session);
            long featuresAt = System.currentTimeMillis();
            NidsModel.Verdict verdict = scorer.score(session, features);
            long scoredAt = System.currentTimeMillis();
            output.add(RowFactory.create(VERDICT, session.sessionId(), session.srcIp(), (long) session.srcPort(), session.dstIp(),
                    (long) session.dstPort(), session.proto(), session.service(), session.state(), session.startMs(), session.endMs(),
                    verdict.score(), verdict.malicious(), verdict.attackCategory(), scorer.version(), decoded.sentAtMs(), brokerAt,
                    featuresAt, scoredAt, null, null, partition, offset));
        }
        state.update(window);
        return output.iterator();
    }
}
