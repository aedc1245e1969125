package io.dragnet.sharing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dragnet.contracts.DragnetException;
import io.dragnet.storage.ObjectFolder;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An append-only log kept as one JSON object per record in a folder of an object store (a local directory or an S3
 * prefix). Appending never rewrites what is there, so concurrent writers never lose each other's records, on S3 as
 * locally; keys start with the record's time, so listing them gives the records in time order.
 */
public final class RecordFolder<T>
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectFolder folder;
    private final Class<T> type;
    private final String what;

    public record Stored<T>(String key, T record) {}

    public RecordFolder(ObjectFolder folder, Class<T> type, String what)
    {
        this.folder = requireNonNull(folder, "folder is null");
        this.type = requireNonNull(type, "type is null");
        this.what = requireNonNull(what, "what is null");
    }

    public ObjectFolder folder()
    {
        return folder;
    }

    /** Stores the record under a new key made of its time and a random suffix; returns the key. */
    public String append(Instant time, T record)
    {
        byte[] suffix = new byte[6];
        RANDOM.nextBytes(suffix);
        String key = time.toString().replace(':', '-') + "-" + HexFormat.of().formatHex(suffix) + ".json";
        try {
            folder.write(key, JSON.writeValueAsBytes(record));
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a " + what + " entry", e);
        }
        return key;
    }

    public List<Stored<T>> read()
    {
        List<Stored<T>> records = new ArrayList<>();
        for (String key : folder.list("")) {
            if (!key.endsWith(".json")) {
                continue;
            }
            byte[] content = folder.read(key).orElseThrow(() -> DragnetException.external(folder.uri(key) + " vanished while the " + what + " was read", null));
            try {
                records.add(new Stored<>(key, JSON.readValue(new String(content, StandardCharsets.UTF_8), type)));
            }
            catch (JsonProcessingException e) {
                throw DragnetException.user(folder.uri(key) + ": not a " + what + " entry; expected one JSON object with the fields of " + type.getSimpleName());
            }
        }
        return records;
    }
}
