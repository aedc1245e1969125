package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The {@code #}-lines at the top of a Zeek TSV log: separators, unset/empty markers, field names and types.
 *
 * @param lines the header lines as read, kept so split files stay valid Zeek logs
 */
public record ZeekHeader(
        String separator,
        String setSeparator,
        String emptyField,
        String unsetField,
        String path,
        List<String> fields,
        List<String> types,
        List<String> lines)
        implements Serializable
{
    public ZeekHeader
    {
        requireNonNull(separator, "separator is null");
        fields = List.copyOf(fields);
        types = List.copyOf(types);
        lines = List.copyOf(lines);
        if (fields.size() != types.size()) {
            throw new IllegalArgumentException("#fields has " + fields.size() + " names but #types has " + types.size());
        }
    }

    /**
     * Parses the leading header lines of a log (the caller passes lines until the first non-{@code #} line).
     *
     * @param file named in errors
     */
    public static ZeekHeader parse(List<String> headerLines, String file)
    {
        String separator = "\t";
        String setSeparator = ",";
        String emptyField = "(empty)";
        String unsetField = "-";
        String path = null;
        List<String> fields = null;
        List<String> types = null;
        List<String> kept = new ArrayList<>();
        int lineNumber = 0;
        for (String line : headerLines) {
            lineNumber++;
            if (!line.startsWith("#")) {
                break;
            }
            if (line.startsWith("#close")) {
                continue;
            }
            kept.add(line);
            if (line.startsWith("#separator ")) {
                separator = unescape(line.substring("#separator ".length()));
                continue;
            }
            String[] parts = line.split(java.util.regex.Pattern.quote(separator), -1);
            String rest = parts.length > 1 ? parts[1] : "";
            switch (parts[0]) {
                case "#set_separator" -> setSeparator = rest;
                case "#empty_field" -> emptyField = rest;
                case "#unset_field" -> unsetField = rest;
                case "#path" -> path = rest;
                case "#fields" -> fields = List.of(parts).subList(1, parts.length);
                case "#types" -> types = List.of(parts).subList(1, parts.length);
                default -> { }
            }
        }
        if (fields == null || types == null) {
            throw DragnetException.user(file + ": expected a Zeek TSV header with #fields and #types lines before line " + (lineNumber + 1));
        }
        if (fields.size() != types.size()) {
            throw DragnetException.user(file + ": #fields names " + fields.size() + " columns but #types " + types.size());
        }
        return new ZeekHeader(separator, setSeparator, emptyField, unsetField, path, fields, types, kept);
    }

    public List<FieldType> fieldTypes()
    {
        return types.stream().map(FieldType::ofZeek).toList();
    }

    /** Decodes {@code \xHH} escapes as used by {@code #separator \x09}. */
    static String unescape(String text)
    {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 3 < text.length() && text.charAt(i + 1) == 'x') {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 4), 16));
                i += 3;
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
