package io.dragnet.sparkjobs.lake;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What {@link ZeekLakeImporter} wrote.
 *
 * @param partitions one per (log, day), sorted by source then day
 * @param unparsedRows data rows whose time could not be read (not imported), with file:line and the reason
 */
public record ImportSummary(List<Partition> partitions, List<String> unparsedRows)
{
    public ImportSummary
    {
        partitions = List.copyOf(partitions);
        unparsedRows = List.copyOf(unparsedRows);
    }

    public long rows()
    {
        return partitions.stream().mapToLong(Partition::rows).sum();
    }

    /** @param changed false when the file already held exactly this content (a re-run) */
    public record Partition(String source, String day, Path file, long rows, boolean changed)
    {
        public Partition
        {
            requireNonNull(source, "source is null");
            requireNonNull(day, "day is null");
            requireNonNull(file, "file is null");
        }
    }
}
