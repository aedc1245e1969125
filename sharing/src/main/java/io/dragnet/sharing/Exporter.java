package io.dragnet.sharing;

import io.dragnet.anonymization.SharingKeys;
import io.dragnet.contracts.DragnetException;
import io.dragnet.rules.internal.Suggestions;

import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Makes one export: reads the hits, keeps what the recipient's policy allows (topics, rules, TLP), refuses more rows
 * than its limit, anonymizes, renders, refuses the file if any internal value is still in clear, writes it
 * atomically and records it in the trail. Nothing is written, and nothing recorded, when any step refuses.
 */
public final class Exporter
{
    private static final StixValidator STIX = new StixValidator();

    private final SharingPolicy policy;
    private final SharingKeys keys;
    private final HitSource hits;
    private final ExportTrail trail;
    private final ObjectStore files;
    private final Clock clock;

    /** @param files where export files are written (local paths, and s3:// locations when it routes them) */
    public Exporter(SharingPolicy policy, SharingKeys keys, HitSource hits, ExportTrail trail, ObjectStore files, Clock clock)
    {
        this.policy = requireNonNull(policy, "policy is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.hits = requireNonNull(hits, "hits is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.files = requireNonNull(files, "files is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public ExportTrail.Entry export(ExportRequest request)
    {
        SharingPolicy.Recipient recipient = policy.recipient(request.recipient()).orElseThrow(() -> DragnetException.user(
                "no recipient '" + request.recipient() + "' in the sharing policy; expected one of " + new java.util.TreeSet<>(policy.recipients().keySet())
                        + Suggestions.didYouMean(request.recipient(), policy.recipients().keySet())));
        Set<String> topics = request.topics().isEmpty() ? recipient.topics() : request.topics();
        for (String topic : topics) {
            if (!recipient.topics().contains(topic)) {
                throw DragnetException.user("recipient " + recipient.name() + " may not receive topic '" + topic + "'; its policy allows " + new java.util.TreeSet<>(recipient.topics()));
            }
        }
        List<Map<String, Object>> read = hits.read(topics, request.from(), request.to());
        Selection selection = Selection.of(policy, recipient, request.rules(), read);
        List<Map<String, Object>> selected = selection.hits();
        if (selected.size() > recipient.rowLimit()) {
            throw DragnetException.user("export to " + recipient.name() + " refused: " + selected.size() + " hits exceed its row limit of " + recipient.rowLimit()
                    + "; narrow the days, topics or rules");
        }
        Anonymizer anonymizer = new Anonymizer(recipient, keys);
        List<Map<String, Object>> views = selected.stream().map(anonymizer::apply).toList();
        ExportContent content = new ExportContent(policy.producer(), recipient.name(), selection.tlp(), request.from(), request.to(), recipient.fields(), views);
        String rendered = switch (request.format()) {
            case STIX -> StixBundleWriter.render(content);
            case MISP -> MispEventWriter.render(content);
            case CSV -> CsvExportWriter.render(content);
        };
        if (request.format() == ExportFormat.STIX) {
            List<String> violations = STIX.violations(rendered);
            if (!violations.isEmpty()) {
                throw new DragnetException(DragnetException.Category.INTERNAL, "the STIX bundle for " + recipient.name() + " is not valid STIX 2.1 and was not written: "
                        + String.join("; ", violations.subList(0, Math.min(5, violations.size()))));
            }
        }
        LeakCheck.of(selected, recipient).verify(rendered, recipient.name());
        byte[] bytes = rendered.getBytes(StandardCharsets.UTF_8);
        String location = request.out().startsWith("s3://") ? request.out() : LocalObjectStore.path(request.out()).toAbsolutePath().toString();
        try {
            files.write(location, bytes);
        }
        catch (RuntimeException e) {
            throw DragnetException.external("cannot write the export " + location + ": " + e.getMessage(), e);
        }
        ExportTrail.Entry entry = new ExportTrail.Entry(clock.instant().toString(), request.operator(), recipient.name(), request.format().name().toLowerCase(java.util.Locale.ROOT),
                policy.version(), request.from().toString(), request.to().toString(), new LinkedHashSet<>(topics), read.size(), selected.size(), selection.withheld(),
                location, sha256(bytes));
        trail.append(entry);
        return entry;
    }

    static String sha256(byte[] bytes)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
