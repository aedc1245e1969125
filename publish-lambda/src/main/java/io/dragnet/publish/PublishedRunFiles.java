package io.dragnet.publish;

import io.dragnet.contracts.Json;
import io.dragnet.contracts.PublishedRuns;
import io.dragnet.contracts.RunFolders;
import io.dragnet.storage.ObjectStore;
import io.dragnet.storage.StoredObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The files side of Publish. Every run writes its files of a day into its own folders
 * ({@code <results>/<kind>/dt=<day>/run=<run>/}, {@link RunFolders}); Publish records which runs are the
 * day's published ones ({@link PublishedRuns}, written whole at {@code <results>/published/dt=<day>.json}) and then
 * deletes the run folders of runs that no record names, of any day, that were last written before this run's first
 * file — what killed or failed runs left. A later run's folders, still being written, stay.
 */
public final class PublishedRunFiles
{
    private final ObjectStore store;
    private final String results;

    public PublishedRunFiles(ObjectStore store, String results)
    {
        this.store = requireNonNull(store, "store is null");
        requireNonNull(results, "results is null");
        this.results = results.endsWith("/") ? results.substring(0, results.length() - 1) : results;
    }

    /** Records a daily run as the day's only published run. */
    public PublishedRuns publish(LocalDate day, String runId)
    {
        return write(PublishedRuns.ofRun(day.toString(), runId));
    }

    /** Records a backfill as the day's run for {@code rules}, beside the day's other published runs. */
    public PublishedRuns publishBackfill(LocalDate day, String runId, Collection<String> rules)
    {
        PublishedRuns current = read(day.toString()).orElse(new PublishedRuns(day.toString(), List.of()));
        return write(current.withBackfill(runId, rules));
    }

    public Optional<PublishedRuns> read(String date)
    {
        String location = PublishedRuns.location(results, date);
        return store.readIfPresent(location).map(bytes -> PublishedRuns.parse(bytes, location));
    }

    private PublishedRuns write(PublishedRuns record)
    {
        store.write(PublishedRuns.location(results, record.date()), Json.write(record).getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /**
     * Deletes the run folders no day's record names and that were last written before {@code runId}'s first file
     * (or before {@code publishing} when the run wrote none).
     *
     * @return the deleted folders, relative to the results location, sorted
     */
    public List<String> sweepUnpublished(String runId, Instant publishing)
    {
        Map<String, Instant> newestByFolder = new TreeMap<>();
        Instant oldestOfThisRun = publishing;
        for (String kind : RunFolders.PUBLISHED_KINDS) {
            String root = results + "/" + kind + "/";
            for (StoredObject object : store.listWritten(root)) {
                String[] parts = object.location().substring(root.length()).split("/");
                String run = parts.length > 2 && RunFolders.dateOf(parts[0]) != null ? RunFolders.runIdOf(parts[1]) : null;
                if (run == null) {
                    continue;
                }
                if (run.equals(runId)) {
                    oldestOfThisRun = object.lastModified().isBefore(oldestOfThisRun) ? object.lastModified() : oldestOfThisRun;
                }
                else {
                    newestByFolder.merge(kind + "/" + parts[0] + "/" + parts[1], object.lastModified(), (a, b) -> a.isAfter(b) ? a : b);
                }
            }
        }
        Map<String, Optional<PublishedRuns>> records = new HashMap<>();
        Instant cutoff = oldestOfThisRun;
        List<String> debris = newestByFolder.entrySet().stream()
                .filter(entry -> entry.getValue().isBefore(cutoff))
                .map(Map.Entry::getKey)
                .filter(folder -> {
                    String[] parts = folder.split("/");
                    Optional<PublishedRuns> record = records.computeIfAbsent(RunFolders.dateOf(parts[1]), this::read);
                    return record.flatMap(published -> published.contribution(RunFolders.runIdOf(parts[2]))).isEmpty();
                })
                .toList();
        debris.forEach(folder -> store.deleteAll(results + "/" + folder));
        return debris;
    }
}
