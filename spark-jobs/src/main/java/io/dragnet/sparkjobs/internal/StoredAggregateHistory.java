package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.RunFolders;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;

/**
 * The history of aggregate rules, one folder per source under the job's {@code aggregate_history} root:
 * {@code <root>/<source>/values/<raw field>/dt=<day>/} holds the distinct values the field held that day (every
 * record of the source, whatever the rules kept), {@code <root>/<source>/rules/<rule id>/dt=<day>/} a rule's looked-back
 * measures for every (group, window) of the day, hit or not. A day is written after the job's other outputs, each
 * folder committed whole ({@link DirectoryCommit}); a re-run of the day replaces it with the same content.
 */
public final class StoredAggregateHistory
        implements AggregateHistory
{
    private static final String VALUE = "value";
    private static final String GROUP_COLUMN = "group";
    private static final String WINDOW_START = "window_start";
    private static final String MEASURES = "measures";

    private final SparkSession spark;
    private final Storage storage;
    private final DirectoryCommit commit;
    private final String sourceRoot;
    private final LocalDate day;

    public StoredAggregateHistory(SparkSession spark, Storage storage, String root, String source, LocalDate day)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.commit = new DirectoryCommit(storage);
        this.sourceRoot = Storage.child(requireNonNull(root, "root is null"), requireNonNull(source, "source is null"));
        this.day = requireNonNull(day, "day is null");
    }

    @Override
    public Optional<Dataset<Row>> seenValues(String field, int days)
    {
        return earlier(valuesOf(field), days).map(rows -> rows.select(col(VALUE).as(SEEN)).distinct());
    }

    @Override
    public Optional<Dataset<Row>> earlierWindows(String ruleId, int days)
    {
        return earlier(windowsOf(ruleId), days).map(rows -> rows
                .select(col(GROUP_COLUMN), explode(from_json(col(MEASURES), DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))).as(new String[] {"name", "v"}))
                .where(col("v").isNotNull())
                .groupBy(col(GROUP_COLUMN), col("name"))
                .agg(avg(col("v")).as("avg"), max(col("v")).as("max"))
                .groupBy(col(GROUP_COLUMN).as(GROUP))
                .agg(map_from_entries(collect_list(struct(col("name"), col("avg")))).as(AVERAGES),
                        map_from_entries(collect_list(struct(col("name"), col("max")))).as(MAXIMA)));
    }

    /** Records the distinct values of a raw field among the day's records (column {@code value}, non-null, any type). */
    public void recordValues(String field, Column values, Dataset<Row> records, String staging)
    {
        write(records.select(values.cast(DataTypes.StringType).as(VALUE)).where(col(VALUE).isNotNull()).distinct(), staging, valuesOf(field));
    }

    /**
     * Records a rule's windows of the day.
     *
     * @param windows columns group (text), window_start (seconds), measures (JSON of measure name to value)
     */
    public void recordWindows(String ruleId, Dataset<Row> windows, String staging)
    {
        write(windows.select(col(GROUP_COLUMN), col(WINDOW_START), col(MEASURES)), staging, windowsOf(ruleId));
    }

    private void write(Dataset<Row> rows, String staging, String root)
    {
        rows.repartition(1).sortWithinPartitions(rows.columns()[0]).write().mode(SaveMode.Overwrite).parquet(staging);
        commit.commit(staging, dayOf(root, day));
    }

    private Optional<Dataset<Row>> earlier(String root, int days)
    {
        List<String> paths = new ArrayList<>();
        for (int back = 1; back <= days; back++) {
            String location = dayOf(root, day.minusDays(back));
            if (!storage.listNames(location).isEmpty()) {
                paths.addAll(commit.readableLocations(location));
            }
        }
        return paths.isEmpty() ? Optional.empty() : Optional.of(spark.read().parquet(paths.toArray(String[]::new)));
    }

    private String valuesOf(String field)
    {
        return Storage.child(Storage.child(sourceRoot, "values"), field);
    }

    private String windowsOf(String ruleId)
    {
        return Storage.child(Storage.child(sourceRoot, "rules"), ruleId);
    }

    private static String dayOf(String root, LocalDate day)
    {
        return Storage.child(root, RunFolders.dayFolder(day.toString()));
    }
}
