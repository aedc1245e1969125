package io.dragnet.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain fixed-width table for terminal summaries. */
final class TextTable
{
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header)
    {
        this.header = List.of(header);
    }

    TextTable row(Object... cells)
    {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    String render()
    {
        int[] widths = new int[header.size()];
        for (int column = 0; column < widths.length; column++) {
            widths[column] = header.get(column).length();
            for (List<String> row : rows) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        StringBuilder text = new StringBuilder();
        appendRow(text, header, widths);
        for (int column = 0; column < widths.length; column++) {
            text.append(column == 0 ? "" : "  ").append("-".repeat(widths[column]));
        }
        text.append('\n');
        rows.forEach(row -> appendRow(text, row, widths));
        return text.toString();
    }

    private static void appendRow(StringBuilder text, List<String> cells, int[] widths)
    {
        for (int column = 0; column < widths.length; column++) {
            String cell = cells.get(column);
            text.append(column == 0 ? "" : "  ").append(cell).append(" ".repeat(widths[column] - cell.length()));
        }
        text.append('\n');
    }
}
