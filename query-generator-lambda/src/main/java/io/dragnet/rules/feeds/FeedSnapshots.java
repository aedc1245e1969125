package io.dragnet.rules.feeds;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.rules.Locations;
import io.dragnet.storage.ObjectStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The dated, immutable snapshots of fetched feeds under one folder (local or S3):
 * {@code <root>/<feed>/dt=<yyyy-MM-dd>/<HHmmss.SSS>Z.<ext>}, each written once and never changed, plus
 * {@code <root>/<feed>/state.json} with the validators of the latest download (ETag, Last-Modified) and when it was
 * last checked. A rule names a feed as {@code feed:<name>} and reads the latest snapshot fetched on or before its
 * run's day, so a past day re-run reads what that day read.
 */
public final class FeedSnapshots
{
    /** The prefix of an IoC file path that names a fetched feed instead of a file. */
    public static final String REFERENCE_PREFIX = "feed:";
    /** The folder of a feed folder that holds the snapshots {@code feed:<name>} references read. */
    public static final String SNAPSHOTS_FOLDER = "snapshots";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss.SSS").withZone(ZoneOffset.UTC);

    /**
     * @param etag the server's ETag of the snapshot's content, or null
     * @param lastModified the server's Last-Modified of it, or null
     * @param snapshot the location of the latest snapshot
     * @param fetchedAt when that snapshot was downloaded
     * @param checkedAt when the server was last asked (a 304 moves it, not the snapshot)
     */
    public record State(String etag, String lastModified, String snapshot, String fetchedAt, String checkedAt) {}

    private final ObjectStore store;
    private final String root;

    public FeedSnapshots(ObjectStore store, String root)
    {
        this.store = requireNonNull(store, "store is null");
        this.root = Locations.trimSlash(requireNonNull(root, "root is null"));
    }

    public String root()
    {
        return root;
    }

    public Optional<State> state(String feed)
    {
        return store.readIfPresent(stateLocation(feed)).map(content -> {
            try {
                return Json.mapper().readValue(content, State.class);
            }
            catch (IOException e) {
                throw DragnetException.user(stateLocation(feed) + " is not a feed state ({etag, lastModified, snapshot, fetchedAt, checkedAt}): " + e.getMessage());
            }
        });
    }

    /** Writes a new snapshot (the object store writes atomically), then the state naming it. */
    public String keep(Feed feed, byte[] content, String etag, String lastModified, Instant fetchedAt)
    {
        String location = Locations.join(root, feed.name(), "dt=" + LocalDate.ofInstant(fetchedAt, ZoneOffset.UTC),
                TIME.format(fetchedAt) + "Z." + feed.format().extension());
        if (store.exists(location)) {
            throw new IllegalStateException("snapshot " + location + " exists; snapshots are never rewritten");
        }
        store.write(location, content);
        writeState(feed.name(), new State(etag, lastModified, location, fetchedAt.toString(), fetchedAt.toString()));
        return location;
    }

    /** The content of a snapshot this folder holds. */
    public Optional<byte[]> content(String snapshot)
    {
        return snapshot.startsWith(root + "/") ? store.readIfPresent(snapshot) : Optional.empty();
    }

    /** Records that the server was asked at {@code checkedAt} and the latest snapshot still stands. */
    public void checked(String feed, State state, Instant checkedAt)
    {
        writeState(feed, new State(state.etag(), state.lastModified(), state.snapshot(), state.fetchedAt(), checkedAt.toString()));
    }

    /** The latest snapshot of a feed fetched on or before {@code day} (UTC), if any. */
    public Optional<String> forDay(String feed, LocalDate day)
    {
        String prefix = Locations.join(root, feed) + "/dt=";
        return store.list(Locations.join(root, feed)).stream()
                .filter(location -> location.startsWith(prefix) && !location.endsWith(".json.tmp"))
                .filter(location -> LocalDate.parse(location.substring(prefix.length(), prefix.length() + 10)).compareTo(day) <= 0)
                .max(Comparator.naturalOrder());
    }

    private String stateLocation(String feed)
    {
        return Locations.join(root, feed, "state.json");
    }

    private void writeState(String feed, State state)
    {
        store.write(stateLocation(feed), (Json.write(state) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
