package io.dragnet.cli;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class TestMain
{
    @Test
    void helpListsEverySubcommandAndExitsZero()
    {
        CommandRun result = CommandRun.of("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("demo", "rules", "nids", "daily", "opensearch", "access", "cost", "export");
    }

    @Test
    void missingSubcommandIsAUsageError()
    {
        CommandRun result = CommandRun.of();
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("missing subcommand");
    }

    @Test
    void unknownOptionIsAUsageError()
    {
        CommandRun result = CommandRun.of("--no-such-option");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--no-such-option");
    }

    @Test
    void exportLogNeedsNoExportOptionsAndAnExportNeedsThemAll(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home)
    {
        CommandRun log = CommandRun.of("export", "log", "--home", home.toString());
        assertThat(log.exitCode()).as(log.err()).isZero();
        assertThat(log.out()).contains("0 export(s)");

        CommandRun export = CommandRun.of("export", "--home", home.toString(), "--date", "2018-11-02", "--recipient", "soc", "--format", "stix");
        assertThat(export.exitCode()).isEqualTo(2);
        assertThat(export.err()).contains("missing option --out");
    }
}
