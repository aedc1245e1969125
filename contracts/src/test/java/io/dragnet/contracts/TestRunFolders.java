package io.dragnet.contracts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestRunFolders
{
    private final RunFolders run = new RunFolders("s3://bucket/results/", "2018-11-02", "20181102T010000-abc");

    @Test
    void spellsEachKindOfARunsFolders()
    {
        assertThat(run.folder(RunFolders.SUMMARIES, false)).isEqualTo("s3://bucket/results/summaries/dt=2018-11-02/run=20181102T010000-abc");
        assertThat(run.sourceFolder(RunFolders.DOCUMENTS, true, "zeek_conn"))
                .isEqualTo("s3://bucket/results/sandbox/documents/dt=2018-11-02/run=20181102T010000-abc/zeek_conn");
        assertThat(run.metrics("zeek_conn.metrics.json")).isEqualTo("s3://bucket/results/runs/dt=2018-11-02/run=20181102T010000-abc/zeek_conn.metrics.json");
        assertThat(new RunFolders("/home/me/results", "2018-11-02", "r1").folder(RunFolders.AGGREGATES, false))
                .isEqualTo("/home/me/results/aggregates/dt=2018-11-02/run=r1");
        assertThat(RunFolders.relative(RunFolders.RUNS, "2018-11-02", "r1")).isEqualTo("runs/dt=2018-11-02/run=r1");
    }

    @Test
    void readsDaysAndRunIdsBackFromFolderNames()
    {
        assertThat(RunFolders.dateOf(RunFolders.dayFolder("2018-11-02"))).isEqualTo("2018-11-02");
        assertThat(RunFolders.runIdOf(RunFolders.runFolder("20181102T010000-abc"))).isEqualTo("20181102T010000-abc");
        assertThat(RunFolders.runIdOf("zeek_conn")).isNull();
        assertThat(RunFolders.runIdOf("run=")).isNull();
        assertThat(RunFolders.dateOf("dt=")).isNull();
        assertThat(RunFolders.dateOf("_staging")).isNull();
    }
}
