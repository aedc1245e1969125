package io.dragnet.sparkjobs.internal;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * Internal columns carried next to the source fields while scanning. Besides records, the scan emits reject rows
 * (a line that did not parse, with the reason) and one tally row per partition (lines read and rejected): the counts
 * come out of the same single pass and, unlike accumulators, stay exact when Spark retries a task.
 */
public final class ScanColumns
{
    public static final String KIND = "_kind";
    public static final String FILE = "_file";
    public static final String REASON = "_reason";
    public static final String RAW = "_raw";
    public static final String READ = "_n_read";
    public static final String REJECTED = "_n_rejected";
    public static final String RULES = "_rules";

    public static final String RECORD = "record";
    public static final String REJECT = "reject";
    public static final String TALLY = "tally";

    private ScanColumns() {}

    public static StructType schema(List<String> fields, List<FieldType> types)
    {
        List<StructField> columns = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            columns.add(DataTypes.createStructField(fields.get(i), types.get(i).sparkType(), true));
        }
        columns.add(DataTypes.createStructField(KIND, DataTypes.StringType, false));
        columns.add(DataTypes.createStructField(FILE, DataTypes.StringType, true));
        columns.add(DataTypes.createStructField(REASON, DataTypes.StringType, true));
        columns.add(DataTypes.createStructField(RAW, DataTypes.StringType, true));
        columns.add(DataTypes.createStructField(READ, DataTypes.LongType, true));
        columns.add(DataTypes.createStructField(REJECTED, DataTypes.LongType, true));
        return new StructType(columns.toArray(StructField[]::new));
    }
}
