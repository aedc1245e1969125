package io.dragnet.rules.internal;

import io.dragnet.rules.model.IocKind;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * An IoC set as the CSV file the Spark job joins against ({@code value,feed,confidence,first_seen,description}).
 * The id is derived from kind and content, so rules sweeping the same feed share one table and re-runs write the same files.
 */
public record IocTableFile(String id, IocKind kind, List<IocEntry> entries, byte[] csv)
{
    public static final List<String> HEADER = List.of("value", "feed", "confidence", "first_seen", "description");

    public IocTableFile
    {
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        entries = List.copyOf(entries);
        requireNonNull(csv, "csv is null");
    }

    /** Duplicate values keep their first occurrence; order is otherwise kept. */
    public static IocTableFile of(IocKind kind, List<IocEntry> entries)
    {
        Map<String, IocEntry> unique = new LinkedHashMap<>();
        for (IocEntry entry : entries) {
            unique.putIfAbsent(entry.value(), entry);
        }
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build())) {
            printer.printRecord(HEADER);
            for (IocEntry entry : unique.values()) {
                printer.printRecord(entry.value(), entry.feed(), entry.confidence(), entry.firstSeen(), entry.description());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] csv = text.toString().getBytes(StandardCharsets.UTF_8);
        return new IocTableFile(kind.keyword() + "-" + sha256(csv).substring(0, 16), kind, List.copyOf(unique.values()), csv);
    }

    private static String sha256(byte[] bytes)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
