package io.dragnet.opensearch;

import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.OpenSearchEndpoint;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.storage.OwnerOnly;
import org.opensearch.client.opensearch.OpenSearchClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Start/stop the embedded OpenSearch node and apply templates, retention and Dashboards objects. */
@Command(name = "opensearch", mixinStandardHelpOptions = true,
        description = "Start/stop the embedded OpenSearch node and apply templates, retention and Dashboards objects.",
        subcommands = {OpenSearchCommand.Start.class, OpenSearchCommand.Stop.class, OpenSearchCommand.Status.class, OpenSearchCommand.Setup.class})
public final class OpenSearchCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand: start, stop, status or setup");
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the local node (or reuse the running one) and write its connection file under $DRAGNET_HOME.")
    public static final class Start
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Override
        public Integer call()
        {
            DragnetHome home = DragnetHome.fromEnvironment();
            LocalOpenSearchNode node = LocalOpenSearchNode.startOrReuse(home);
            PrintWriter out = spec.commandLine().getOut();
            out.println("OpenSearch " + LocalOpenSearchNode.VERSION + " running at " + node.connection().endpoint() + " (pid " + node.pid() + ")");
            out.println("connection: " + OpenSearchConnection.defaultFile(home));
            out.flush();
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the local node; its data is kept.")
    public static final class Stop
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Override
        public Integer call()
        {
            boolean stopped = LocalOpenSearchNode.stop(DragnetHome.fromEnvironment());
            spec.commandLine().getOut().println(stopped ? "OpenSearch stopped" : "OpenSearch was not running");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Print whether the local node runs, where, and its health.")
    public static final class Status
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Override
        public Integer call()
        {
            spec.commandLine().getOut().println(LocalOpenSearchNode.status(DragnetHome.fromEnvironment()));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "setup", mixinStandardHelpOptions = true,
            description = "Apply index templates and the ISM retention policy (idempotent) and write the Dashboards saved objects NDJSON.")
    public static final class Setup
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Mixin
        private OpenSearchTarget target;

        @Option(names = "--topics", split = ",", description = "topics (default: ${DEFAULT-VALUE})", defaultValue = "c2,dns,web,nids")
        private List<String> topics;

        @Option(names = "--replicas", defaultValue = "0", description = "replicas per index (default: ${DEFAULT-VALUE})")
        private int replicas;

        @Option(names = "--retention-days", defaultValue = "90", description = "days before result and verdict indices are deleted (default: ${DEFAULT-VALUE})")
        private int retentionDays;

        @Option(names = "--saved-objects-out", description = "where to write the Dashboards NDJSON (default: $DRAGNET_HOME/dashboards/dragnet-saved-objects.ndjson)")
        private Path savedObjectsOut;

        @Override
        public Integer call()
        {
            DragnetHome home = DragnetHome.fromEnvironment();
            OpenSearchEndpoint endpoint = target.resolve(home);
            OpenSearchSetup.Options options;
            try {
                options = new OpenSearchSetup.Options(topics, replicas, retentionDays);
            }
            catch (IllegalArgumentException e) {
                throw DragnetException.user("opensearch setup: " + e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("OpenSearch: " + endpoint.describe());
            OpenSearchClient client = OpenSearchClients.create(endpoint);
            try {
                for (OpenSearchSetup.Change change : new OpenSearchSetup(client, options).apply()) {
                    out.printf("%-15s %-22s %s%s%n", change.kind(), change.name(), change.action(), change.detail().isEmpty() ? "" : " (" + change.detail() + ")");
                }
            }
            finally {
                OpenSearchClients.close(client);
            }
            Path savedObjects = savedObjectsOut != null ? savedObjectsOut : home.root().resolve("dashboards").resolve("dragnet-saved-objects.ndjson");
            OwnerOnly.writeAtomically(savedObjects, OpenSearchSetup.dashboardsSavedObjects());
            out.println("Dashboards saved objects: " + savedObjects + " (import in Dashboards: Stack Management > Saved objects > Import)");
            out.flush();
            return 0;
        }
    }
}
