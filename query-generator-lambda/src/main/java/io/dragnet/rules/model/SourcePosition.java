package io.dragnet.rules.model;

import static java.util.Objects.requireNonNull;

/**
 * Where something was written: file as the user named it (path or URI), 1-based line and column.
 * Line 0 means "the whole file" (for example a file that cannot be read).
 */
public record SourcePosition(String file, int line, int column)
        implements Comparable<SourcePosition>
{
    public SourcePosition
    {
        requireNonNull(file, "file is null");
    }

    public static SourcePosition ofFile(String file)
    {
        return new SourcePosition(file, 0, 0);
    }

    @Override
    public int compareTo(SourcePosition other)
    {
        int byFile = file.compareTo(other.file);
        if (byFile != 0) {
            return byFile;
        }
        int byLine = Integer.compare(line, other.line);
        return byLine != 0 ? byLine : Integer.compare(column, other.column);
    }

    @Override
    public String toString()
    {
        return line == 0 ? file : file + ":" + line + ":" + column;
    }
}
