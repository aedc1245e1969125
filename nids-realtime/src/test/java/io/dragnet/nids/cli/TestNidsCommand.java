package io.dragnet.nids.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class TestNidsCommand
{
    @Test
    void listsItsSubcommandsAndRejectsAMissingOne()
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new NidsCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .setExecutionExceptionHandler((exception, line, parse) -> {
                    line.getErr().println(exception.getMessage());
                    return exception instanceof io.dragnet.contracts.DragnetException dragnet ? dragnet.exitCode() : 1;
                });
        assertThat(commandLine.getSubcommands().keySet()).containsExactly("train", "evaluate", "replay", "stream", "bench", "bench-scorer", "compact", "broker");
        assertThat(commandLine.getSubcommands().get("broker").getSubcommands().keySet()).containsExactlyInAnyOrder("start", "stop", "status");
        assertThat(commandLine.execute()).isEqualTo(2);
        assertThat(err.toString()).contains("missing subcommand");
        assertThat(commandLine.execute("bench", "--rates", "1,max", "--seconds", "x")).isEqualTo(2);
        assertThat(commandLine.execute("stream", "--mode", "FASTEST")).isEqualTo(2);
        assertThat(err.toString()).contains("--mode", "LOW_LATENCY", "MICRO_BATCH");
        assertThat(commandLine.execute("train", "--features", "every")).isEqualTo(2);
        assertThat(err.toString()).contains("--features", "expected all or reproducible, got 'every'");
        assertThat(commandLine.execute("bench", "--lake", "kafka")).isEqualTo(2);
        assertThat(err.toString()).contains("--lake", "expected scorer or topic, got 'kafka'");
        assertThat(commandLine.execute("bench", "--pipeline", "identity")).isEqualTo(2);
        assertThat(err.toString()).contains("--pipeline", "expected nids or passthrough, got 'identity'");
        assertThat(commandLine.execute("bench", "--pipeline", "passthrough", "--mode", "MICRO_BATCH")).isEqualTo(2);
        assertThat(err.toString()).contains("the passthrough baseline runs in LOW_LATENCY mode only");
        assertThat(commandLine.execute("bench-scorer", "--rounds", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--rounds");
        assertThat(commandLine.execute("bench", "--help")).isZero();
        assertThat(out.toString()).contains("--rates", "1,10,100,1000,10000,100000,max", "--lake", "default scorer");
    }
}
