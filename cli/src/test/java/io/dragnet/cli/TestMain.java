package io.dragnet.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class TestMain
{
    @Test
    void helpListsEverySubcommandAndExitsZero()
    {
        Result result = run("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("demo", "rules", "nids", "daily", "opensearch", "access", "cost", "export");
    }

    @Test
    void missingSubcommandIsAUsageError()
    {
        Result result = run();
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("missing subcommand");
    }

    @Test
    void unknownOptionIsAUsageError()
    {
        Result result = run("--no-such-option");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--no-such-option");
    }

    @Test
    void exportLogNeedsNoExportOptionsAndAnExportNeedsThemAll(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home)
    {
        Result log = run("export", "log", "--home", home.toString());
        assertThat(log.exitCode()).as(log.err()).isZero();
        assertThat(log.out()).contains("0 export(s)");

        Result export = run("export", "--home", home.toString(), "--date", "2018-11-02", "--recipient", "soc", "--format", "stix");
        assertThat(export.exitCode()).isEqualTo(2);
        assertThat(export.err()).contains("missing option --out");
    }

    private static Result run(String... args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {}
}
