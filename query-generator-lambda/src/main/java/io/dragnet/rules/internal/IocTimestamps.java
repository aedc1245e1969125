package io.dragnet.rules.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The timestamps feeds write, read as instants so that every {@code first_seen} of an IoC table is ISO-8601 UTC:
 * epoch seconds (MISP {@code timestamp}), ISO-8601 with an offset or {@code Z} (STIX, MISP {@code first_seen}),
 * {@code YYYY-MM-DD HH:MM:SS} in UTC (abuse.ch {@code first_seen_utc}, {@code dateadded}) and {@code YYYY-MM-DD}
 * ({@code last_online}).
 */
final class IocTimestamps
{
    private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{9,11}");
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private IocTimestamps() {}

    static Optional<Instant> parse(String text)
    {
        String value = text.strip();
        if (EPOCH_SECONDS.matcher(value).matches()) {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.replace(' ', 'T')).toInstant());
        }
        catch (DateTimeParseException notOffset) {
            // the other forms below
        }
        try {
            return Optional.of(LocalDateTime.parse(value, SPACED).toInstant(ZoneOffset.UTC));
        }
        catch (DateTimeParseException notSpaced) {
            // the other forms below
        }
        try {
            return Optional.of(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
        }
        catch (DateTimeParseException notLocal) {
            // the other forms below
        }
        try {
            return Optional.of(LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }
}
