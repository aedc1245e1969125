package io.dragnet.nids.stream.internal;

import io.dragnet.nids.stream.LowLatencyVerdictStream;
import io.dragnet.nids.stream.StreamObserver;
import org.apache.hadoop.conf.Configuration;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Reports to a {@link StreamObserver} what the scoring tasks commit to the lake themselves, from their journals: every
 * {@value #POLL_MILLIS} ms it lists the newest journal of each partition and reads only one it has not seen, reporting
 * its counts (the journals keep no stamps) at the time the journal was written (its modification time on the file
 * system), so how often it looks does not move the commit times it reports. What was committed before the watcher
 * started is not reported. Runs on its own thread until stopped.
 */
public final class LakeJournalWatcher
        implements LowLatencyVerdictStream.Lake
{
    static final long POLL_MILLIS = 200;

    private final Configuration conf;
    private final URI journalRoot;
    private final StreamObserver observer;
    private final Map<Integer, LakeJournal> reported = new HashMap<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    public LakeJournalWatcher(Configuration conf, URI journalRoot, StreamObserver observer)
    {
        this.conf = requireNonNull(conf, "conf is null");
        this.journalRoot = requireNonNull(journalRoot, "journalRoot is null");
        this.observer = requireNonNull(observer, "observer is null");
        PartitionLake.newestJournals(conf, journalRoot).forEach((partition, file) -> PartitionLake.readJournal(conf, file).ifPresent(journal -> reported.put(partition, journal)));
        this.thread = new Thread(this::run, "lake-journal-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public boolean isActive()
    {
        return thread.isAlive();
    }

    /** Throws what stopped the watcher, if reading the journals failed. */
    @Override
    public void rethrowFailure()
    {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void stop()
    {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        poll();
    }

    private void run()
    {
        try {
            while (!stopped) {
                poll();
                Thread.sleep(POLL_MILLIS);
            }
        }
        catch (InterruptedException e) {
            // stopped
        }
        catch (RuntimeException e) {
            failure = e;
        }
    }

    private synchronized void poll()
    {
        PartitionLake.newestJournals(conf, journalRoot).forEach((partition, file) -> {
            LakeJournal before = reported.getOrDefault(partition, LakeJournal.NONE);
            if (PartitionLake.lastOffsetOf(file) == before.lastOffset()) {
                return;
            }
            PartitionLake.readJournal(conf, file).ifPresent(journal -> {
                observer.onCommitted(file.getModificationTime(), journal.verdicts() - before.verdicts(), journal.malicious() - before.malicious(),
                        journal.deadLetters() - before.deadLetters());
                reported.put(partition, journal);
            });
        });
    }
}
