package io.dragnet.sparkjobs.internal;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.Iterator;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * Parses a partition of (line, file) rows into record rows and reject rows, then one tally row; see {@link ScanColumns}.
 */
public final class ParseLines
        implements MapPartitionsFunction<Row, Row>
{
    private final LineParser parser;

    public ParseLines(LineParser parser)
    {
        this.parser = requireNonNull(parser, "parser is null");
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input)
    {
        int width = parser.fields().size();
        return new Iterator<>()
        {
            private long read;
            private long rejected;
            private boolean tallied;
            private Row next;

            @Override
            public boolean hasNext()
            {
                while (next == null) {
                    if (input.hasNext()) {
                        Row line = input.next();
                        String text = line.getString(0);
                        if (text == null || parser.isMetadata(text)) {
                            continue;
                        }
                        read++;
                        LineParser.ParsedLine parsed = parser.parse(text);
                        Object[] values = new Object[width + 6];
                        if (parsed.isRejected()) {
                            rejected++;
                            values[width] = ScanColumns.REJECT;
                            values[width + 1] = line.getString(1);
                            values[width + 2] = parsed.reason();
                            values[width + 3] = text;
                        }
                        else {
                            System.arraycopy(parsed.values(), 0, values, 0, width);
                            values[width] = ScanColumns.RECORD;
                        }
                        next = RowFactory.create(values);
                    }
                    else if (!tallied) {
                        tallied = true;
                        Object[] values = new Object[width + 6];
                        values[width] = ScanColumns.TALLY;
                        values[width + 4] = read;
                        values[width + 5] = rejected;
                        next = RowFactory.create(values);
                    }
                    else {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public Row next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row result = next;
                next = null;
                return result;
            }
        };
    }
}
