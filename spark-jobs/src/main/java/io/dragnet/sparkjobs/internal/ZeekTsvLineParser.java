package io.dragnet.sparkjobs.internal;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Parses data lines of a Zeek TSV log: unset ({@code -}) becomes null, empty containers ({@code (empty)}) the empty string. */
public final class ZeekTsvLineParser
        implements LineParser
{
    private final ZeekHeader header;
    private final List<FieldType> types;

    public ZeekTsvLineParser(ZeekHeader header)
    {
        this.header = requireNonNull(header, "header is null");
        this.types = header.fieldTypes();
    }

    @Override
    public List<String> fields()
    {
        return header.fields();
    }

    @Override
    public List<FieldType> types()
    {
        return types;
    }

    @Override
    public boolean isMetadata(String line)
    {
        return line.isEmpty() || line.charAt(0) == '#';
    }

    @Override
    public ParsedLine parse(String line)
    {
        int expected = types.size();
        Object[] values = new Object[expected];
        String separator = header.separator();
        int start = 0;
        int column = 0;
        while (true) {
            int end = line.indexOf(separator, start);
            String text = end < 0 ? line.substring(start) : line.substring(start, end);
            if (column >= expected) {
                return ParsedLine.rejected("expected " + expected + " tab-separated columns (#fields), got more");
            }
            if (!text.equals(header.unsetField())) {
                if (text.equals(header.emptyField())) {
                    values[column] = types.get(column) == FieldType.STRING ? "" : null;
                }
                else {
                    try {
                        values[column] = types.get(column).parse(text);
                    }
                    catch (IllegalArgumentException e) {
                        return ParsedLine.rejected("field '" + header.fields().get(column) + "' (" + header.types().get(column) + "): " + e.getMessage());
                    }
                }
            }
            column++;
            if (end < 0) {
                break;
            }
            start = end + separator.length();
        }
        if (column != expected) {
            return ParsedLine.rejected("expected " + expected + " tab-separated columns (#fields), got " + column);
        }
        return ParsedLine.parsed(values);
    }
}
