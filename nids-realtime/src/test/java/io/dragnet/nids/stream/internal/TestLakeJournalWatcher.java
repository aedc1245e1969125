package io.dragnet.nids.stream.internal;

import io.dragnet.nids.stream.StreamObserver;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The watcher of the scoring tasks' lake commits reports what is committed after it starts, each commit once. */
class TestLakeJournalWatcher
{
    private static final Configuration CONF = new Configuration();
    private static final String WRITER = "7a6b5c4d-3e2f-4c2b-9e8f-0b6c9f3e5d1a";

    @TempDir
    Path directory;

    @Test
    void reportsTheVerdictsAndDeadLettersCommittedSinceItStartedAcrossPartitions()
            throws InterruptedException
    {
        PartitionLake first = recover(0);
        PartitionLake second = recover(1);
        commit(first, 0, 5, 0);
        StreamObserver observer = new StreamObserver();
        LakeJournalWatcher watcher = new LakeJournalWatcher(CONF, journals().toUri(), observer);
        try {
            commit(first, 5, 8, 2);
            commit(second, 0, 4, 1);
            assertThat(observer.awaitRecords(7, Duration.ofSeconds(30), watcher::isActive)).isTrue();
            commit(first, 8, 13, 0);
            assertThat(observer.awaitRecords(12, Duration.ofSeconds(30), watcher::isActive)).isTrue();
        }
        finally {
            watcher.stop();
        }

        StreamObserver.Snapshot seen = observer.snapshot();
        assertThat(seen.verdicts()).isEqualTo(9);
        assertThat(seen.deadLetters()).isEqualTo(3);
        assertThat(seen.malicious()).isEqualTo(5);
        watcher.rethrowFailure();
    }

    @Test
    void reportsEachCommitAtTheTimeItsJournalWasWrittenNotWhenItLooked()
            throws IOException, InterruptedException
    {
        PartitionLake lake = recover(2);
        StreamObserver observer = new StreamObserver();
        LakeJournalWatcher watcher = new LakeJournalWatcher(CONF, journals().toUri(), observer);
        try {
            // set far back: a watcher that stamped commits with its own clock could not report this time
            long written = System.currentTimeMillis() - 3_600_000;
            // the watcher polls under its own lock: holding it, the commit and its back-dating are seen together
            synchronized (watcher) {
                commit(lake, 0, 6, 1);
                Files.setLastModifiedTime(journals().resolve("p2").resolve(String.format("%019d.json", 5)), FileTime.fromMillis(written));
            }
            assertThat(observer.awaitRecords(6, Duration.ofSeconds(30), watcher::isActive)).isTrue();
            assertThat(observer.lastCommittedAtMs()).isEqualTo(written);
        }
        finally {
            watcher.stop();
        }
        assertThat(observer.snapshot().batches()).isEqualTo(1);
    }

    /** Verdicts at offsets {@code from … to - dead - 1} (the even ones malicious), dead letters after them, one commit. */
    private static void commit(PartitionLake lake, long from, long to, int dead)
    {
        for (long offset = from; offset < to - dead; offset++) {
            lake.verdict(offset, "2018-11-02", TestPartitionLake.row("s-" + offset, 0, offset % 2 == 0));
        }
        for (long offset = to - dead; offset < to; offset++) {
            lake.deadLetter(offset);
        }
        lake.commit();
    }

    private PartitionLake recover(int partition)
    {
        return PartitionLake.recover(CONF, directory.resolve("lake").toUri(), journals().toUri(), WRITER, partition);
    }

    private Path journals()
    {
        return directory.resolve("journals");
    }
}
