package io.dragnet.contracts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The one JSON configuration every contract is read and written with: strict on unknown keys, stable key order. */
public final class Json
{
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Json() {}

    public static ObjectMapper mapper()
    {
        return MAPPER;
    }

    public static <T> T read(Path file, Class<T> type)
    {
        try {
            return MAPPER.readValue(file.toFile(), type);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + type.getSimpleName() + " from " + file + ": " + e.getMessage(), e);
        }
    }

    public static String write(Object value)
    {
        try {
            return MAPPER.writeValueAsString(value);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line, for logs. */
    public static String writeCompact(Object value)
    {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
