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
 * patterns; revoked, expired and not-yet-valid ones skipped) and MISP event JSON (attributes with {@code to_ids};
 * others skipped). Skips are counted by reason; values of another kind in mixed feeds are counted, not errors.
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

    /** Indicators of one file, and counts of what was skipped by reason (expired, revoked, not_yet_valid, not_to_ids, other_kind, …). */
    public record Loaded(List<IocEntry> entries, Map<String, Integer> skipped)
    {
        public Loaded
        {
            entries = List.copyOf(entries);
            skipped = Map.copyOf(skipped);
        }
    }

    public static Loaded load(IocFileReference reference, String displayName, String content, IocKind kind, LocalDate day, Consumer<Problem> problems)
    {
        String text = withoutByteOrderMark(content);
        String format = reference.format() != null ? reference.format() : inferFormat(displayName, text);
        String feed = reference.feed() != null ? reference.feed() : feedName(displayName);
        Collector collector = new Collector(kind, feed, displayName, problems);
        switch (format) {
            case "text" -> text(text, collector);
            case "csv" -> csv(text, reference.column(), collector);
            case "stix" -> stix(text, day, collector);
            case "misp" -> misp(text, collector);
            default -> problems.accept(new Problem(reference.position(), null, "unknown IoC file format '" + format + "'; expected text, csv, stix or misp"));
        }
        return new Loaded(collector.entries, collector.skipped);
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

    private static void csv(String content, String column, Collector collector)
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
            for (CSVRecord record : parser) {
                SourcePosition position = new SourcePosition(collector.file, (int) parser.getCurrentLineNumber(), 1);
                if (!record.isSet(valueColumn)) {
                    collector.problem(position, "row has " + record.size() + " columns and no '" + valueColumn + "'; expected " + header.size() + " columns");
                    continue;
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
        for (YamlNode node : objects.items()) {
            if (!(node instanceof YamlNode.Mapping object) || !"indicator".equals(string(object, "type"))) {
                continue;
            }
            String id = string(object, "id");
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

    private static void misp(String content, Collector collector)
    {
        Optional<YamlNode.Mapping> root = json(content, collector);
        if (root.isEmpty()) {
            return;
        }
        YamlNode event = root.get().entry("Event").map(YamlNode.Entry::value).orElse(root.get());
        if (!(event instanceof YamlNode.Mapping eventMap) || (eventMap.entry("Attribute").isEmpty() && eventMap.entry("Object").isEmpty())) {
            collector.problem(root.get().position(), "not a MISP event; expected {\"Event\": {\"Attribute\": [...], \"Object\": [...]}}");
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
            case "ip-dst", "ip-src" -> Optional.of(value.contains("/") ? IocKind.CIDR : IocKind.IP);
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
        private final Consumer<Problem> problems;
        private final List<IocEntry> entries = new ArrayList<>();
        private final Map<String, Integer> skipped = new TreeMap<>();

        Collector(IocKind kind, String feed, String file, Consumer<Problem> problems)
        {
            this.kind = kind;
            this.feed = feed;
            this.file = file;
            this.problems = problems;
        }

        void add(String raw, String confidence, String firstSeen, String description, SourcePosition position)
        {
            Optional<String> literalProblem = LiteralChecks.check(raw, "indicator");
            if (literalProblem.isPresent()) {
                problem(position, literalProblem.get());
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
            if (!result.valid()) {
                problem(position, result.problemWithoutValue() + " (ioc: " + kind.keyword() + ")");
                return;
            }
            Double score;
            try {
                score = IocTableFile.parseConfidence(confidence);
            }
            catch (NumberFormatException e) {
                problem(position, "confidence: expected a number (the feed's 0-100 score) or nothing");
                return;
            }
            entries.add(new IocEntry(result.value(), feed, score, emptyToNull(firstSeen), emptyToNull(description)));
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
