package io.dragnet.sparkjobs.internal;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.unsafe.types.UTF8String;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * The reduce side of the scan's one exchange ({@link AggregateStage#withWindows}): a partition sorted by the sort key
 * holds first the scan rows that are written as they are (tag 0 in the key's high bits: records a record rule matched,
 * rejects, tallies), then the rows of each aggregate shuffle, tagged s + 1. Written rows pass through; each
 * shuffle's rows stream through that shuffle's {@link WindowAggregator}, whose windows come out in the same layout as
 * the written rows: the scan's columns (the group values in their fields' columns, the kind {@link AggregateStage#WINDOW}),
 * then {@link AggregateStage#WINDOW_COLUMNS}.
 *
 * <p>Rows are Spark's internal rows, as the sorted exchange holds them: a written row goes out as a view of its
 * struct followed by null window columns, read before the next input row replaces it (Spark's consumers of an RDD of
 * internal rows copy each row as it comes), so no row is converted to {@link org.apache.spark.sql.Row} and back.
 *
 * <p>Input row layout: sort key, time (epoch seconds), event id, then the columns the aggregators read, among them at
 * {@code writtenColumn} the scan's row as a struct when it is written as it is (null otherwise).
 */
public final class ScanExchangeReducer
        implements FlatMapFunction<Iterator<InternalRow>, InternalRow>
{
    private static final UTF8String WINDOW_KIND = UTF8String.fromString(AggregateStage.WINDOW);

    private final int tagShift;
    private final int writtenColumn;
    private final int scanColumns;
    private final int kindColumn;
    private final List<WindowAggregator> aggregators;
    private final List<int[]> groupFieldColumns;

    /**
     * @param tagShift the sort key's bits below the shuffle tag: tag 0 marks written rows, tag s + 1 shuffle s
     * @param kindColumn the index of {@link ScanColumns#KIND} among the scan's columns
     * @param groupFieldColumns per shuffle, the index among the scan's columns of each of its aggregator's group fields
     */
    public ScanExchangeReducer(int tagShift, int writtenColumn, int scanColumns, int kindColumn, List<WindowAggregator> aggregators, List<int[]> groupFieldColumns)
    {
        this.tagShift = tagShift;
        this.writtenColumn = writtenColumn;
        this.scanColumns = scanColumns;
        this.kindColumn = kindColumn;
        this.aggregators = List.copyOf(aggregators);
        this.groupFieldColumns = groupFieldColumns.stream().map(int[]::clone).toList();
        if (this.aggregators.size() != this.groupFieldColumns.size()) {
            throw new IllegalArgumentException("one list of group field columns per aggregator");
        }
        requireNonNull(aggregators, "aggregators is null");
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> input)
    {
        return new Iterator<>()
        {
            private final ArrayDeque<GenericInternalRow> windows = new ArrayDeque<>();
            private final ArrayDeque<InternalRow> ready = new ArrayDeque<>();
            private final InternalRow noWindow = new GenericInternalRow(AggregateStage.WINDOW_COLUMNS.size());
            private WindowAggregator.Pass pass;
            private int shuffle = -1;

            @Override
            public boolean hasNext()
            {
                while (ready.isEmpty() && input.hasNext()) {
                    InternalRow row = input.next();
                    int tag = (int) (row.getLong(0) >>> tagShift);
                    if (tag == 0) {
                        ready.add(new JoinedRow(row.getStruct(writtenColumn, scanColumns), noWindow));
                        continue;
                    }
                    if (tag - 1 != shuffle) {
                        finishShuffle();
                        shuffle = tag - 1;
                        pass = aggregators.get(shuffle).pass();
                    }
                    pass.add(row, windows);
                    drain();
                }
                if (ready.isEmpty()) {
                    finishShuffle();
                }
                return !ready.isEmpty();
            }

            private void finishShuffle()
            {
                if (pass != null) {
                    pass.finish(windows);
                    drain();
                    pass = null;
                }
            }

            private void drain()
            {
                while (!windows.isEmpty()) {
                    ready.add(window(shuffle, windows.poll()));
                }
            }

            @Override
            public InternalRow next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /** A window of the aggregator's output (grouping, group values, start, then its extra columns) in the written layout. */
    private InternalRow window(int shuffle, GenericInternalRow window)
    {
        int[] fields = groupFieldColumns.get(shuffle);
        Object[] out = new Object[scanColumns + AggregateStage.WINDOW_COLUMNS.size()];
        out[kindColumn] = WINDOW_KIND;
        for (int k = 0; k < fields.length; k++) {
            out[fields[k]] = window.values()[1 + k];
        }
        out[scanColumns] = shuffle;
        out[scanColumns + 1] = window.getInt(0);
        for (int e = 0; e <= WindowAggregator.OUTPUT_EXTRA; e++) {
            out[scanColumns + 2 + e] = window.values()[1 + fields.length + e];
        }
        return new GenericInternalRow(out);
    }
}
