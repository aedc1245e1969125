package io.dragnet.contracts;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The {@code backfill} key of a daily-workflow execution input: run the rules folder over every day from {@code from}
 * to {@code to} (inclusive) in one execution and one cluster, optionally only over some sources. Shape in JSON:
 * {@code {"from": "2018-11-01", "to": "2018-11-30", "sources": ["zeek_ssl"]}} ({@code sources} optional, empty for every
 * source the rules read). The execution's {@code date} is then the day whose feed snapshots the rules read, so a new
 * indicator is searched for over past days. A backfill publishes only its own rules' hits into each day
 * ({@code IndexAliases#publishBackfill}); other rules' published documents are untouched.
 */
public record Backfill(LocalDate from, LocalDate to, List<String> sources)
{
    /** More days than this in one execution is refused: a run of the workflow has a six-hour limit. */
    public static final int MAX_DAYS = 366;

    public Backfill
    {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        sources = sources == null ? List.of() : List.copyOf(sources);
        if (to.isBefore(from)) {
            throw DragnetException.user("backfill 'to' " + to + " is before 'from' " + from + "; expected from <= to");
        }
        if (from.plusDays(MAX_DAYS).isBefore(to.plusDays(1))) {
            throw DragnetException.user("backfill from " + from + " to " + to + " spans more than " + MAX_DAYS + " days; split it into several backfills");
        }
    }

    /** Every day from {@code from} to {@code to}, in order. */
    public List<LocalDate> days()
    {
        return from.datesUntil(to.plusDays(1)).toList();
    }

    /** From the execution input's {@code backfill} value (a map); {@code where} names the input in errors. */
    public static Backfill fromInput(Object value, String where)
    {
        if (!(value instanceof Map<?, ?> map)) {
            throw DragnetException.user(where + " 'backfill' must be an object {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\", \"sources\": [...]}; found " + describe(value));
        }
        List<String> sources = new ArrayList<>();
        Object listed = map.get("sources");
        if (listed instanceof Collection<?> names) {
            names.forEach(name -> sources.add(String.valueOf(name)));
        }
        else if (listed != null) {
            throw DragnetException.user(where + " 'backfill.sources' must be a list of source names; found " + describe(listed));
        }
        return new Backfill(day(map.get("from"), where + " 'backfill.from'"), day(map.get("to"), where + " 'backfill.to'"), sources);
    }

    private static LocalDate day(Object value, String where)
    {
        if (value == null) {
            throw DragnetException.user(where + " is missing; expected YYYY-MM-DD");
        }
        try {
            return LocalDate.parse(value.toString());
        }
        catch (DateTimeParseException e) {
            throw DragnetException.user(where + " is '" + value + "'; expected YYYY-MM-DD");
        }
    }

    private static String describe(Object value)
    {
        return value == null ? "nothing" : value.getClass().getSimpleName();
    }
}
