package io.dragnet.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.nids.LocalKafkaBroker;
import io.dragnet.opensearch.LocalOpenSearchNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small {@code dragnet demo} on real engines: few sessions, two rules, the sample Zeek slice. Checks the whole
 * spine and that the demo stops everything it started.
 */
@Tag("integration")
class TestDemoEndToEnd
{
    private static final Path REPOSITORY = Path.of(System.getProperty("dragnet.repo.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path temp;

    @Test
    void smallDemoProducesVerdictsIndexedHitsEnforcedAccessSummariesAndLedgerAndStopsItsEngines()
            throws IOException
    {
        // the OpenSearch node runs unprivileged and must be able to reach its folder under the home
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        Path home = temp.resolve("home");
        Path rules = temp.resolve("rules");
        Files.createDirectories(rules);
        for (String rule : List.of("c2-feodo-ip-sweep.yaml", "web-checkip-lookups.yaml")) {
            Files.copy(REPOSITORY.resolve("samples/rules").resolve(rule), rules.resolve(rule));
        }
        copyTree(REPOSITORY.resolve("samples/iocs"), temp.resolve("iocs"));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(new String[] {"demo", "--home", home.toString(), "--sessions", "1500", "--rules", rules.toString(),
                "--zeek", REPOSITORY.resolve("samples/zeek").toString()}, new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(exitCode).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();
        DragnetHome dragnetHome = new DragnetHome(home);
        Path verdicts = dragnetHome.lake().resolve("nids_verdicts/dt=2018-11-02");
        try (Stream<Path> files = Files.list(verdicts)) {
            assertThat(files.filter(file -> file.getFileName().toString().endsWith(".parquet"))).isNotEmpty();
        }

        String c2Researchers = tableRow(out.toString(), "c2-researchers");
        String[] c2Columns = c2Researchers.split(" {2,}");
        assertThat(Long.parseLong(c2Columns[1])).as("c2 hits visible to c2-researchers: %s", c2Researchers).isPositive();
        assertThat(tableRow(out.toString(), "web-researchers").split(" {2,}")[1]).isEqualTo("denied (403)");
        assertThat(tableRow(out.toString(), "cost-owners").split(" {2,}")[5]).isEqualTo("1");

        assertThat(dragnetHome.results().resolve("summaries/dt=2018-11-02/c2/c2-feodo-ip-sweep.csv")).isRegularFile();
        assertThat(dragnetHome.results().resolve("ledger/ledger.csv")).isRegularFile();

        assertThat(LocalOpenSearchNode.status(dragnetHome)).startsWith("stopped");
        assertThat(LocalKafkaBroker.status(dragnetHome)).isEmpty();
        assertThat(processesMentioning(home)).as("processes left running").isEmpty();
    }

    private static String tableRow(String output, String group)
    {
        Optional<String> row = Arrays.stream(output.split("\n")).filter(line -> line.startsWith(group + " ")).findFirst();
        assertThat(row).as("access table row for %s in:%n%s", group, output).isPresent();
        return row.get();
    }

    private static List<String> processesMentioning(Path home)
    {
        String marker = home.toString();
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .map(process -> process.pid() + " " + process.info().commandLine().orElse(""))
                .toList();
    }

    private static void copyTree(Path from, Path to)
            throws IOException
    {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                }
                else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
