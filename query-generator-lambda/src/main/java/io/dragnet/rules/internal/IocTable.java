package io.dragnet.rules.internal;

import io.dragnet.contracts.IocEntry;
import io.dragnet.contracts.IocTableFile;
import io.dragnet.rules.model.IocKind;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * An IoC set compiled into the {@link IocTableFile} the Spark job joins against. The id is derived from kind and
 * content, so rules sweeping the same feed share one table and re-runs write the same files.
 */
public record IocTable(String id, IocKind kind, List<IocEntry> entries, byte[] csv)
{
    public IocTable
    {
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        entries = List.copyOf(entries);
        requireNonNull(csv, "csv is null");
    }

    /** Duplicate values keep their first occurrence; order is otherwise kept. */
    public static IocTable of(IocKind kind, List<IocEntry> entries)
    {
        Map<String, IocEntry> unique = new LinkedHashMap<>();
        for (IocEntry entry : entries) {
            unique.putIfAbsent(entry.value(), entry);
        }
        byte[] csv = IocTableFile.write(List.copyOf(unique.values()));
        return new IocTable(kind.keyword() + "-" + sha256(csv).substring(0, 16), kind, List.copyOf(unique.values()), csv);
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
