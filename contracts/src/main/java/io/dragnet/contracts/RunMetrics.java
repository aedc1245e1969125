package io.dragnet.contracts;

import java.util.List;
import java.util.Map;

/**
 * What one extraction job did, written by spark-jobs to {@link JobSpec.Outputs#metrics()} and read by the cost ledger.
 *
 * @param matchedPerRule rule id → matched rows
 * @param stages per-stage durations and record counts, in execution order
 */
public record RunMetrics(
        String runId,
        String date,
        String source,
        long recordsRead,
        long recordsRejected,
        long recordsMatched,
        long bytesRead,
        Map<String, Long> matchedPerRule,
        Map<String, Long> documentsPerIndex,
        List<Stage> stages,
        long durationMillis)
{
    public RunMetrics
    {
        matchedPerRule = matchedPerRule == null ? Map.of() : Map.copyOf(matchedPerRule);
        documentsPerIndex = documentsPerIndex == null ? Map.of() : Map.copyOf(documentsPerIndex);
        stages = stages == null ? List.of() : List.copyOf(stages);
    }

    public record Stage(String name, long durationMillis, long records) {}
}
