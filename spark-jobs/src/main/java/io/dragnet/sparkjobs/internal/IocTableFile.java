package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads an IoC table CSV ({@code value,feed,confidence,first_seen,description}) and normalizes values by the table's kind. */
public final class IocTableFile
{
    private IocTableFile() {}

    public static List<IocEntry> parse(Reader reader, String location, String kind)
    {
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
            if (!parser.getHeaderMap().containsKey("value")) {
                throw DragnetException.user(location + ":1: expected a header with column 'value' (value,feed,confidence,first_seen,description), got " + parser.getHeaderNames());
            }
            List<IocEntry> entries = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (CSVRecord record : parser) {
                long line = record.getRecordNumber() + 1;
                String raw = record.get("value");
                if (raw == null || raw.isBlank()) {
                    throw DragnetException.user(location + ":" + line + ": expected a non-empty value");
                }
                String value;
                try {
                    value = normalize(kind, raw);
                }
                catch (IllegalArgumentException e) {
                    throw DragnetException.user(location + ":" + line + ": " + e.getMessage());
                }
                if (!seen.add(value)) {
                    continue;
                }
                entries.add(new IocEntry(value, optional(record, "feed"), confidence(record, location, line), firstSeen(optional(record, "first_seen")), optional(record, "description")));
            }
            return entries;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read IoC table " + location + ": " + e.getMessage(), e);
        }
        catch (UncheckedIOException | IllegalStateException e) {
            throw DragnetException.user(location + ": expected CSV with header value,feed,confidence,first_seen,description: " + e.getMessage());
        }
    }

    /** The matching form of a value: CIDRs canonical, domains lower case without "*." or a trailing dot, keywords as written (KeywordMatch decides on case), the rest lower case. */
    public static String normalize(String kind, String raw)
    {
        String trimmed = raw.trim();
        return switch (kind) {
            case "cidr" -> {
                if (trimmed.indexOf(':') >= 0) {
                    Ipv6CidrUdf.check(trimmed);
                    yield trimmed.toLowerCase(Locale.ROOT);
                }
                yield Cidr.parse(trimmed).toString();
            }
            case "domain" -> {
                String domain = trimmed.toLowerCase(Locale.ROOT);
                if (domain.startsWith("*.")) {
                    domain = domain.substring(2);
                }
                if (domain.endsWith(".")) {
                    domain = domain.substring(0, domain.length() - 1);
                }
                if (domain.isEmpty()) {
                    throw new IllegalArgumentException("expected a domain name, got '" + raw + "'");
                }
                yield domain;
            }
            case "keyword" -> trimmed;
            default -> trimmed.toLowerCase(Locale.ROOT);
        };
    }

    /** Feeds write "2021-12-20 00:03:32" (abuse.ch) or ISO dates; documents carry ISO-8601 ("…T…Z" for UTC times). */
    static String firstSeen(String text)
    {
        if (text != null && text.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}")) {
            return text.replace(' ', 'T') + "Z";
        }
        return text;
    }

    private static String optional(CSVRecord record, String column)
    {
        if (!record.isMapped(column) || !record.isSet(column)) {
            return null;
        }
        String value = record.get(column);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Double confidence(CSVRecord record, String location, long line)
    {
        String text = optional(record, "confidence");
        if (text == null) {
            return null;
        }
        try {
            return Double.parseDouble(text);
        }
        catch (NumberFormatException e) {
            throw DragnetException.user(location + ":" + line + ": column confidence: expected a number, got '" + text + "'");
        }
    }
}
