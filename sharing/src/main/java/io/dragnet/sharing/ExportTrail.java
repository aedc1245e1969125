package io.dragnet.sharing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The append-only record of every export: who made it, when, for whom, under which policy version, how many rows
 * went out (and why others did not), and the SHA-256 of the file handed over. One JSON object per line in an
 * owner-only file.
 */
public final class ExportTrail
{
    private final JsonLinesFile<Entry> lines;

    public ExportTrail(Path file)
    {
        this.lines = new JsonLinesFile<>(requireNonNull(file, "file is null"), Entry.class, "export trail");
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

    public void append(Entry entry)
    {
        lines.append(entry);
    }

    public List<Entry> read()
    {
        return lines.read();
    }
}
