package io.dragnet.sharing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dragnet.contracts.DragnetException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The append-only record of every export: who made it, when, for whom, under which policy version, how many rows
 * went out (and why others did not), and the SHA-256 of the file handed over. One JSON object per line in an
 * owner-only file; appends hold an exclusive lock so concurrent exports never interleave.
 */
public final class ExportTrail
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public ExportTrail(Path file)
    {
        this.file = requireNonNull(file, "file is null");
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
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
                catch (java.nio.file.FileAlreadyExistsException raced) {
                    // created by a concurrent export
                }
            }
            byte[] line = (JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                    FileLock lock = channel.lock()) {
                channel.write(java.nio.ByteBuffer.wrap(line));
                channel.force(true);
            }
        }
        catch (IOException e) {
            throw DragnetException.external("cannot append to the export trail " + file + ": " + e.getMessage(), e);
        }
    }

    public List<Entry> read()
    {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    entries.add(JSON.readValue(lines.get(i), Entry.class));
                }
                catch (JsonProcessingException e) {
                    throw DragnetException.user(file + ":" + (i + 1) + ": not an export trail entry; expected one JSON object per line");
                }
            }
        }
        catch (IOException e) {
            throw DragnetException.external("cannot read the export trail " + file + ": " + e.getMessage(), e);
        }
        return entries;
    }
}
