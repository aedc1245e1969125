package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The value types of source fields (JobSpec.FieldSpec#type) and how text values convert to them. */
public enum FieldType
{
    STRING, LONG, DOUBLE, BOOLEAN, TIMESTAMP, IP;

    public static FieldType of(String specType)
    {
        return switch (specType.toLowerCase(Locale.ROOT)) {
            case "string" -> STRING;
            case "long", "int", "integer" -> LONG;
            case "double", "float" -> DOUBLE;
            case "boolean", "bool" -> BOOLEAN;
            case "timestamp", "time" -> TIMESTAMP;
            case "ip" -> IP;
            default -> throw DragnetException.user("field type '" + specType + "': expected one of string, long, double, boolean, timestamp, ip");
        };
    }

    /** Maps a Zeek {@code #types} entry to a field type; containers (set[..], vector[..]) stay text. */
    public static FieldType ofZeek(String zeekType)
    {
        return switch (zeekType) {
            case "time" -> TIMESTAMP;
            case "addr", "subnet" -> IP;
            case "port", "count", "int" -> LONG;
            case "interval", "double" -> DOUBLE;
            case "bool" -> BOOLEAN;
            default -> STRING;
        };
    }

    public DataType sparkType()
    {
        return switch (this) {
            case STRING, IP -> DataTypes.StringType;
            case LONG -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
            case TIMESTAMP -> DataTypes.TimestampType;
        };
    }

    /**
     * Converts a text value; throws {@link IllegalArgumentException} with what was expected when it does not parse.
     * Times are epoch seconds with a fraction (Zeek) or ISO-8601 instants.
     */
    public Object parse(String text)
    {
        return switch (this) {
            case STRING, IP -> text;
            case LONG -> parseLong(text);
            case DOUBLE -> parseDouble(text);
            case BOOLEAN -> parseBoolean(text);
            case TIMESTAMP -> parseTimestamp(text);
        };
    }

    private static Long parseLong(String text)
    {
        try {
            return Long.parseLong(text.trim());
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer, got '" + text + "'");
        }
    }

    private static Double parseDouble(String text)
    {
        try {
            return Double.parseDouble(text.trim());
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number, got '" + text + "'");
        }
    }

    private static Boolean parseBoolean(String text)
    {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "t", "true", "1" -> Boolean.TRUE;
            case "f", "false", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("expected T/F or true/false, got '" + text + "'");
        };
    }

    static Timestamp parseTimestamp(String text)
    {
        String trimmed = text.trim();
        if (!trimmed.isEmpty() && (Character.isDigit(trimmed.charAt(0)) || trimmed.charAt(0) == '-') && trimmed.indexOf('T') < 0) {
            try {
                BigDecimal seconds = new BigDecimal(trimmed);
                long micros = seconds.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
                return toTimestamp(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L));
            }
            catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("expected epoch seconds or an ISO-8601 time, got '" + text + "'");
            }
        }
        try {
            Instant instant = Instant.parse(trimmed);
            return Timestamp.from(instant);
        }
        catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected epoch seconds or an ISO-8601 time, got '" + text + "'");
        }
    }

    private static Timestamp toTimestamp(long epochSeconds, long micros)
    {
        Timestamp timestamp = new Timestamp(epochSeconds * 1000L);
        timestamp.setNanos((int) (micros * 1000L));
        return timestamp;
    }
}
