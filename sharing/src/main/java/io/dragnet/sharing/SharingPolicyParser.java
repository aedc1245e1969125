package io.dragnet.sharing;

import io.dragnet.anonymization.Network;
import io.dragnet.contracts.DragnetException;
import io.dragnet.rules.Problem;
import io.dragnet.rules.internal.Suggestions;
import io.dragnet.rules.internal.YamlNode;
import io.dragnet.rules.internal.YamlReader;
import io.dragnet.rules.model.SourcePosition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@code sharing.yaml} into a {@link SharingPolicy}. Every problem is reported with {@code file:line:column}
 * and what was expected; a policy with any problem is refused whole (an export policy that half-applies is worse
 * than none).
 */
public final class SharingPolicyParser
{
    private static final Set<String> TOP_KEYS = Set.of("version", "producer", "default_tlp", "internal_networks", "recipients", "channels", "schedule");
    private static final Set<String> SCHEDULE_KEYS = Set.of("recipient", "format");
    private static final Set<String> CHANNEL_KEYS = Set.of("webhook", "sns_topic_arn", "recipient", "rules", "dashboards");
    private static final Pattern SNS_ARN = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}");
    private static final Set<String> PRODUCER_KEYS = Set.of("name", "identity_class");
    private static final Set<String> RECIPIENT_KEYS = Set.of("description", "topics", "rules", "fields", "max_tlp", "row_limit",
            "internal_networks", "pseudonymize", "anonymize_external_addresses");
    private static final Set<String> IDENTITY_CLASSES = Set.of("individual", "group", "system", "organization", "class", "unknown");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern FIELD = Pattern.compile("[@A-Za-z_][A-Za-z0-9_.@-]*");
    private static final Pattern RULE_GLOB = Pattern.compile("[A-Za-z0-9*][A-Za-z0-9._*-]*");
    private static final int DEFAULT_ROW_LIMIT = 10_000;

    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    private SharingPolicyParser(String file)
    {
        this.file = file;
    }

    public static SharingPolicy parse(Path path)
    {
        String content;
        try {
            content = Files.readString(path);
        }
        catch (IOException e) {
            throw DragnetException.user("cannot read sharing policy " + path + ": " + e.getMessage());
        }
        return parse(content, path.toString());
    }

    public static SharingPolicy parse(String yaml, String fileName)
    {
        SharingPolicyParser parser = new SharingPolicyParser(fileName);
        Optional<SharingPolicy> policy = parser.read(yaml);
        if (!parser.problems.isEmpty() || policy.isEmpty()) {
            throw DragnetException.user("sharing policy has " + parser.problems.size() + " problem(s):\n"
                    + parser.problems.stream().sorted().map(Problem::toString).collect(Collectors.joining("\n")));
        }
        return policy.get();
    }

    private Optional<SharingPolicy> read(String yaml)
    {
        List<YamlNode> documents = YamlReader.readDocuments(file, yaml, problems::add);
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        if (documents.size() != 1 || !(documents.get(0) instanceof YamlNode.Mapping root)) {
            problems.add(new Problem(new SourcePosition(file, 1, 1), null, "expected one YAML document: a map with keys " + sorted(TOP_KEYS)));
            return Optional.empty();
        }
        checkKeys(root, TOP_KEYS, "the policy");
        Optional<YamlNode> version = root.entry("version").map(YamlNode.Entry::value);
        if (version.isEmpty()) {
            problems.add(new Problem(root.position(), null, "missing 'version'; expected version: 1"));
        }
        else if (!(version.get() instanceof YamlNode.Scalar scalar) || !scalar.text().equals("1")) {
            problems.add(new Problem(version.get().position(), null, "found " + version.get().describe() + "; expected version 1"));
        }
        SharingPolicy.Producer producer = producer(root);
        Tlp defaultTlp = root.entry("default_tlp").map(entry -> tlp(entry.value())).orElse(Tlp.AMBER);
        List<Network> defaultNetworks = root.entry("internal_networks").map(entry -> networks(entry.value()))
                .orElse(List.of(network("10.0.0.0/8"), network("172.16.0.0/12"), network("192.168.0.0/16"), network("fc00::/7")));
        Map<String, SharingPolicy.Recipient> recipients = new LinkedHashMap<>();
        Optional<YamlNode.Entry> recipientsEntry = root.entry("recipients");
        if (recipientsEntry.isEmpty()) {
            problems.add(new Problem(root.position(), null, "missing 'recipients'; expected a map from recipient name to what it may receive"));
        }
        else if (recipientsEntry.get().value() instanceof YamlNode.Mapping byName) {
            for (YamlNode.Entry entry : byName.entries()) {
                recipient(entry, defaultNetworks).ifPresent(recipient -> recipients.put(recipient.name(), recipient));
            }
        }
        else {
            problems.add(new Problem(recipientsEntry.get().value().position(), null,
                    "found " + recipientsEntry.get().value().describe() + "; expected a map from recipient name to what it may receive"));
        }
        Map<String, SharingPolicy.Channel> channels = new LinkedHashMap<>();
        root.entry("channels").ifPresent(entry -> {
            if (entry.value() instanceof YamlNode.Mapping byName) {
                for (YamlNode.Entry channel : byName.entries()) {
                    channel(channel, recipients).ifPresent(parsed -> channels.put(parsed.name(), parsed));
                }
            }
            else {
                problems.add(new Problem(entry.value().position(), null, "found " + entry.value().describe() + "; expected a map from channel name to its webhook or SNS topic"));
            }
        });
        List<SharingPolicy.ScheduledExport> schedule = new ArrayList<>();
        root.entry("schedule").ifPresent(entry -> {
            for (YamlNode item : items(entry.value(), "exports, each a map with recipient and format")) {
                scheduledExport(item, recipients).ifPresent(schedule::add);
            }
        });
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SharingPolicy(producer, defaultTlp, recipients, channels, schedule, sha256(yaml)));
    }

    private SharingPolicy.Producer producer(YamlNode.Mapping root)
    {
        Optional<YamlNode.Entry> entry = root.entry("producer");
        if (entry.isEmpty()) {
            return new SharingPolicy.Producer("dragnet", "organization");
        }
        if (!(entry.get().value() instanceof YamlNode.Mapping producer)) {
            problems.add(new Problem(entry.get().value().position(), null, "found " + entry.get().value().describe() + "; expected a map with name and identity_class"));
            return new SharingPolicy.Producer("dragnet", "organization");
        }
        checkKeys(producer, PRODUCER_KEYS, "producer");
        String name = producer.entry("name").map(e -> text(e.value(), "the producer's name")).orElse("dragnet");
        String identityClass = producer.entry("identity_class").map(e -> text(e.value(), "an identity class")).orElse("organization");
        if (!IDENTITY_CLASSES.contains(identityClass)) {
            problems.add(new Problem(producer.entry("identity_class").get().value().position(), null,
                    "identity_class '" + identityClass + "' is not a STIX identity class; expected one of " + sorted(IDENTITY_CLASSES)));
        }
        return new SharingPolicy.Producer(name, identityClass);
    }

    private Optional<SharingPolicy.Recipient> recipient(YamlNode.Entry entry, List<Network> defaultNetworks)
    {
        String name = entry.name();
        if (!NAME.matcher(name).matches()) {
            problems.add(new Problem(entry.key().position(), null, "recipient name '" + name + "'; expected lower-case letters, digits, '-' and '_', starting with a letter"));
        }
        if (!(entry.value() instanceof YamlNode.Mapping body)) {
            problems.add(new Problem(entry.value().position(), null, "recipient " + name + ": found " + entry.value().describe() + "; expected a map with keys " + sorted(RECIPIENT_KEYS)));
            return Optional.empty();
        }
        checkKeys(body, RECIPIENT_KEYS, "recipient " + name);
        Set<String> topics = new LinkedHashSet<>();
        Optional<YamlNode.Entry> topicsEntry = body.entry("topics");
        if (topicsEntry.isEmpty()) {
            problems.add(new Problem(body.position(), null, "recipient " + name + " has no 'topics'; expected the list of topics it may receive"));
        }
        else {
            for (YamlNode item : items(topicsEntry.get().value(), "topic names")) {
                String topic = text(item, "a topic name");
                if (!NAME.matcher(topic).matches()) {
                    problems.add(new Problem(item.position(), null, "topic '" + topic + "'; expected a topic name such as c2"));
                }
                topics.add(topic);
            }
        }
        List<String> rules = strings(body, "rules", RULE_GLOB, "a rule id or a glob such as c2-*");
        List<String> fields = body.entry("fields").isPresent() ? strings(body, "fields", FIELD, "a document field such as destination.ip") : SharingPolicy.DEFAULT_FIELDS;
        Set<String> pseudonymized = new LinkedHashSet<>(strings(body, "pseudonymize", FIELD, "a document field such as asset.owner"));
        Tlp maxTlp = body.entry("max_tlp").map(e -> tlp(e.value())).orElse(Tlp.GREEN);
        int rowLimit = body.entry("row_limit").map(e -> positive(e.value())).orElse(DEFAULT_ROW_LIMIT);
        List<Network> networks = body.entry("internal_networks").map(e -> networks(e.value())).orElse(defaultNetworks);
        boolean anonymizeExternal = body.entry("anonymize_external_addresses").map(e -> bool(e.value())).orElse(false);
        return Optional.of(new SharingPolicy.Recipient(name, topics, rules, fields, maxTlp, Math.max(rowLimit, 1), networks, pseudonymized, anonymizeExternal));
    }

    private Optional<SharingPolicy.Channel> channel(YamlNode.Entry entry, Map<String, SharingPolicy.Recipient> recipients)
    {
        String name = entry.name();
        if (!NAME.matcher(name).matches()) {
            problems.add(new Problem(entry.key().position(), null, "channel name '" + name + "'; expected lower-case letters, digits, '-' and '_', starting with a letter"));
        }
        if (!(entry.value() instanceof YamlNode.Mapping body)) {
            problems.add(new Problem(entry.value().position(), null, "channel " + name + ": found " + entry.value().describe() + "; expected a map with keys " + sorted(CHANNEL_KEYS)));
            return Optional.empty();
        }
        checkKeys(body, CHANNEL_KEYS, "channel " + name);
        java.net.URI webhook = body.entry("webhook").map(e -> url(e.value())).orElse(null);
        String sns = body.entry("sns_topic_arn").map(e -> text(e.value(), "an SNS topic ARN")).orElse(null);
        if (sns != null && !SNS_ARN.matcher(sns).matches()) {
            problems.add(new Problem(body.entry("sns_topic_arn").get().value().position(), null, "'" + sns + "' is not an SNS topic ARN; expected arn:aws:sns:<region>:<account>:<topic>"));
        }
        if ((webhook == null) == (sns == null)) {
            problems.add(new Problem(body.position(), null, "channel " + name + " needs exactly one of 'webhook' and 'sns_topic_arn'"));
            return Optional.empty();
        }
        Optional<YamlNode.Entry> recipient = body.entry("recipient");
        if (recipient.isEmpty()) {
            problems.add(new Problem(body.position(), null, "channel " + name + " has no 'recipient'; expected the recipient whose policy decides what an alert may show"));
            return Optional.empty();
        }
        String recipientName = text(recipient.get().value(), "a recipient name");
        if (!recipients.containsKey(recipientName)) {
            problems.add(new Problem(recipient.get().value().position(), null, "no recipient '" + recipientName + "'; expected one of " + sorted(recipients.keySet())
                    + Suggestions.didYouMean(recipientName, recipients.keySet())));
        }
        List<String> rules = strings(body, "rules", RULE_GLOB, "a rule id or a glob such as c2-*");
        java.net.URI dashboards = body.entry("dashboards").map(e -> url(e.value())).orElse(null);
        return Optional.of(new SharingPolicy.Channel(name, webhook, sns == null ? null : sns, recipientName, rules, dashboards));
    }

    private Optional<SharingPolicy.ScheduledExport> scheduledExport(YamlNode item, Map<String, SharingPolicy.Recipient> recipients)
    {
        if (!(item instanceof YamlNode.Mapping body)) {
            problems.add(new Problem(item.position(), null, "found " + item.describe() + "; expected a map with keys " + sorted(SCHEDULE_KEYS)));
            return Optional.empty();
        }
        checkKeys(body, SCHEDULE_KEYS, "a scheduled export");
        Optional<YamlNode.Entry> recipient = body.entry("recipient");
        Optional<YamlNode.Entry> format = body.entry("format");
        if (recipient.isEmpty() || format.isEmpty()) {
            problems.add(new Problem(body.position(), null, "a scheduled export needs 'recipient' and 'format'"));
            return Optional.empty();
        }
        String recipientName = text(recipient.get().value(), "a recipient name");
        if (!recipients.containsKey(recipientName)) {
            problems.add(new Problem(recipient.get().value().position(), null, "no recipient '" + recipientName + "'; expected one of " + sorted(recipients.keySet())
                    + Suggestions.didYouMean(recipientName, recipients.keySet())));
        }
        String formatName = text(format.get().value(), "stix, misp or csv");
        Optional<ExportFormat> parsed = ExportFormat.parse(formatName);
        if (parsed.isEmpty()) {
            problems.add(new Problem(format.get().value().position(), null, "format '" + formatName + "'; expected stix, misp or csv"));
            return Optional.empty();
        }
        return Optional.of(new SharingPolicy.ScheduledExport(recipientName, parsed.get()));
    }

    private java.net.URI url(YamlNode node)
    {
        String text = text(node, "an http(s) URL");
        try {
            java.net.URI uri = new java.net.URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        }
        catch (java.net.URISyntaxException e) {
            // reported below
        }
        problems.add(new Problem(node.position(), null, "'" + text + "' is not an http(s) URL"));
        return java.net.URI.create("http://invalid");
    }

    private void checkKeys(YamlNode.Mapping mapping, Set<String> allowed, String where)
    {
        for (YamlNode.Entry entry : mapping.entries()) {
            if (!allowed.contains(entry.name())) {
                problems.add(new Problem(entry.key().position(), null, "unknown key '" + entry.name() + "' in " + where + "; expected one of " + sorted(allowed)
                        + Suggestions.didYouMean(entry.name(), allowed)));
            }
        }
    }

    private List<String> strings(YamlNode.Mapping body, String key, Pattern shape, String expected)
    {
        List<String> values = new ArrayList<>();
        body.entry(key).ifPresent(entry -> {
            for (YamlNode item : items(entry.value(), key)) {
                String value = text(item, expected);
                if (!shape.matcher(value).matches()) {
                    problems.add(new Problem(item.position(), null, key + ": '" + value + "'; expected " + expected));
                }
                values.add(value);
            }
        });
        return values;
    }

    private List<YamlNode> items(YamlNode node, String what)
    {
        if (node instanceof YamlNode.Sequence sequence) {
            return sequence.items();
        }
        problems.add(new Problem(node.position(), null, "found " + node.describe() + "; expected a list of " + what));
        return List.of();
    }

    private String text(YamlNode node, String expected)
    {
        if (node instanceof YamlNode.Scalar scalar && scalar.value().type() != io.dragnet.rules.model.Value.Type.NULL) {
            return scalar.text();
        }
        problems.add(new Problem(node.position(), null, "found " + node.describe() + "; expected " + expected));
        return "";
    }

    private Tlp tlp(YamlNode node)
    {
        String text = text(node, "a TLP level");
        Optional<Tlp> level = Tlp.parse(text);
        if (level.isEmpty()) {
            problems.add(new Problem(node.position(), null, "TLP level '" + text + "'; expected clear, green, amber, amber+strict or red"));
        }
        return level.orElse(Tlp.RED);
    }

    private int positive(YamlNode node)
    {
        String text = text(node, "a positive whole number");
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new Problem(node.position(), null, "'" + text + "'; expected a positive whole number"));
        return 1;
    }

    private boolean bool(YamlNode node)
    {
        String text = text(node, "true or false");
        if (!text.equals("true") && !text.equals("false")) {
            problems.add(new Problem(node.position(), null, "'" + text + "'; expected true or false"));
        }
        return text.equals("true");
    }

    private List<Network> networks(YamlNode node)
    {
        List<Network> networks = new ArrayList<>();
        for (YamlNode item : items(node, "networks in CIDR notation")) {
            String text = text(item, "a network such as 10.0.0.0/8");
            Optional<Network> network = Network.parse(text);
            if (network.isEmpty()) {
                problems.add(new Problem(item.position(), null, "'" + text + "' is not a network; expected CIDR notation such as 10.0.0.0/8 or fd00::/8"));
            }
            network.ifPresent(networks::add);
        }
        return networks;
    }

    private static Network network(String text)
    {
        return Network.parse(text).orElseThrow();
    }

    private static String sorted(Set<String> values)
    {
        return values.stream().sorted().collect(Collectors.joining(", "));
    }

    private static String sha256(String text)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
