package io.dragnet.sparkjobs.internal;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * The reduce side of the scan's one exchange ({@link AggregateStage#withWindows}): a partition sorted by the sort key
 * holds first the scan rows that are written as they are (sort key 0: records a record rule matched, rejects,
 * tallies), then the rows of each aggregate shuffle, tagged by the key's high bits. Written rows pass through; each
 * shuffle's rows stream through that shuffle's {@link WindowAggregator}, whose windows come out in the same layout as
 * the written rows: the scan's columns (the group values in their fields' columns, the kind {@link AggregateStage#WINDOW}),
 * then {@link AggregateStage#WINDOW_COLUMNS}.
 *
 * <p>Input row layout: sort key, time (epoch seconds), event id, then the columns the aggregators read, among them at
 * {@code writtenColumn} the scan's row as a struct when it is written as it is (null otherwise).
 */
public final class ScanExchangeReducer
        implements MapPartitionsFunction<Row, Row>
{
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
    public Iterator<Row> call(Iterator<Row> input)
    {
        return new Iterator<>()
        {
            private final ArrayDeque<Row> windows = new ArrayDeque<>();
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private WindowAggregator.Pass pass;
            private int shuffle = -1;

            @Override
            public boolean hasNext()
            {
                while (ready.isEmpty() && input.hasNext()) {
                    Row row = input.next();
                    int tag = (int) (row.getLong(0) >>> tagShift);
                    if (tag == 0) {
                        ready.add(written(row));
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
            public Row next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    private Row written(Row row)
    {
        Row scanRow = row.getStruct(writtenColumn);
        Object[] out = new Object[scanColumns + AggregateStage.WINDOW_COLUMNS.size()];
        for (int c = 0; c < scanColumns; c++) {
            out[c] = scanRow.get(c);
        }
        return RowFactory.create(out);
    }

    /** A window of the aggregator's output (grouping, group values, start, then its extra columns) in the written layout. */
    private Row window(int shuffle, Row window)
    {
        int[] fields = groupFieldColumns.get(shuffle);
        Object[] out = new Object[scanColumns + AggregateStage.WINDOW_COLUMNS.size()];
        out[kindColumn] = AggregateStage.WINDOW;
        for (int k = 0; k < fields.length; k++) {
            out[fields[k]] = window.get(1 + k);
        }
        out[scanColumns] = shuffle;
        out[scanColumns + 1] = window.get(0);
        for (int e = 0; e <= WindowAggregator.OUTPUT_EXTRA; e++) {
            out[scanColumns + 2 + e] = window.get(1 + fields.length + e);
        }
        return RowFactory.create(out);
    }
}
