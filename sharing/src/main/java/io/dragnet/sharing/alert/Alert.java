package io.dragnet.sharing.alert;

import java.time.LocalDate;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A short summary of the hits of a day that are new against the day before, for one channel: what its recipient
 * may see, anonymized as for an export.
 *
 * @param newByRule rule id → number of new (rule, entity) pairs
 */
public record Alert(String channel, LocalDate day, String title, String text, Map<String, Integer> newByRule)
{
    public Alert
    {
        requireNonNull(channel, "channel is null");
        requireNonNull(day, "day is null");
        requireNonNull(title, "title is null");
        requireNonNull(text, "text is null");
        newByRule = Map.copyOf(newByRule);
    }

    public int newEntities()
    {
        return newByRule.values().stream().mapToInt(Integer::intValue).sum();
    }
}
