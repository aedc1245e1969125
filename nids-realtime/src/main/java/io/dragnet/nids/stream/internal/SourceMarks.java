package io.dragnet.nids.stream.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The highest sessions-topic offset already committed to the lake, per output kind (verdicts, dead letters) and source
 * partition. The low-latency scorer is at least once: after a restart it re-sends what followed its last checkpoint,
 * always in source offset order within a partition, so anything at or below the mark is a duplicate.
 */
public record SourceMarks(Map<String, Map<Integer, Long>> marks)
        implements java.io.Serializable
{
    public static final SourceMarks EMPTY = new SourceMarks(Map.of());

    public SourceMarks
    {
        requireNonNull(marks, "marks is null");
        Map<String, Map<Integer, Long>> copy = new TreeMap<>();
        marks.forEach((kind, byPartition) -> copy.put(kind, Map.copyOf(byPartition)));
        marks = Map.copyOf(copy);
    }

    /** The mark of a kind and partition, or -1 when nothing of it was committed. */
    public long mark(String kind, int partition)
    {
        return marks.getOrDefault(kind, Map.of()).getOrDefault(partition, -1L);
    }

    public boolean isNew(String kind, int partition, long offset)
    {
        return offset > mark(kind, partition);
    }

    /** These marks raised by the highest offsets of a batch. */
    public SourceMarks advance(Map<String, Map<Integer, Long>> batchMaxima)
    {
        Map<String, Map<Integer, Long>> next = new HashMap<>();
        marks.forEach((kind, byPartition) -> next.put(kind, new HashMap<>(byPartition)));
        batchMaxima.forEach((kind, byPartition) -> byPartition.forEach((partition, offset) ->
                next.computeIfAbsent(kind, ignored -> new HashMap<>()).merge(partition, offset, Math::max)));
        return new SourceMarks(next);
    }
}
