package io.dragnet.nids.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.dragnet.contracts.VerdictColumns;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Turns the records of the verdicts and dead-letter topics (topic, value) into lake rows, dropping what the lake
 * already holds ({@link SourceMarks}) and what this batch already had, and adding what it keeps to the batch's
 * {@link LakeBatchStats}; each Spark partition must be one Kafka topic
 * partition, read in offset order (as the Kafka source reads). Rows: {@code is_verdict, kafka_partition, kafka_offset} and, for verdicts, the
 * verdict columns. Parsed with Jackson's streaming parser in one pass; Spark's {@code from_json} cost twice the whole
 * scorer here (it re-resolves column defaults for every record, and a filter and a projection each parsed again).
 */
public final class LakeRows
        implements MapPartitionsFunction<Row, Row>
{
    public static final String IS_VERDICT = "is_verdict";
    public static final StructType SCHEMA;

    // FastDoubleParser: the same value as the JDK's parse, several times cheaper per double on Java 17
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final Map<String, Integer> INDEX = new HashMap<>();

    static {
        StructType schema = new StructType()
                .add(IS_VERDICT, DataTypes.BooleanType, false)
                .add(PartitionScorer.SOURCE_PARTITION, DataTypes.IntegerType)
                .add(PartitionScorer.SOURCE_OFFSET, DataTypes.LongType);
        for (var field : VerdictColumns.SCHEMA) {
            schema = schema.add(field.name(), switch (field.type()) {
                case "long" -> DataTypes.LongType;
                case "double" -> DataTypes.DoubleType;
                case "boolean" -> DataTypes.BooleanType;
                case "timestamp" -> DataTypes.TimestampType;
                default -> DataTypes.StringType;
            });
        }
        SCHEMA = schema.add(VerdictColumns.DT, DataTypes.StringType);
        StructField[] fields = SCHEMA.fields();
        for (int i = 0; i < fields.length; i++) {
            INDEX.put(fields[i].name(), i);
        }
    }

    private static final int START_TIME = index(VerdictColumns.START_TIME);
    private static final int END_TIME = index(VerdictColumns.END_TIME);

    private final String verdictsTopic;
    private final SourceMarks marks;
    private final LakeBatchStats stats;

    public LakeRows(String verdictsTopic, SourceMarks marks, LakeBatchStats stats)
    {
        this.verdictsTopic = requireNonNull(verdictsTopic, "verdictsTopic is null");
        this.marks = requireNonNull(marks, "marks is null");
        this.stats = requireNonNull(stats, "stats is null");
    }

    /** The position of a column in {@link #SCHEMA}. */
    static int index(String column)
    {
        Integer index = INDEX.get(column);
        if (index == null) {
            throw new IllegalArgumentException("no lake column " + column);
        }
        return index;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> records)
    {
        return new Iterator<>()
        {
            private Row next;
            // Within a verdict partition source offsets rise, except where a restarted scorer re-sends: a record at or
            // below the highest offset seen so far is a re-send, so duplicates are dropped here, without a shuffle.
            private final Map<Integer, Long> highestVerdict = new HashMap<>();
            private final Map<Integer, Long> highestDead = new HashMap<>();

            @Override
            public boolean hasNext()
            {
                while (next == null && records.hasNext()) {
                    Row record = records.next();
                    boolean verdict = verdictsTopic.equals(record.getString(0));
                    Object[] values = parse(verdict, record.<byte[]>getAs(1));
                    if (values == null) {
                        continue;
                    }
                    String kind = verdict ? VerdictLakeWriter.VERDICT : VerdictLakeWriter.DEAD;
                    Map<Integer, Long> highest = verdict ? highestVerdict : highestDead;
                    int partition = (Integer) values[1];
                    long offset = (Long) values[2];
                    long seen = highest.getOrDefault(partition, marks.mark(kind, partition));
                    if (offset > seen) {
                        highest.put(partition, offset);
                        stats.add(values);
                        next = RowFactory.create(values);
                    }
                }
                return next != null;
            }

            @Override
            public Row next()
            {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                Row row = next;
                next = null;
                return row;
            }
        };
    }

    /**
     * The lake row of one record's JSON; fields it lacks stay null, fields the lake does not keep are skipped. Null for
     * a record that is not JSON or names no source position: the scorer writes none such, and the lake keeps no
     * verdict it cannot place.
     */
    static Object[] parse(boolean verdict, byte[] json)
    {
        Object[] values = new Object[SCHEMA.size()];
        values[0] = verdict;
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    continue;
                }
                if (token == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (name) {
                    case PartitionScorer.SOURCE_PARTITION -> values[1] = parser.getIntValue();
                    case PartitionScorer.SOURCE_OFFSET -> values[2] = parser.getLongValue();
                    case PartitionScorer.START_MS -> values[START_TIME] = verdict ? new Timestamp(parser.getLongValue()) : null;
                    case PartitionScorer.END_MS -> values[END_TIME] = verdict ? new Timestamp(parser.getLongValue()) : null;
                    default -> {
                        Integer index = INDEX.get(name);
                        if (verdict && index != null && index > 2 && SCHEMA.fields()[index].dataType() != DataTypes.TimestampType) {
                            values[index] = value(parser, token, SCHEMA.fields()[index]);
                        }
                    }
                }
            }
        }
        catch (IOException e) {
            return null;
        }
        return values[1] == null || values[2] == null ? null : values;
    }

    private static Object value(JsonParser parser, JsonToken token, StructField field)
            throws IOException
    {
        if (field.dataType() == DataTypes.LongType) {
            return parser.getLongValue();
        }
        if (field.dataType() == DataTypes.DoubleType) {
            return parser.getDoubleValue();
        }
        if (field.dataType() == DataTypes.BooleanType) {
            return token == JsonToken.VALUE_TRUE;
        }
        return parser.getText();
    }
}
