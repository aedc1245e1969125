package io.dragnet.sharing;

import io.dragnet.anonymization.SharingKeys;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.IndexNames;
import io.dragnet.opensearch.OpenSearchTarget;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.storage.ObjectFolder;
import io.dragnet.storage.ObjectStore;
import io.dragnet.storage.ObjectStores;
import org.opensearch.client.opensearch.OpenSearchClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Share findings with a recipient: a STIX 2.1 bundle, a MISP event or CSV, filtered and anonymized by the sharing policy, recorded in the export trail.",
        subcommands = ExportCommand.Log.class)
public final class ExportCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--date", description = "first day (YYYY-MM-DD)")
    private LocalDate from;

    @Option(names = "--to", description = "last day (default: --date)")
    private LocalDate to;

    @Option(names = "--topic", description = "topic to export (repeatable; default: every topic the recipient may receive)")
    private List<String> topics = new ArrayList<>();

    @Option(names = "--rules", arity = "1..*", description = "only these rule ids")
    private List<String> rules = new ArrayList<>();

    @Option(names = "--recipient", description = "recipient named in the sharing policy")
    private String recipient;

    @Option(names = "--format", description = "stix, misp or csv")
    private String format;

    @Option(names = "--out", description = "file to write (replaced atomically): a local path or an s3:// location")
    private String out;

    @Option(names = "--policy", defaultValue = "samples/sharing.yaml", description = "sharing policy (default: ${DEFAULT-VALUE})")
    private Path policy;

    @Option(names = "--key", description = "sharing key file (default: $DRAGNET_HOME/secrets/sharing.key, created owner-only on first use)")
    private Path key;

    @Option(names = "--trail", description = "export trail folder, a local path or an s3:// prefix (default: $DRAGNET_HOME/results/exports/trail)")
    private String trail;

    @Mixin
    private OpenSearchTarget target;

    @Option(names = "--home", description = "State folder (default: $DRAGNET_HOME or .dragnet)")
    private Path homeFolder;

    @Option(names = "--operator", description = "who makes the export, for the trail (default: the OS user)")
    private String operator = System.getProperty("user.name", "unknown");

    @Override
    public Integer call()
    {
        // Checked here rather than by picocli, which would also demand them of `export log`.
        require(from, "--date");
        require(recipient, "--recipient");
        require(format, "--format");
        require(out, "--out");
        ExportFormat exportFormat = ExportFormat.parse(format).orElseThrow(() -> DragnetException.user("--format '" + format + "'; expected stix, misp or csv"));
        SharingPolicy sharingPolicy = SharingPolicyParser.parse(policy);
        DragnetHome home = DragnetHome.fromOption(homeFolder);
        OpenSearchClient client = OpenSearchClients.create(target.resolve(home));
        ObjectStore files = ObjectStores.localAndS3(S3Client::create);
        try {
            ExportTrail exportTrail = trail(files, trail, home);
            Exporter exporter = new Exporter(sharingPolicy, SharingKeys.loadOrCreate(keyFile(home)), new OpenSearchHitSource(client), exportTrail, files, Clock.systemUTC());
            ExportTrail.Entry entry = exporter.export(new ExportRequest(from, to == null ? from : to, new LinkedHashSet<>(topics), rules, recipient, exportFormat, out, operator));
            PrintWriter writer = spec.commandLine().getOut();
            writer.printf("exported %d of %d hits to %s (%s, %s)%n", entry.rowsExported(), entry.rowsRead(), entry.file(), entry.format(), entry.recipient());
            entry.rowsWithheld().forEach((reason, count) -> writer.printf("  withheld %d: %s%n", count, reason));
            writer.printf("sha256 %s, recorded in %s%n", entry.sha256(), exportTrail.folder().location());
            try {
                int indexed = new TrailIndex(client).mirror(exportTrail);
                writer.printf("trail index %s holds %d export(s)%n", IndexNames.EXPORT_TRAIL_INDEX, indexed);
            }
            catch (DragnetException e) {
                writer.flush();
                // The export and its trail record stand; the next export mirrors what this one could not.
                throw DragnetException.external("the export is written and recorded in " + exportTrail.folder().location()
                        + ", but the trail index was not updated: " + e.getMessage(), e);
            }
            writer.flush();
        }
        finally {
            OpenSearchClients.close(client);
        }
        return 0;
    }

    private void require(Object value, String option)
    {
        if (value == null) {
            throw new ParameterException(spec.commandLine(), "missing option " + option + " (an export needs --date, --recipient, --format and --out)");
        }
    }

    private Path keyFile(DragnetHome home)
    {
        return key != null ? key : SharingKeys.localFile(home);
    }

    static ExportTrail trail(ObjectStore files, String explicit, DragnetHome home)
    {
        return new ExportTrail(new ObjectFolder(files, explicit != null ? explicit : home.results().resolve("exports").resolve("trail").toString()));
    }

    @Command(name = "log", mixinStandardHelpOptions = true, description = "List every export made: when, by whom, for whom, rows, file hash.")
    static final class Log
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Option(names = "--trail", description = "export trail folder, a local path or an s3:// prefix (default: $DRAGNET_HOME/results/exports/trail)")
        private String trail;

        @Option(names = "--home", description = "State folder (default: $DRAGNET_HOME or .dragnet)")
        private Path homeFolder;

        @Override
        public Integer call()
        {
            PrintWriter writer = spec.commandLine().getOut();
            List<ExportTrail.Entry> entries = trail(ObjectStores.localAndS3(S3Client::create), trail, DragnetHome.fromOption(homeFolder)).read();
            String row = "%-24s  %-12s  %-16s  %-6s  %-23s  %8s  %8s  %-16s  %s%n";
            writer.printf(row, "time", "operator", "recipient", "format", "days", "read", "exported", "sha256", "file");
            for (ExportTrail.Entry entry : entries) {
                writer.printf(row, entry.time(), entry.operator(), entry.recipient(), entry.format(),
                        entry.from().equals(entry.to()) ? entry.from() : entry.from() + ".." + entry.to(),
                        entry.rowsRead(), entry.rowsExported(), entry.sha256().substring(0, 16), entry.file());
            }
            writer.printf("%d export(s)%n", entries.size());
            writer.flush();
            return 0;
        }
    }
}
