package io.dragnet.rules.internal;

import com.fasterxml.jackson.core.JsonFactory;
import io.dragnet.contracts.IocEntry;
import io.dragnet.contracts.IocTableFile;
import io.dragnet.rules.Problem;
import io.dragnet.rules.model.IocFileReference;
import io.dragnet.rules.model.IocKind;
import io.dragnet.rules.model.SourcePosition;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads IoC list files: plain text (one value a line, {@code #} comments), CSV (a value column picked by name,
 * {@code #} comment lines allowed as in abuse.ch exports), STIX 2.1 bundles (indicators with simple comparison
 * patterns; revoked, expired and not-yet-valid ones skipped; of several versions of an object only the latest by
 * {@code modified}) and MISP event JSON (attributes with {@code to_ids}; others skipped). Skips are counted by reason;
 * values of another kind in mixed feeds are counted, not errors. A malformed value is skipped with a positioned warning
 * (the rest of the file still loads); CSV rows a feed marks offline or last saw too long before the day are skipped;
 * every {@code first_seen} becomes ISO-8601 UTC.
 */
public final class IocLoader
{
    private static final List<String> VALUE_COLUMNS = List.of("value", "indicator", "ioc", "dst_ip", "ip", "ip_address", "url", "domain", "hostname",
            "md5", "sha1", "sha256", "ja3", "user_agent", "keyword");
    private static final List<String> FIRST_SEEN_COLUMNS = List.of("first_seen", "first_seen_utc", "dateadded", "date_added");
    private static final List<String> DESCRIPTION_COLUMNS = List.of("description", "malware", "threat", "comment");
    private static final Pattern STIX_COMPARISON = Pattern.compile("([a-z0-9-]+):([A-Za-z0-9_.'\\-]+)\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)'");
    private static final Pattern CSV_ERROR_LINE = Pattern.compile("(?:startline|line:?) (\\d+)");
    private static final Pattern STIX_OTHER_OPERATOR = Pattern.compile("(?i)\\b(AND|MATCHES|LIKE|FOLLOWEDBY|WITHIN|REPEATS|START|STOP|IN|ISSUBSET|ISSUPERSET)\\b|!=|<|>");

    private IocLoader() {}

    /**
     * Indicators of one file, counts of what was skipped by reason (expired, revoked, not_yet_valid, not_to_ids,
     * other_kind, invalid, offline, not_seen_recently, superseded_version, below_min_confidence, no_confidence, …) and a
     * positioned warning for each malformed value skipped.
     */
    public record Loaded(List<IocEntry> entries, Map<String, Integer> skipped, List<Problem> warnings, boolean failed)
    {
        /** A file that could not be read or parsed; its problems are reported where it failed. */
        public static final Loaded FAILED = new Loaded(List.of(), Map.of(), List.of(), true);

        public Loaded
        {
            entries = List.copyOf(entries);
            skipped = Map.copyOf(skipped);
            warnings = List.copyOf(warnings);
        }

        public Loaded(List<IocEntry> entries, Map<String, Integer> skipped)
        {
            this(entries, skipped, List.of(), false);
        }
    }

    public static Loaded load(IocFileReference reference, String displayName, String content, IocKind kind, LocalDate day, Consumer<Problem> problems)
    {
        return load(reference, displayName, content, kind, day, null, problems);
    }

    /** @param minConfidence indicators below it (0-100) or without a confidence are skipped; null keeps every confidence */
    public static Loaded load(IocFileReference reference, String displayName, String content, IocKind kind, LocalDate day, Integer minConfidence,
            Consumer<Problem> problems)
    {
        String text = withoutByteOrderMark(content);
        String format = reference.format() != null ? reference.format() : inferFormat(displayName, text);
        String feed = reference.feed() != null ? reference.feed() : feedName(displayName);
        Collector collector = new Collector(kind, feed, displayName, minConfidence, problems);
        switch (format) {
            case "text" -> text(text, collector);
            case "csv" -> csv(text, reference.column(), reference.freshness(), day, collector);
            case "stix" -> stix(text, day, collector);
            case "misp" -> misp(text, collector);
            default -> problems.accept(new Problem(reference.position(), null, "unknown IoC file format '" + format + "'; expected text, csv, stix or misp"));
        }
        return new Loaded(collector.entries, collector.skipped, collector.warnings, collector.failed);
    }

    /** Editors on Windows start UTF-8 files with U+FEFF; left in, it would be part of the first value or column name. */
    static String withoutByteOrderMark(String content)
    {
        return content.startsWith("\uFEFF") ? content.substring(1) : content;
    }

    static String inferFormat(String name, String content)
    {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) {
            return "csv";
        }
        if (lower.endsWith(".json")) {
            return content.contains("\"Event\"") || content.contains("\"Attribute\"") ? "misp" : "stix";
        }
        return "text";
    }

    private static String feedName(String displayName)
    {
        String name = displayName.substring(displayName.lastIndexOf('/') + 1);
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static void text(String content, Collector collector)
    {
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            collector.add(lines[i].strip(), null, null, null, new SourcePosition(collector.file, i + 1, 1));
        }
    }

    private static void csv(String content, String column, IocFileReference.Freshness freshness, LocalDate day, Collector collector)
    {
        CSVFormat format = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true).build();
        try (CSVParser parser = CSVParser.parse(new StringReader(content), format)) {
            List<String> header = parser.getHeaderNames();
            String valueColumn = column != null ? column : VALUE_COLUMNS.stream().filter(header::contains).findFirst().orElse(null);
            if (valueColumn == null || !header.contains(valueColumn)) {
                collector.problem(new SourcePosition(collector.file, Math.max(1, (int) parser.getCurrentLineNumber()), 1), "CSV header has no " + (column == null ? "indicator column" : "column '" + column + "'")
                        + "; expected one of " + VALUE_COLUMNS + " or 'column' naming one of the header's columns");
                return;
            }
            String firstSeen = FIRST_SEEN_COLUMNS.stream().filter(header::contains).findFirst().orElse(null);
            String description = DESCRIPTION_COLUMNS.stream().filter(header::contains).findFirst().orElse(null);
            Optional<String> statusColumn = freshnessColumn(freshness.statusColumn(), IocFileReference.Freshness.STATUS_COLUMNS, header, "status_column", collector);
            Optional<String> lastSeenColumn = freshnessColumn(freshness.lastSeenColumn(), IocFileReference.Freshness.LAST_SEEN_COLUMNS, header, "last_seen_column", collector);
            LocalDate oldest = day.minusDays(freshness.maxAgeDays());
            for (CSVRecord record : parser) {
                SourcePosition position = new SourcePosition(collector.file, (int) parser.getCurrentLineNumber(), 1);
                if (!record.isSet(valueColumn)) {
                    collector.problem(position, "row has " + record.size() + " columns and no '" + valueColumn + "'; expected " + header.size() + " columns");
                    continue;
                }
                if (statusColumn.isPresent() && record.isSet(statusColumn.get())
                        && freshness.activeStatuses().stream().noneMatch(active -> active.equalsIgnoreCase(record.get(statusColumn.get()).strip()))) {
                    collector.skip("offline");
                    continue;
                }
                if (lastSeenColumn.isPresent() && record.isSet(lastSeenColumn.get()) && !record.get(lastSeenColumn.get()).isBlank()) {
                    Optional<Instant> lastSeen = IocTimestamps.parse(record.get(lastSeenColumn.get()));
                    if (lastSeen.isEmpty()) {
                        collector.warning(position, "column '" + lastSeenColumn.get() + "' is not a date; expected YYYY-MM-DD or an ISO-8601 timestamp; row skipped");
                        collector.skip("invalid");
                        continue;
                    }
                    if (lastSeen.get().isBefore(oldest.atStartOfDay(ZoneOffset.UTC).toInstant())) {
                        collector.skip("not_seen_recently");
                        continue;
                    }
                }
                collector.add(record.get(valueColumn), record.isMapped("confidence") && record.isSet("confidence") ? record.get("confidence") : null,
                        firstSeen != null && record.isSet(firstSeen) ? record.get(firstSeen) : null,
                        description != null && record.isSet(description) ? record.get(description) : null, position);
            }
        }
        catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            collector.problem(csvErrorPosition(collector.file, e), csvErrorMessage(e));
        }
    }

    /** The configured column (a missing one is a problem), else the first well-known one in the header; empty when switched off or none. */
    private static Optional<String> freshnessColumn(String configured, List<String> wellKnown, List<String> header, String key, Collector collector)
    {
        if (IocFileReference.Freshness.NONE.equals(configured)) {
            return Optional.empty();
        }
        if (configured != null) {
            if (!header.contains(configured)) {
                collector.problem(SourcePosition.ofFile(collector.file), "CSV header has no column '" + configured + "' named by " + key
                        + "; expected one of the header's columns, or none");
                return Optional.empty();
            }
            return Optional.of(configured);
        }
        return wellKnown.stream().filter(header::contains).findFirst();
    }

    /** commons-csv names the line in its message; the message itself may quote the file, so only the number is kept. */
    private static SourcePosition csvErrorPosition(String file, Exception e)
    {
        Matcher line = CSV_ERROR_LINE.matcher(String.valueOf(e.getMessage()));
        return line.find() ? new SourcePosition(file, Integer.parseInt(line.group(1)), 1) : SourcePosition.ofFile(file);
    }

    private static String csvErrorMessage(Exception e)
    {
        String message = String.valueOf(e.getMessage());
        if (message.contains("EOF reached before encapsulated token finished")) {
            return "CSV quote opened here is never closed; expected a closing '\"' before the end of the file";
        }
        if (message.contains("invalid char between encapsulated token and delimiter")) {
            return "CSV quoted value is followed by other characters; expected a delimiter or the end of the line after the closing quote";
        }
        if (message.contains("duplicate name")) {
            return "CSV header names a column twice; expected each column name once";
        }
        return "not valid CSV; expected comma-separated values with balanced quotes";
    }

    private static void stix(String content, LocalDate day, Collector collector)
    {
        Optional<YamlNode.Mapping> root = json(content, collector);
        if (root.isEmpty()) {
            return;
        }
        if (!"bundle".equals(string(root.get(), "type")) || !(root.get().entry("objects").map(YamlNode.Entry::value).orElse(null) instanceof YamlNode.Sequence objects)) {
            collector.problem(root.get().position(), "not a STIX 2.1 bundle; expected {\"type\": \"bundle\", \"objects\": [...]}");
            return;
        }
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<String, YamlNode.Mapping> latest = latestVersions(objects);
        for (YamlNode node : objects.items()) {
            if (!(node instanceof YamlNode.Mapping object) || !"indicator".equals(string(object, "type"))) {
                continue;
            }
            String id = string(object, "id");
            if (id != null && latest.get(id) != object) {
                collector.skip("superseded_version");
                continue;
            }
            String pattern = string(object, "pattern");
            String validFrom = string(object, "valid_from");
            if (pattern == null || validFrom == null || id == null) {
                collector.problem(object.position(), "STIX indicator lacks " + (id == null ? "'id'" : pattern == null ? "'pattern'" : "'valid_from'")
                        + "; expected id, pattern and valid_from (STIX 2.1 requires them)");
                continue;
            }
            if (!"stix".equals(Optional.ofNullable(string(object, "pattern_type")).orElse("stix"))) {
                collector.skip("unsupported_pattern");
                continue;
            }
            if ("true".equals(string(object, "revoked"))) {
                collector.skip("revoked");
                continue;
            }
            Optional<Instant> from = instant(validFrom);
            Optional<Instant> until = Optional.ofNullable(string(object, "valid_until")).flatMap(IocLoader::instant);
            if (from.isEmpty()) {
                collector.problem(object.position(), "STIX indicator's valid_from is not a timestamp; expected an RFC 3339 timestamp such as 2018-11-01T00:00:00Z");
                continue;
            }
            if (until.isPresent() && !until.get().isAfter(dayStart)) {
                collector.skip("expired");
                continue;
            }
            if (!from.get().isBefore(dayEnd)) {
                collector.skip("not_yet_valid");
                continue;
            }
            if (STIX_OTHER_OPERATOR.matcher(pattern.replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")).find()) {
                collector.skip("unsupported_pattern");
                continue;
            }
            Matcher matcher = STIX_COMPARISON.matcher(pattern);
            boolean any = false;
            while (matcher.find()) {
                any = true;
                Optional<IocKind> kind = stixKind(matcher.group(1), matcher.group(2), matcher.group(3));
                String value = matcher.group(3).replace("\\'", "'").replace("\\\\", "\\");
                String description = Optional.ofNullable(string(object, "name")).orElse(string(object, "description"));
                collector.addOfKind(kind, value, string(object, "confidence"), validFrom, description, object.position());
            }
            if (!any) {
                collector.skip("unsupported_pattern");
            }
        }
    }

    /**
     * STIX 2.1 versions an object by keeping its id and raising {@code modified}; a bundle may carry several versions.
     * The latest one per id stands (on equal {@code modified}, the later one in the bundle).
     */
    private static Map<String, YamlNode.Mapping> latestVersions(YamlNode.Sequence objects)
    {
        Map<String, YamlNode.Mapping> latest = new java.util.HashMap<>();
        for (YamlNode node : objects.items()) {
            if (node instanceof YamlNode.Mapping object && string(object, "id") != null) {
                latest.merge(string(object, "id"), object, (kept, candidate) -> modified(candidate).compareTo(modified(kept)) >= 0 ? candidate : kept);
            }
        }
        return latest;
    }

    private static Instant modified(YamlNode.Mapping object)
    {
        return Optional.ofNullable(string(object, "modified")).flatMap(IocLoader::instant).orElse(Instant.MIN);
    }

    private static Optional<IocKind> stixKind(String objectType, String path, String value)
    {
        String property = path.replace("'", "").toUpperCase(Locale.ROOT);
        return switch (objectType) {
            case "ipv4-addr", "ipv6-addr" -> Optional.of(value.contains("/") ? IocKind.CIDR : IocKind.IP);
            case "domain-name" -> Optional.of(IocKind.DOMAIN);
            case "url" -> Optional.of(IocKind.URL);
            case "file" -> switch (property) {
                case "HASHES.MD5" -> Optional.of(IocKind.MD5);
                case "HASHES.SHA-1", "HASHES.SHA1" -> Optional.of(IocKind.SHA1);
                case "HASHES.SHA-256", "HASHES.SHA256" -> Optional.of(IocKind.SHA256);
                default -> Optional.empty();
            };
            case "network-traffic" -> property.endsWith("USER-AGENT") ? Optional.of(IocKind.USER_AGENT) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** One MISP event ({@code {"Event": {...}}}), or several as MISP lists them ({@code {"response": [{"Event": {...}}, ...]}}, what a fetched MISP feed keeps). */
    private static void misp(String content, Collector collector)
    {
        Optional<YamlNode.Mapping> root = json(content, collector);
        if (root.isEmpty()) {
            return;
        }
        if (root.get().entry("response").map(YamlNode.Entry::value).orElse(null) instanceof YamlNode.Sequence events) {
            for (YamlNode event : events.items()) {
                if (event instanceof YamlNode.Mapping eventRoot) {
                    mispEvent(eventRoot, collector);
                }
                else {
                    collector.problem(event.position(), "not a MISP event; expected {\"Event\": {...}}");
                }
            }
            return;
        }
        mispEvent(root.get(), collector);
    }

    private static void mispEvent(YamlNode.Mapping root, Collector collector)
    {
        YamlNode event = root.entry("Event").map(YamlNode.Entry::value).orElse(root);
        if (!(event instanceof YamlNode.Mapping eventMap) || (eventMap.entry("Attribute").isEmpty() && eventMap.entry("Object").isEmpty())) {
            collector.problem(root.position(), "not a MISP event; expected {\"Event\": {\"Attribute\": [...], \"Object\": [...]}}");
            return;
        }
        String info = string(eventMap, "info");
        List<YamlNode.Mapping> attributes = new ArrayList<>(mappings(eventMap, "Attribute"));
        for (YamlNode.Mapping object : mappings(eventMap, "Object")) {
            attributes.addAll(mappings(object, "Attribute"));
        }
        for (YamlNode.Mapping attribute : attributes) {
            String type = string(attribute, "type");
            String value = string(attribute, "value");
            if (type == null || value == null) {
                collector.problem(attribute.position(), "MISP attribute lacks 'type' or 'value'; expected both");
                continue;
            }
            if ("true".equals(string(attribute, "deleted")) || "1".equals(string(attribute, "deleted"))) {
                collector.skip("deleted");
                continue;
            }
            String toIds = string(attribute, "to_ids");
            if (!"true".equals(toIds) && !"1".equals(toIds)) {
                collector.skip("not_to_ids");
                continue;
            }
            String description = Optional.ofNullable(string(attribute, "comment")).filter(text -> !text.isBlank()).orElse(info);
            String firstSeen = Optional.ofNullable(string(attribute, "first_seen")).orElse(string(attribute, "timestamp"));
            String[] types = type.split("\\|");
            String[] values = value.split("\\|", -1);
            boolean matched = false;
            for (int i = 0; i < types.length && i < values.length; i++) {
                Optional<IocKind> kind = mispKind(types[i], values[i]);
                if (kind.isPresent() && collector.accepts(kind.get())) {
                    matched = true;
                    collector.add(values[i], null, firstSeen, description, attribute.position());
                }
            }
            if (!matched) {
                collector.skip("other_kind");
            }
        }
    }

    private static Optional<IocKind> mispKind(String type, String value)
    {
        return switch (type) {
            // "ip" is the address half of the composite domain|ip; ip-dst|port and ip-src|port split into ip-dst and port
            case "ip-dst", "ip-src", "ip" -> Optional.of(value.contains("/") ? IocKind.CIDR : IocKind.IP);
            case "domain", "hostname" -> Optional.of(IocKind.DOMAIN);
            case "url" -> Optional.of(IocKind.URL);
            case "md5" -> Optional.of(IocKind.MD5);
            case "sha1" -> Optional.of(IocKind.SHA1);
            case "sha256" -> Optional.of(IocKind.SHA256);
            case "ja3-fingerprint-md5" -> Optional.of(IocKind.JA3);
            case "user-agent" -> Optional.of(IocKind.USER_AGENT);
            default -> Optional.empty();
        };
    }

    private static Optional<YamlNode.Mapping> json(String content, Collector collector)
    {
        List<YamlNode> documents = JsonTrees.read(collector.file, content, collector.problems);
        if (documents.isEmpty()) {
            return Optional.empty();
        }
        if (documents.get(0) instanceof YamlNode.Mapping mapping) {
            return Optional.of(mapping);
        }
        collector.problem(documents.get(0).position(), "expected a JSON object; found " + (documents.get(0) instanceof YamlNode.Scalar ? "a single value" : documents.get(0).describe()));
        return Optional.empty();
    }

    private static List<YamlNode.Mapping> mappings(YamlNode.Mapping parent, String key)
    {
        if (parent.entry(key).map(YamlNode.Entry::value).orElse(null) instanceof YamlNode.Sequence sequence) {
            return sequence.items().stream().filter(YamlNode.Mapping.class::isInstance).map(YamlNode.Mapping.class::cast).toList();
        }
        return List.of();
    }

    private static String string(YamlNode.Mapping mapping, String key)
    {
        return mapping.entry(key).map(YamlNode.Entry::value).filter(YamlNode.Scalar.class::isInstance).map(node -> ((YamlNode.Scalar) node).text()).orElse(null);
    }

    private static Optional<Instant> instant(String text)
    {
        try {
            return Optional.of(Instant.parse(text));
        }
        catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static final class Collector
    {
        private final IocKind kind;
        private final String feed;
        private final String file;
        private final Integer minConfidence;
        private final Consumer<Problem> problems;
        private final List<IocEntry> entries = new ArrayList<>();
        private final Map<String, Integer> skipped = new TreeMap<>();
        private final List<Problem> warnings = new ArrayList<>();
        private boolean failed;

        Collector(IocKind kind, String feed, String file, Integer minConfidence, Consumer<Problem> problems)
        {
            this.kind = kind;
            this.feed = feed;
            this.file = file;
            this.minConfidence = minConfidence;
            this.problems = problems;
        }

        void add(String raw, String confidence, String firstSeen, String description, SourcePosition position)
        {
            Optional<String> literalProblem = LiteralChecks.check(raw, "indicator");
            if (literalProblem.isPresent()) {
                warning(position, literalProblem.get() + "; value skipped");
                skip("invalid");
                return;
            }
            if (kind == IocKind.DOMAIN && raw.contains("://")) {
                Optional<String> domain = IocValues.domainOfUrl(raw);
                if (domain.isEmpty()) {
                    skip("other_kind");
                    return;
                }
                raw = domain.get();
            }
            IocValues.Result result = IocValues.normalize(kind, raw);
            if (!result.valid() && kind == IocKind.IP && IocValues.cidr(raw).isPresent()) {
                // a network in an address list is another kind, as in STIX and MISP feeds, not a malformed value
                skip("other_kind");
                return;
            }
            if (!result.valid()) {
                warning(position, result.problemWithoutValue() + " (ioc: " + kind.keyword() + "); value skipped");
                skip("invalid");
                return;
            }
            Double score;
            try {
                score = IocTableFile.parseConfidence(confidence);
            }
            catch (NumberFormatException e) {
                warning(position, "confidence: expected a number (the feed's 0-100 score) or nothing; value skipped");
                skip("invalid");
                return;
            }
            if (minConfidence != null && !confident(score)) {
                return;
            }
            String seen = null;
            if (firstSeen != null && !firstSeen.isBlank()) {
                Optional<Instant> instant = IocTimestamps.parse(firstSeen);
                if (instant.isEmpty()) {
                    warning(position, "first_seen is not a date; expected epoch seconds, YYYY-MM-DD or an ISO-8601 timestamp; kept without it");
                }
                seen = instant.map(Instant::toString).orElse(null);
            }
            entries.add(new IocEntry(result.value(), feed, score, seen, emptyToNull(description)));
        }

        /** Whether the indicator's confidence reaches the rule's minimum; counts why not. */
        private boolean confident(Double score)
        {
            if (score == null) {
                skip("no_confidence");
                return false;
            }
            if (score < minConfidence) {
                skip("below_min_confidence");
                return false;
            }
            return true;
        }

        void warning(SourcePosition position, String message)
        {
            warnings.add(new Problem(position, null, message));
        }

        /** A CIDR sweep also takes single addresses (a /32 or /128). */
        boolean accepts(IocKind found)
        {
            return found == kind || (kind == IocKind.CIDR && found == IocKind.IP);
        }

        void addOfKind(Optional<IocKind> found, String raw, String confidence, String firstSeen, String description, SourcePosition position)
        {
            if (found.isEmpty() || !accepts(found.get())) {
                skip("other_kind");
                return;
            }
            add(raw, confidence, firstSeen, description, position);
        }

        void skip(String reason)
        {
            skipped.merge(reason, 1, Integer::sum);
        }

        void problem(SourcePosition position, String message)
        {
            failed = true;
            problems.accept(new Problem(position, null, message));
        }
    }

    /** Reads JSON with positions, through the same tree as YAML. */
    static final class JsonTrees
    {
        private static final JsonFactory FACTORY = new JsonFactory();

        static List<YamlNode> read(String file, String content, Consumer<Problem> problems)
        {
            return YamlReader.readDocuments(file, content, FACTORY, Integer.MAX_VALUE, false, problems);
        }
    }

    private static String emptyToNull(String text)
    {
        return text == null || text.isEmpty() ? null : text;
    }
}
