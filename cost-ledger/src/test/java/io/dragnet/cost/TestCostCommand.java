package io.dragnet.cost;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TestCostCommand
{
    @TempDir
    Path results;

    @Test
    void runsPrintsTheTableWithStillRunningFlaggedLoudly()
    {
        SampleLedger.write(results);

        Result result = run("runs", "--results", results.toString(), "--from", "2018-11-03", "--to", "2018-11-05");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("run-20181103", "run-20181103-retry", "run-20181104", "run-20181105")
                .doesNotContain("run-20181101 ", "run-20181102 ")
                .contains("STILL RUNNING!")
                .contains("!! 1 run(s) recorded while the cluster was STILL RUNNING")
                .contains("FAILED");
        // the interrupted run shows its interruption in the interrupts column
        String interrupted = result.out().lines().filter(line -> line.startsWith("2018-11-03  run-20181103 ")).findFirst().orElseThrow();
        assertThat(interrupted).contains("CORE 2×m5.xlarge spot + 2×m5a.xlarge spot");
    }

    @Test
    void reportWritesOneSelfContainedPage()
            throws IOException
    {
        SampleLedger.write(results);
        Path page = results.resolve("report.html");

        Result result = run("report", "--results", results.toString(), "--from", "2018-11-01", "--to", "2018-11-05", "--out", page.toString());

        assertThat(result.exitCode()).isZero();
        String html = Files.readString(page);
        assertThat(html).contains("<canvas id=\"chart-daily-cost\"", "<canvas id=\"chart-spot-savings\"", "<canvas id=\"chart-cost-per-million\"")
                .contains("class=\"still-running\"", "STILL RUNNING", "id=\"still-running-alert\"")
                .contains("\"days\":[\"2018-11-01\",\"2018-11-02\",\"2018-11-03\",\"2018-11-04\",\"2018-11-05\"]")
                .contains("Chart.js v4.4.1")
                .doesNotContain("src=\"http", "href=\"http", "cdn.");
    }

    @Test
    void badDatesAreUsageErrors()
    {
        assertThat(run("runs", "--results", results.toString(), "--from", "2018-13-01").exitCode()).isEqualTo(2);
        assertThat(run("report", "--results", results.toString(), "--from", "2018-11-05", "--to", "2018-11-01").exitCode()).isEqualTo(2);
    }

    private static Result run(String... args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new CostCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .setExecutionExceptionHandler((exception, line, parse) -> {
                    line.getErr().println(exception.getMessage());
                    return exception instanceof io.dragnet.contracts.DragnetException dragnet ? dragnet.exitCode() : 1;
                });
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {}
}
