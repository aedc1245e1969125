package io.dragnet.contracts;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The day a daily run processes, from the workflow input's {@code date}: a plain {@code YYYY-MM-DD} is that day; a
 * timestamp (what the EventBridge schedule passes: its scheduled time) means the last complete UTC day before it.
 * GenerateJobs resolves the day with it, and so does the ledger when it records a run the workflow could not record.
 */
public final class RunDay
{
    private RunDay() {}

    /** @param where names the input for the error, e.g. "GenerateJobs input" */
    public static LocalDate toProcess(String date, String where)
    {
        try {
            return LocalDate.parse(date);
        }
        catch (DateTimeParseException notADay) {
            try {
                return OffsetDateTime.parse(date).atZoneSameInstant(ZoneOffset.UTC).toLocalDate().minusDays(1);
            }
            catch (DateTimeParseException notATimestamp) {
                throw DragnetException.user(where + " 'date' is '" + date + "'; expected YYYY-MM-DD or an ISO-8601 timestamp such as 2026-11-22T02:30:00Z");
            }
        }
    }
}
