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
        assertThat(result.out()).contains("demo", "rules", "nids", "daily", "opensearch", "access", "cost");
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

    private static Result run(String... args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {}
}
