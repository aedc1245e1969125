package io.dragnet.sharing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dragnet.contracts.DragnetException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An append-only file of records, one JSON object per line, created owner-only; appends hold an exclusive lock so
 * concurrent writers never interleave, and each append is forced to disk before it returns.
 */
public final class JsonLinesFile<T>
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Class<T> type;
    private final String what;

    public JsonLinesFile(Path file, Class<T> type, String what)
    {
        this.file = requireNonNull(file, "file is null");
        this.type = requireNonNull(type, "type is null");
        this.what = requireNonNull(what, "what is null");
    }

    public Path file()
    {
        return file;
    }

    public void append(T record)
    {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            catch (FileAlreadyExistsException exists) {
                // appended to below
            }
            byte[] line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                    FileLock lock = channel.lock()) {
                channel.write(ByteBuffer.wrap(line));
                channel.force(true);
            }
        }
        catch (IOException e) {
            throw DragnetException.external("cannot append to the " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    public List<T> read()
    {
        List<T> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return records;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    records.add(JSON.readValue(lines.get(i), type));
                }
                catch (JsonProcessingException e) {
                    throw DragnetException.user(file + ":" + (i + 1) + ": not a " + what + " entry; expected one JSON object per line");
                }
            }
        }
        catch (IOException e) {
            throw DragnetException.external("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
        }
        return records;
    }
}
