package io.dragnet.cost;

import io.dragnet.cost.report.HtmlReport;
import io.dragnet.storage.FileTrees;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opens the cost report in a real headless Chromium (Debian's /usr/bin/chromium; .ci/run installs it) with networking
 * features off, checks the three charts drew pixels and no script error occurred, and takes a screenshot into
 * {@code target/cost-report.png}. Skipped, with a message, when Chromium is not installed.
 */
@Tag("integration")
class TestHtmlReportInChromium
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @TempDir
    static Path results;

    private static Path page;

    @BeforeAll
    static void writeReport()
            throws IOException
    {
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println("SKIPPED TestHtmlReportInChromium: " + CHROMIUM + " is not installed (apt-get install -y chromium)");
        }
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is not installed (apt-get install -y chromium); browser test skipped");
        page = TARGET.resolve("cost-report.html");
        Files.createDirectories(TARGET);
        Files.writeString(page, HtmlReport.render(SampleLedger.write(results), "2018-11-01", "2018-11-05"), StandardCharsets.UTF_8);
    }

    @Test
    void chartsRenderWithoutScriptErrors()
            throws Exception
    {
        Run run = chromium("--dump-dom", page.toUri().toString());

        assertThat(run.exitCode()).as("chromium exit code; stderr:\n%s", run.stderr()).isZero();
        String dom = run.stdout();
        Matcher body = Pattern.compile("<body[^>]*>").matcher(dom);
        assertThat(body.find()).as("a <body> in the dumped DOM").isTrue();
        assertThat(body.group()).as("body attributes set by the page script").contains("data-charts-rendered=\"3\"").doesNotContain("data-page-errors");
        assertThat(dom).contains("<ul id=\"page-errors\"></ul>");
        List<Integer> drawnPixels = new ArrayList<>();
        Matcher canvas = Pattern.compile("<canvas[^>]*data-drawn-pixels=\"(\\d+)\"[^>]*data-drawn-size=\"(\\d+)x(\\d+)\"").matcher(dom);
        while (canvas.find()) {
            drawnPixels.add(Integer.parseInt(canvas.group(1)));
            assertThat(Integer.parseInt(canvas.group(2))).as("canvas width").isGreaterThan(100);
            assertThat(Integer.parseInt(canvas.group(3))).as("canvas height").isGreaterThan(100);
        }
        assertThat(drawnPixels).hasSize(3).allSatisfy(pixels -> assertThat(pixels).isGreaterThan(1000));
        assertThat(dom).contains("STILL RUNNING");
        // console messages reach stderr with --enable-logging=stderr; an uncaught error or console.error would show there
        assertThat(run.stderr().lines().filter(line -> line.contains("CONSOLE") && (line.contains("Uncaught") || line.contains("Error"))).toList()).isEmpty();
    }

    @Test
    void screenshotIsTaken()
            throws Exception
    {
        Path screenshot = TARGET.resolve("cost-report.png");
        Files.deleteIfExists(screenshot);

        Run run = chromium("--screenshot=" + screenshot, "--window-size=1280,1400", page.toUri().toString());

        assertThat(run.exitCode()).as("chromium exit code; stderr:\n%s", run.stderr()).isZero();
        assertThat(screenshot).exists();
        byte[] png = Files.readAllBytes(screenshot);
        assertThat(png.length).isGreaterThan(20_000);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        System.out.println("screenshot of the cost report: " + screenshot);
    }

    private static Run chromium(String... arguments)
            throws IOException, InterruptedException
    {
        Path profile = Files.createTempDirectory("dragnet-chromium-");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000"));
        command.addAll(List.of(arguments));
        Path stdout = Files.createTempFile("chromium", ".out");
        Path stderr = Files.createTempFile("chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("chromium did not finish in 90 s: " + command + "\n" + Files.readString(stderr));
            }
            return new Run(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        }
        finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            FileTrees.deleteRecursively(profile);
        }
    }

    private record Run(int exitCode, String stdout, String stderr) {}
}
