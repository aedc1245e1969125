package io.dragnet.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.nids.kafka.LocalKafkaBroker;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.rules.Problem;
import io.dragnet.rules.internal.IocLoader;
import io.dragnet.rules.model.IocFileReference;
import io.dragnet.rules.model.IocKind;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.sharing.ExportTrail;
import io.dragnet.sharing.StixValidator;
import io.dragnet.storage.OwnerOnly;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
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
    private static final Path REPOSITORY = io.dragnet.storage.RepositoryPaths.root();

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
        io.dragnet.storage.FileTrees.copyRecursively(REPOSITORY.resolve("samples/iocs"), temp.resolve("iocs"));

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

        try (Stream<Path> runs = Files.list(dragnetHome.results().resolve("summaries/dt=2018-11-02"))) {
            assertThat(runs.toList()).singleElement().satisfies(run -> assertThat(run.resolve("c2/c2-feodo-ip-sweep.csv")).isRegularFile());
        }
        assertThat(dragnetHome.results().resolve("ledger/ledger.csv")).isRegularFile();
        // Lake, run results, staging, the trained model, the Kafka broker's log folders and logs, and the tokens and users
        // of the sign-in: the dragnet user's only.
        List<Path> written = new ArrayList<>();
        for (Path folder : List.of(dragnetHome.lake(), dragnetHome.results(), dragnetHome.work(), dragnetHome.models(), dragnetHome.engine(LocalKafkaBroker.ENGINE),
                home.resolve("tokens"), dragnetHome.engine("cognito-local"))) {
            assertThat(folder).as("written by the demo").isDirectory();
            try (Stream<Path> paths = Files.walk(folder)) {
                paths.forEach(written::add);
            }
        }
        assertThat(written).hasSizeGreaterThan(20);
        assertThat(written.stream().filter(path -> !ownerOnly(path)).map(path -> path + " " + mode(path)).toList())
                .as("files and folders readable or writable by group or others").isEmpty();

        assertThat(LocalOpenSearchNode.status(dragnetHome)).startsWith("stopped");
        assertThat(LocalKafkaBroker.status(dragnetHome)).isEmpty();

        try {
            assertPartnerExportIsValidAnonymizedAndRecorded(home, dragnetHome);
        }
        finally {
            LocalOpenSearchNode.stop(dragnetHome);
        }
        assertThat(processesMentioning(home)).as("processes left running").isEmpty();
    }

    /** What a SOC lead hands a partner, as STIX and as MISP: valid, no internal address of the day in clear, recorded in the trail. */
    private void assertPartnerExportIsValidAnonymizedAndRecorded(Path home, DragnetHome dragnetHome)
            throws IOException
    {
        // Every internal (RFC 1918) address of the sample day, read straight from the Zeek log, must be absent.
        List<String> internal;
        try (Stream<String> lines = Files.lines(REPOSITORY.resolve("samples/zeek/conn.log"))) {
            internal = lines.filter(line -> !line.startsWith("#")).flatMap(line -> Stream.of(line.split("\t")[2], line.split("\t")[4]))
                    .filter(address -> address.startsWith("10.") || address.startsWith("192.168.") || address.matches("172\\.(1[6-9]|2[0-9]|3[01])\\..*"))
                    .distinct().toList();
        }
        assertThat(internal).isNotEmpty();

        Path bundle = export(home, "stix", "partner.stix.json", 1);
        String text = Files.readString(bundle);
        assertThat(new StixValidator().violations(text)).isEmpty();
        assertThat(text).contains("\"type\" : \"sighting\"", "\"type\" : \"indicator\"");
        Path event = export(home, "misp", "partner.misp.json", 2);
        String misp = Files.readString(event);
        // valid as MISP means: dragnet's MISP loader reads the event back, with the indicators the STIX bundle carries
        List<Problem> problems = new ArrayList<>();
        IocLoader.Loaded reloaded = IocLoader.load(new IocFileReference(event.toString(), null, null, null,
                new SourcePosition("rule.yaml", 1, 1)), event.toString(), misp, IocKind.IP, LocalDate.parse("2018-11-02"), problems::add);
        assertThat(problems).isEmpty();
        assertThat(reloaded.entries()).isNotEmpty().allSatisfy(entry -> assertThat(text).contains("'" + entry.value() + "'"));
        for (String address : internal) {
            assertThat(text).as("internal address in clear in the STIX bundle").doesNotContainPattern("[^0-9.]" + address.replace(".", "\\.") + "[^0-9]");
            assertThat(misp).as("internal address in clear in the MISP event").doesNotContainPattern("[^0-9.]" + address.replace(".", "\\.") + "[^0-9]");
        }

        StringWriter log = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.run(new String[] {"export", "log", "--home", home.toString()}, new PrintWriter(log, true), new PrintWriter(err, true))).isZero();
        List<ExportTrail.Entry> trail = new ExportTrail(new io.dragnet.storage.ObjectFolder(new io.dragnet.storage.LocalObjectStore(), dragnetHome.results().resolve("exports/trail").toString())).read();
        assertThat(trail).extracting(ExportTrail.Entry::recipient, ExportTrail.Entry::format)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("partner-cert", "stix"), org.assertj.core.groups.Tuple.tuple("partner-cert", "misp"));
        assertThat(trail.get(0).sha256()).isEqualTo(java.util.HexFormat.of().formatHex(sha256(Files.readAllBytes(bundle))));
        assertThat(trail.get(1).sha256()).isEqualTo(java.util.HexFormat.of().formatHex(sha256(Files.readAllBytes(event))));
        assertThat(log.toString()).contains("partner-cert", trail.get(0).sha256().substring(0, 16), trail.get(1).sha256().substring(0, 16), "2 export(s)");
    }

    /** {@code dragnet export} of the demo day for partner-cert; {@code exports} is how many the trail index then holds. */
    private Path export(Path home, String format, String file, int exports)
    {
        Path out = temp.resolve(file);
        StringWriter stdout = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(new String[] {"export", "--home", home.toString(), "--date", "2018-11-02", "--recipient", "partner-cert", "--format", format,
                "--policy", REPOSITORY.resolve("samples/sharing.yaml").toString(), "--out", out.toString()}, new PrintWriter(stdout, true), new PrintWriter(err, true));
        assertThat(exitCode).as("export exit code; stdout:%n%s%nstderr:%n%s", stdout, err).isZero();
        assertThat(stdout.toString()).contains("trail index dragnet_export_trail holds " + exports + " export(s)");
        return out;
    }

    private static byte[] sha256(byte[] bytes)
    {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    private static boolean ownerOnly(Path path)
    {
        try {
            return OwnerOnly.isOwnerOnly(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String mode(Path path)
    {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
