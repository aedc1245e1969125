package io.dragnet.nids;

import io.dragnet.nids.model.ClassificationMetrics;
import io.dragnet.nids.stream.LatencySummary;
import io.dragnet.nids.stream.StreamObserver;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What one {@link NidsPipeline#runDay} did: sessions sent, verdicts written (of which malicious), dead letters,
 * end-to-end throughput (first send → last batch committed) and latency percentiles per stage (see
 * {@link StreamObserver#STAGES}), where the verdicts are and which model scored them, and how the written verdicts
 * compare with the truth of the derived sessions (the label of the UNSW-NB15 row each was derived from).
 */
public record NidsDayResult(
        LocalDate day,
        long sessions,
        long verdicts,
        long malicious,
        long deadLetters,
        double sessionsPerSecond,
        Map<String, LatencySummary> latencies,
        String modelVersion,
        Path verdictsDirectory,
        ClassificationMetrics againstTruth)
{
    public NidsDayResult
    {
        requireNonNull(day, "day is null");
        latencies = Map.copyOf(latencies);
        requireNonNull(modelVersion, "modelVersion is null");
        requireNonNull(verdictsDirectory, "verdictsDirectory is null");
        requireNonNull(againstTruth, "againstTruth is null");
    }

    public LatencySummary endToEnd()
    {
        return latencies.get("end_to_end");
    }

    public Map<String, Object> toMap()
    {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("day", day.toString());
        map.put("sessions", sessions);
        map.put("verdicts", verdicts);
        map.put("malicious", malicious);
        map.put("dead_letters", deadLetters);
        map.put("sessions_per_second", sessionsPerSecond);
        Map<String, Object> stages = new LinkedHashMap<>();
        for (String stage : StreamObserver.STAGES) {
            if (latencies.containsKey(stage)) {
                stages.put(stage, latencies.get(stage).toMap());
            }
        }
        map.put("latency", stages);
        map.put("model_version", modelVersion);
        map.put("verdicts_directory", verdictsDirectory.toString());
        map.put("against_truth", againstTruth.toMap());
        return map;
    }
}
