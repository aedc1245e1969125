package io.dragnet.sparkjobs.lake;

import io.dragnet.contracts.JobSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What {@link ZeekLakeImporter} did.
 *
 * @param partitions one per (source, day) written, sorted by source then day
 * @param rejectedLines data lines not imported, each as {@code file:line: reason} (at most {@link #SHOWN_REJECTS})
 * @param rejected how many data lines were not imported
 * @param outsideRange data lines whose day is outside the requested days
 * @param declared sources that no catalog knew, with the schema taken from the logs themselves
 * @param skippedFiles files in the folder that are not Zeek logs (by name), or not of the requested sources
 * @param failedFiles files that could not be imported at all, each as {@code file:line: reason}; nothing of them was written
 */
public record ImportSummary(
        List<Partition> partitions,
        List<String> rejectedLines,
        long rejected,
        long outsideRange,
        List<DeclaredSource> declared,
        List<String> skippedFiles,
        List<String> failedFiles)
{
    public static final int SHOWN_REJECTS = 50;

    public ImportSummary
    {
        partitions = List.copyOf(partitions);
        rejectedLines = List.copyOf(rejectedLines);
        declared = List.copyOf(declared);
        skippedFiles = List.copyOf(skippedFiles);
        failedFiles = List.copyOf(failedFiles);
    }

    /** Several imports' summaries as one: partitions of the same source and day added up, the rest listed in order. */
    public static ImportSummary merge(List<ImportSummary> summaries)
    {
        Map<List<String>, Partition> partitions = new TreeMap<>(Comparator.comparing((List<String> key) -> key.get(0)).thenComparing(key -> key.get(1)));
        List<String> rejectedLines = new ArrayList<>();
        long rejected = 0;
        long outside = 0;
        Map<String, DeclaredSource> declared = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (ImportSummary summary : summaries) {
            for (Partition partition : summary.partitions()) {
                partitions.merge(List.of(partition.source(), partition.day()), partition,
                        (a, b) -> new Partition(a.source(), a.day(), a.records() + b.records(), a.files() + b.files()));
            }
            summary.rejectedLines().stream().limit(Math.max(0, SHOWN_REJECTS - rejectedLines.size())).forEach(rejectedLines::add);
            rejected += summary.rejected();
            outside += summary.outsideRange();
            summary.declared().forEach(source -> declared.putIfAbsent(source.name(), source));
            skipped.addAll(summary.skippedFiles());
            failed.addAll(summary.failedFiles());
        }
        return new ImportSummary(List.copyOf(partitions.values()), rejectedLines, rejected, outside, List.copyOf(declared.values()), skipped, failed);
    }

    public long records()
    {
        return partitions.stream().mapToLong(Partition::records).sum();
    }

    /** True when every data line of every log was imported (or lay outside the requested days). */
    public boolean complete()
    {
        return rejected == 0 && failedFiles.isEmpty();
    }

    /**
     * @param records records of this import in the day (from the files imported now; other files' parts stay)
     * @param files input files that contributed
     */
    public record Partition(String source, String day, long records, int files)
    {
        public Partition
        {
            requireNonNull(source, "source is null");
            requireNonNull(day, "day is null");
        }
    }

    /**
     * @param origin where the schema came from, such as {@code #fields/#types of weird.log}
     * @param format zeek_tsv or zeek_json, as the logs were written
     */
    public record DeclaredSource(String name, String origin, String format, List<JobSpec.FieldSpec> fields)
    {
        public DeclaredSource
        {
            requireNonNull(name, "name is null");
            requireNonNull(origin, "origin is null");
            requireNonNull(format, "format is null");
            fields = List.copyOf(fields);
        }
    }
}
