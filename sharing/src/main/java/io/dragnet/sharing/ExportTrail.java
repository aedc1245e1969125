package io.dragnet.sharing;

import io.dragnet.storage.ObjectFolder;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The append-only record of every export: who made it, when, for whom, under which policy version, how many rows
 * went out (and why others did not), and the SHA-256 of the file handed over. One object per export in a folder of
 * the object store (owner-only files locally, a prefix of the results bucket on AWS); {@link TrailIndex} mirrors it
 * into an OpenSearch index only admins read.
 */
public final class ExportTrail
{
    private final RecordFolder<Entry> records;

    public ExportTrail(ObjectFolder folder)
    {
        this.records = new RecordFolder<>(requireNonNull(folder, "folder is null"), Entry.class, "export trail");
    }

    public ObjectFolder folder()
    {
        return records.folder();
    }

    public record Entry(
            String time,
            String operator,
            String recipient,
            String format,
            String policyVersion,
            String from,
            String to,
            Set<String> topics,
            int rowsRead,
            int rowsExported,
            Map<String, Integer> rowsWithheld,
            String file,
            String sha256)
    {
        public Entry
        {
            requireNonNull(time, "time is null");
            requireNonNull(operator, "operator is null");
            requireNonNull(recipient, "recipient is null");
            topics = Set.copyOf(topics);
            rowsWithheld = Map.copyOf(rowsWithheld);
        }
    }

    /** Records the export; returns the key it is stored under, which is also its id in the trail index. */
    public String append(Entry entry)
    {
        return records.append(Instant.parse(entry.time()), entry);
    }

    public List<RecordFolder.Stored<Entry>> stored()
    {
        return records.read();
    }

    public List<Entry> read()
    {
        return stored().stream().map(RecordFolder.Stored::record).toList();
    }
}
