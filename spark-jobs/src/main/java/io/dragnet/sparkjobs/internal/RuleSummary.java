package io.dragnet.sparkjobs.internal;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one rule found in one job: hits, distinct sources and destinations, first and last time, top entities.
 *
 * @param firstTime null when there are no hits
 * @param topEntities at most 10, most hits first, ties by entity
 */
public record RuleSummary(
        String ruleId,
        String ruleName,
        String topic,
        String date,
        String source,
        long hits,
        long distinctSources,
        long distinctDestinations,
        Instant firstTime,
        Instant lastTime,
        List<EntityCount> topEntities)
{
    public static final int TOP = 10;

    public RuleSummary
    {
        requireNonNull(ruleId, "ruleId is null");
        topEntities = List.copyOf(topEntities);
    }

    public record EntityCount(String entity, long hits)
    {
        public EntityCount
        {
            requireNonNull(entity, "entity is null");
        }
    }

    public static RuleSummary empty(String ruleId, String ruleName, String topic, String date, String source)
    {
        return new RuleSummary(ruleId, ruleName, topic, date, source, 0, 0, 0, null, null, List.of());
    }
}
