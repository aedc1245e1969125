package io.dragnet.sharing;

import io.dragnet.anonymization.Network;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Who may receive what: per recipient the topics and rules allowed, the fields kept, the most restricted TLP level
 * it may see, a row limit, the networks that count as internal (their addresses are anonymized) and the fields whose
 * values are replaced by keyed pseudonyms. {@code version} is the SHA-256 of the policy file, recorded in the trail.
 */
public record SharingPolicy(Producer producer, Tlp defaultTlp, Map<String, Recipient> recipients, Map<String, Channel> channels,
        List<ScheduledExport> schedule, String version)
{
    /** Fields that carry addresses: internal ones are anonymized wherever they appear. */
    public static final Set<String> ADDRESS_FIELDS = Set.of("source.ip", "destination.ip", "client.ip", "server.ip", "host.ip");

    /** What a recipient receives when its policy names no fields. */
    public static final List<String> DEFAULT_FIELDS = List.of("@timestamp", "rule.id", "rule.name", "rule.severity", "tags", "dragnet.topic",
            "source.ip", "source.port", "destination.ip", "destination.port", "network.transport", "network.protocol",
            "dns.question.name", "url.full", "url.domain", "tls.server.name",
            "threat.indicator.type", "threat.indicator.value", "threat.indicator.provider", "threat.indicator.confidence", "threat.indicator.first_seen",
            "window.end", "aggregate.group", "aggregate.measures");

    public SharingPolicy
    {
        requireNonNull(producer, "producer is null");
        requireNonNull(defaultTlp, "defaultTlp is null");
        recipients = Map.copyOf(recipients);
        channels = Map.copyOf(channels);
        schedule = List.copyOf(schedule);
        requireNonNull(version, "version is null");
    }

    /** Whether a rule id matches one of the globs ({@code *} matches any run of characters). */
    public static boolean matchesAny(List<String> globs, String ruleId)
    {
        return globs.stream().anyMatch(glob -> ruleId.matches(java.util.Arrays.stream(glob.split("\\*", -1))
                .map(java.util.regex.Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*"))));
    }

    public Optional<Recipient> recipient(String name)
    {
        return Optional.ofNullable(recipients.get(name));
    }

    /** An export made for {@code recipient} after every daily run (the workflow's Share step), of the run's day. */
    public record ScheduledExport(String recipient, ExportFormat format)
    {
        public ScheduledExport
        {
            requireNonNull(recipient, "recipient is null");
            requireNonNull(format, "format is null");
        }
    }

    /**
     * Where alerts on new hits go: a webhook (Slack- and Teams-compatible JSON) or an SNS topic. The alert is what
     * {@code recipient} may see (its topics, rules, TLP level and anonymization), narrowed to {@code rules} when given.
     *
     * @param dashboards the base URL of OpenSearch Dashboards for links to the documents, or null
     */
    public record Channel(String name, java.net.URI webhook, String snsTopicArn, String recipient, List<String> rules, java.net.URI dashboards)
    {
        public Channel
        {
            requireNonNull(name, "name is null");
            if ((webhook == null) == (snsTopicArn == null)) {
                throw new IllegalArgumentException("channel " + name + " needs exactly one of a webhook and an SNS topic");
            }
            requireNonNull(recipient, "recipient is null");
            rules = List.copyOf(rules);
        }
    }

    public record Producer(String name, String identityClass)
    {
        public Producer
        {
            requireNonNull(name, "name is null");
            requireNonNull(identityClass, "identityClass is null");
        }
    }

    /**
     * @param rules glob patterns over rule ids ({@code *} matches any run of characters); empty means every rule of the topics
     * @param rowLimit the most hit documents one export may carry; more is refused, never silently cut
     */
    public record Recipient(
            String name,
            Set<String> topics,
            List<String> rules,
            List<String> fields,
            Tlp maxTlp,
            int rowLimit,
            List<Network> internalNetworks,
            Set<String> pseudonymizedFields,
            boolean anonymizeExternalAddresses)
    {
        public Recipient
        {
            requireNonNull(name, "name is null");
            topics = Set.copyOf(topics);
            rules = List.copyOf(rules);
            fields = List.copyOf(fields);
            requireNonNull(maxTlp, "maxTlp is null");
            if (rowLimit <= 0) {
                throw new IllegalArgumentException("rowLimit must be positive");
            }
            internalNetworks = List.copyOf(internalNetworks);
            pseudonymizedFields = Set.copyOf(pseudonymizedFields);
        }

        public boolean allowsRule(String ruleId)
        {
            return rules.isEmpty() || matchesAny(rules, ruleId);
        }

        public boolean isInternal(byte[] address)
        {
            return internalNetworks.stream().anyMatch(network -> network.contains(address));
        }
    }
}
