package io.dragnet.sharing.alert;

import io.dragnet.anonymization.SharingKeys;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.opensearch.OpenSearchTarget;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.rules.RuleCompiler;
import io.dragnet.sharing.OpenSearchHitSource;
import io.dragnet.sharing.SharingPolicy;
import io.dragnet.sharing.SharingPolicyParser;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectFolder;
import org.opensearch.client.opensearch.OpenSearchClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "Alert each channel of the sharing policy to the new hits of the rules it hears of (their notify: key or its rules: globs) (new against the day before), anonymized for its recipient. Delivery failures are retried and recorded; they never fail the command.")
public final class NotifyCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--date", required = true, description = "the published day (YYYY-MM-DD)")
    private LocalDate day;

    @Option(names = "--policy", defaultValue = "samples/sharing.yaml", description = "sharing policy with channels (default: ${DEFAULT-VALUE})")
    private Path policy;

    @Option(names = "--rules", defaultValue = "samples/rules", description = "rules folder whose rules' notify: keys subscribe channels (default: ${DEFAULT-VALUE})")
    private String rules;

    @Option(names = "--home", description = "State folder (default: $DRAGNET_HOME or .dragnet)")
    private Path homeFolder;

    @Option(names = "--key", description = "sharing key file (default: $DRAGNET_HOME/secrets/sharing.key)")
    private Path key;

    @Mixin
    private OpenSearchTarget target;

    @Override
    public Integer call()
    {
        SharingPolicy sharingPolicy = SharingPolicyParser.parse(policy);
        DragnetHome home = DragnetHome.fromOption(homeFolder);
        PrintWriter out = spec.commandLine().getOut();
        if (sharingPolicy.channels().isEmpty()) {
            out.println("no channels in " + policy + ": nothing to notify");
            out.flush();
            return 0;
        }
        RuleSubscriptions subscriptions = RuleSubscriptions.of(new RuleCompiler(new LocalObjectStore()).load(rules), sharingPolicy);
        OpenSearchClient client = OpenSearchClients.create(target.resolve(home));
        try (AlertSenders senders = AlertSenders.forPolicy(sharingPolicy)) {
            Notifier notifier = new Notifier(sharingPolicy, subscriptions,
                    SharingKeys.loadOrCreate(key != null ? key : SharingKeys.localFile(home)),
                    new OpenSearchHitSource(client), senders.byKind(), duration -> Thread.sleep(duration.toMillis()),
                    new DeliveryLog(new ObjectFolder(new LocalObjectStore(), home.results().resolve("notifications").resolve("deliveries").toString())), Clock.systemUTC());
            List<DeliveryLog.Delivery> deliveries = notifier.notify(day);
            for (DeliveryLog.Delivery delivery : deliveries) {
                out.printf("%-20s %-12s %3d new  %d attempt(s)%s%n", delivery.channel(), delivery.status(), delivery.newHits(), delivery.attempts(),
                        delivery.error() == null ? "" : "  (" + delivery.error() + ")");
            }
            out.flush();
        }
        finally {
            OpenSearchClients.close(client);
        }
        return 0;
    }
}
