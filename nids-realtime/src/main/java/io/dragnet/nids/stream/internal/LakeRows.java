package io.dragnet.nids.stream.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.dragnet.contracts.VerdictColumns;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * Turns the records of the verdicts and dead-letter topics ({@code topic, value} as Spark's internal rows) into the
 * lake's rows ({@link #SCHEMA}), dropping what the lake already holds ({@link SourceMarks}) and what this batch already
 * had, and adding what it keeps to the batch's {@link LakeBatchStats}; dead letters only advance the marks. Each Spark
 * partition must be one Kafka topic partition, read in offset order (as the Kafka source reads).
 * <p>
 * Parsed with Jackson's streaming parser in one pass straight into Spark's internal values (UTF8String, timestamps as
 * microseconds), so no external Row is built and converted per record: Spark's {@code from_json} cost twice the whole
 * scorer here (it re-resolves column defaults for every record), and external rows cost a conversion each way.
 */
public final class LakeRows
        implements FlatMapFunction<Iterator<InternalRow>, InternalRow>
{
    /** The lake's columns: the verdict columns, then the day they are partitioned by. */
    public static final StructType SCHEMA;

    // FastDoubleParser: the same value as the JDK's parse, several times cheaper per double on Java 17
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final Map<String, Integer> INDEX = new HashMap<>();
    private static final DataType[] TYPES;

    static {
        StructType schema = new StructType();
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
        TYPES = new DataType[fields.length];
        for (int i = 0; i < fields.length; i++) {
            INDEX.put(fields[i].name(), i);
            TYPES[i] = fields[i].dataType();
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

    /**
     * One record of either topic: where in the sessions topic it came from and, for a verdict, its lake values in
     * {@link #SCHEMA} order (Spark's internal types); {@code values} is null for a dead letter.
     */
    public record Parsed(int partition, long offset, Object[] values)
    {
        public boolean verdict()
        {
            return values != null;
        }
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> records)
    {
        UTF8String verdicts = UTF8String.fromString(verdictsTopic);
        return new Iterator<>()
        {
            private InternalRow next;
            // Within a verdict partition source offsets rise, except where a restarted scorer re-sends: a record at or
            // below the highest offset seen so far is a re-send, so duplicates are dropped here, without a shuffle.
            private final Map<Integer, Long> highestVerdict = new HashMap<>();
            private final Map<Integer, Long> highestDead = new HashMap<>();

            @Override
            public boolean hasNext()
            {
                while (next == null && records.hasNext()) {
                    InternalRow record = records.next();
                    boolean verdict = verdicts.equals(record.getUTF8String(0));
                    Parsed parsed = parse(verdict, record.getBinary(1));
                    if (parsed == null) {
                        continue;
                    }
                    Map<Integer, Long> highest = verdict ? highestVerdict : highestDead;
                    long seen = highest.getOrDefault(parsed.partition(), marks.mark(verdict ? VerdictLakeWriter.VERDICT : VerdictLakeWriter.DEAD, parsed.partition()));
                    if (parsed.offset() > seen) {
                        highest.put(parsed.partition(), parsed.offset());
                        stats.add(parsed);
                        if (verdict) {
                            next = new GenericInternalRow(parsed.values());
                        }
                    }
                }
                return next != null;
            }

            @Override
            public InternalRow next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                InternalRow row = next;
                next = null;
                return row;
            }
        };
    }

    /**
     * What one record's JSON holds; verdict fields it lacks stay null, fields the lake does not keep are skipped. Null
     * for a record that is not JSON or names no source position: the scorer writes none such, and the lake keeps no
     * verdict it cannot place.
     */
    static Parsed parse(boolean verdict, byte[] json)
    {
        Object[] values = verdict ? new Object[SCHEMA.size()] : null;
        int partition = -1;
        long offset = -1;
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
                    case PartitionScorer.SOURCE_PARTITION -> partition = parser.getIntValue();
                    case PartitionScorer.SOURCE_OFFSET -> offset = parser.getLongValue();
                    case PartitionScorer.START_MS -> putIfVerdict(values, START_TIME, microseconds(parser));
                    case PartitionScorer.END_MS -> putIfVerdict(values, END_TIME, microseconds(parser));
                    default -> {
                        Integer index = verdict ? INDEX.get(name) : null;
                        if (index != null && TYPES[index] != DataTypes.TimestampType) {
                            values[index] = value(parser, token, TYPES[index]);
                        }
                    }
                }
            }
        }
        catch (IOException e) {
            return null;
        }
        return partition < 0 || offset < 0 ? null : new Parsed(partition, offset, values);
    }

    private static void putIfVerdict(Object[] values, int index, long value)
    {
        if (values != null) {
            values[index] = value;
        }
    }

    /** Spark's internal form of a timestamp, from the verdict's epoch milliseconds. */
    private static long microseconds(JsonParser parser)
            throws IOException
    {
        return parser.getLongValue() * 1000L;
    }

    private static Object value(JsonParser parser, JsonToken token, DataType type)
            throws IOException
    {
        if (type == DataTypes.LongType) {
            return parser.getLongValue();
        }
        if (type == DataTypes.DoubleType) {
            return parser.getDoubleValue();
        }
        if (type == DataTypes.BooleanType) {
            return token == JsonToken.VALUE_TRUE;
        }
        return UTF8String.fromString(parser.getText());
    }
}
