package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestCommitManifest
{
    private static final CommitManifest MANIFEST = new CommitManifest("_attempt-00ff", List.of(
            new CommitManifest.DataFile("part-00000.snappy.parquet", 1234),
            new CommitManifest.DataFile("part-00001.snappy.parquet", 0)));

    @Test
    void rendersStableJsonAndParsesItBack()
    {
        assertThat(MANIFEST.render()).isEqualTo("""
                {
                  "attempt" : "_attempt-00ff",
                  "files" : [ {
                    "name" : "part-00000.snappy.parquet",
                    "size" : 1234
                  }, {
                    "name" : "part-00001.snappy.parquet",
                    "size" : 0
                  } ]
                }
                """);
        assertThat(CommitManifest.parse(MANIFEST.render(), "s3a://b/out/_DRAGNET_COMMIT")).isEqualTo(MANIFEST);
    }

    @Test
    void unreadableManifestIsAnExternalErrorNamingTheObject()
    {
        assertThatThrownBy(() -> CommitManifest.parse("{\"attempt\": \"../elsewhere\", \"files\": []}", "s3a://b/out/_DRAGNET_COMMIT"))
                .isInstanceOfSatisfying(DragnetException.class, e -> assertThat(e.category()).isEqualTo(DragnetException.Category.EXTERNAL))
                .hasMessageContaining("s3a://b/out/_DRAGNET_COMMIT")
                .hasMessageContaining("_attempt-");
        assertThatThrownBy(() -> CommitManifest.parse("{\"attempt\": \"_attempt-1\", \"files\": [], \"committedAt\": 1}", "m"))
                .isInstanceOf(DragnetException.class);
    }

    @Test
    void locationsAreTheFilesInsideTheAttempt()
    {
        assertThat(MANIFEST.locations("s3a://bucket/results/documents/dt=2018-11-02/zeek_conn")).containsExactly(
                "s3a://bucket/results/documents/dt=2018-11-02/zeek_conn/_attempt-00ff/part-00000.snappy.parquet",
                "s3a://bucket/results/documents/dt=2018-11-02/zeek_conn/_attempt-00ff/part-00001.snappy.parquet");
    }

    @Test
    void attemptIsNamedByTheFirst128BitsOfTheDigest()
    {
        byte[] digest = new byte[32];
        digest[0] = (byte) 0xab;
        digest[15] = 0x01;
        digest[16] = 0x7f;
        assertThat(CommitManifest.attemptName(digest)).isEqualTo("_attempt-ab000000000000000000000000000001");
        assertThatThrownBy(() -> CommitManifest.attemptName(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void committedFileNamesDropSparksJobIdAndKeepTheExtensions()
    {
        assertThat(CommitManifest.fileName(0, "part-00000-6f1c2c4e-9d1b-4b8e-a7a4-2f0c3c7d9e11-c000.snappy.parquet")).isEqualTo("part-00000.snappy.parquet");
        assertThat(CommitManifest.fileName(12, "part-00003-6f1c2c4e-c000.json")).isEqualTo("part-00012.json");
        assertThat(CommitManifest.fileName(1, "data")).isEqualTo("part-00001");
    }

    @Test
    void abandonedAttemptsAreEveryAttemptButTheCommittedOne()
    {
        List<String> names = List.of("part-00000-old.snappy.parquet", "_attempt-bb", CommitManifest.NAME, "_attempt-aa", "_SUCCESS");
        assertThat(CommitManifest.abandonedAttempts(names, "_attempt-aa")).containsExactly("_attempt-bb");
        assertThat(CommitManifest.abandonedAttempts(names, null)).as("nothing committed yet").containsExactly("_attempt-aa", "_attempt-bb");
    }

    @Test
    void obsoleteEntriesAreAllButTheManifestAndItsAttempt()
    {
        List<String> names = List.of("part-00000-old.snappy.parquet", "_attempt-bb", CommitManifest.NAME, "_attempt-00ff", "_SUCCESS", ".part-00000-old.crc");
        assertThat(MANIFEST.obsolete(names)).containsExactly(".part-00000-old.crc", "_SUCCESS", "_attempt-bb", "part-00000-old.snappy.parquet");
    }

    @Test
    void rejectsNamesThatLeaveTheOutputDirectory()
    {
        assertThatThrownBy(() -> new CommitManifest("_attempt-1/../x", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CommitManifest.DataFile("a/b", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CommitManifest.DataFile("a", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
