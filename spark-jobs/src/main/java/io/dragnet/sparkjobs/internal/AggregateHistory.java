package io.dragnet.sparkjobs.internal;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Optional;

/**
 * What history measures read of the earlier days of the same source: the values a field held ({@code count_new}) and
 * a rule's measures per group and window ({@code history_avg}, {@code history_max}). Empty when none of the days
 * looked at was recorded, so a history measure has no value rather than counting everything as new.
 */
public interface AggregateHistory
{
    /** Column of {@link #seenValues}: a value as text. */
    String SEEN = "_seen";
    /** Columns of {@link #earlierWindows}: the group (as {@code aggregate.group}), and per measure name its mean and largest value. */
    String GROUP = "_history_group";
    String AVERAGES = "_history_avg";
    String MAXIMA = "_history_max";

    /** No earlier day recorded. */
    AggregateHistory NONE = new AggregateHistory()
    {
        @Override
        public Optional<Dataset<Row>> seenValues(String field, int days)
        {
            return Optional.empty();
        }

        @Override
        public Optional<Dataset<Row>> earlierWindows(String ruleId, int days)
        {
            return Optional.empty();
        }
    };

    /** The distinct values (as text, column {@link #SEEN}) the raw field held on the {@code days} days before the run's day. */
    Optional<Dataset<Row>> seenValues(String field, int days);

    /**
     * Per group of the rule ({@link #GROUP}), the mean ({@link #AVERAGES}) and largest ({@link #MAXIMA}) value of each
     * recorded measure over the group's windows on the {@code days} days before the run's day (maps of measure name to
     * value; windows in which the group had no records are not counted).
     */
    Optional<Dataset<Row>> earlierWindows(String ruleId, int days);
}
