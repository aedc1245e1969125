package io.dragnet.rules;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.VerdictColumns;
import io.dragnet.rules.internal.Suggestions;
import io.dragnet.rules.internal.YamlNode;
import io.dragnet.rules.internal.YamlReader;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.rules.model.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The sources rules may name: the built-in Zeek logs and NIDS verdicts, plus those declared in a rules folder's
 * {@code sources.yaml}. Zeek types map to job spec types: time → timestamp, addr → ip, port/count/int → long,
 * interval/double → double, bool → boolean; string, enum and the set/vector types (kept as Zeek's comma-joined text) → string.
 */
public final class SourceCatalog
{
    public static final String SOURCES_FILE = "sources.yaml";
    private static final List<String> SOURCE_KEYS = List.of("format", "location", "time_field", "dataset", "fields", "mapping");

    private final Map<String, SourceDefinition> sources;

    private SourceCatalog(Map<String, SourceDefinition> sources)
    {
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    public static SourceCatalog builtIn()
    {
        Map<String, SourceDefinition> sources = new LinkedHashMap<>();
        for (SourceDefinition source : List.of(zeekConn(), zeekDns(), zeekHttp(), zeekSsl(), nidsVerdicts())) {
            sources.put(source.name(), source);
        }
        return new SourceCatalog(sources);
    }

    public Optional<SourceDefinition> find(String name)
    {
        return Optional.ofNullable(sources.get(name));
    }

    public List<String> names()
    {
        return List.copyOf(sources.keySet());
    }

    /** The built-ins plus the sources declared in {@code content} (the text of a sources.yaml); problems are reported, bad entries left out. */
    public SourceCatalog withDeclarations(String file, String content, Consumer<Problem> problems)
    {
        Map<String, SourceDefinition> merged = new LinkedHashMap<>(sources);
        List<YamlNode> documents = YamlReader.readDocuments(file, content, problems);
        if (documents.isEmpty()) {
            return this;
        }
        if (!(documents.get(0) instanceof YamlNode.Mapping root) || root.entry("sources").isEmpty() || !(root.entry("sources").get().value() instanceof YamlNode.Mapping declared)) {
            problems.accept(new Problem(documents.get(0).position(), null, "sources.yaml must be a map with key 'sources' holding one map per source"));
            return this;
        }
        for (YamlNode.Entry other : root.entries()) {
            if (!other.name().equals("sources")) {
                problems.accept(new Problem(other.key().position(), null, "unknown key '" + other.name() + "' in sources.yaml; expected 'sources'"));
            }
        }
        for (YamlNode.Entry entry : declared.entries()) {
            if (sources.containsKey(entry.name())) {
                problems.accept(new Problem(entry.key().position(), null, "source '" + entry.name() + "' is built in and cannot be redeclared; expected a new name"));
                continue;
            }
            if (!entry.name().matches("[a-z][a-z0-9_]{0,62}")) {
                problems.accept(new Problem(entry.key().position(), null, "source name '" + entry.name() + "' is not allowed; expected lower-case letters, digits and '_'"));
                continue;
            }
            declaration(entry, problems).ifPresent(source -> merged.put(source.name(), source));
        }
        return new SourceCatalog(merged);
    }

    private static Optional<SourceDefinition> declaration(YamlNode.Entry entry, Consumer<Problem> problems)
    {
        List<Problem> found = new ArrayList<>();
        Consumer<Problem> report = problem -> {
            found.add(problem);
            problems.accept(problem);
        };
        if (!(entry.value() instanceof YamlNode.Mapping mapping)) {
            report.accept(new Problem(entry.value().position(), null, "source '" + entry.name() + "' must be a map with keys " + SOURCE_KEYS + "; found " + entry.value().describe()));
            return Optional.empty();
        }
        for (YamlNode.Entry key : mapping.entries()) {
            if (!SOURCE_KEYS.contains(key.name())) {
                report.accept(new Problem(key.key().position(), null, "unknown key '" + key.name() + "' in source '" + entry.name() + "'; expected one of "
                        + SOURCE_KEYS + Suggestions.didYouMean(key.name(), SOURCE_KEYS)));
            }
        }
        String format = text(mapping, "format", report).orElse(null);
        if (format != null && !SourceDefinition.FORMATS.contains(format)) {
            report.accept(new Problem(mapping.entry("format").orElseThrow().value().position(), null, "unknown format '" + format + "' for source '" + entry.name()
                    + "'; expected one of " + SourceDefinition.FORMATS + Suggestions.didYouMean(format, SourceDefinition.FORMATS)));
        }
        Map<String, String> fields = stringMap(mapping, "fields", report);
        fields.forEach((field, type) -> {
            if (!SourceDefinition.TYPES.contains(type)) {
                SourcePosition position = ((YamlNode.Mapping) mapping.entry("fields").orElseThrow().value()).entry(field).orElseThrow().value().position();
                report.accept(new Problem(position, null, "field '" + field + "' of source '" + entry.name() + "' has unknown type '" + type + "'; expected one of "
                        + SourceDefinition.TYPES + Suggestions.didYouMean(type, SourceDefinition.TYPES)));
            }
        });
        if (fields.isEmpty() && mapping.entry("fields").isEmpty()) {
            report.accept(new Problem(mapping.position(), null, "source '" + entry.name() + "' has no 'fields'; expected a map of field name to type"));
        }
        Map<String, String> mappingOfNames = stringMap(mapping, "mapping", report);
        mappingOfNames.forEach((ecs, raw) -> {
            if (!fields.containsKey(raw)) {
                SourcePosition position = ((YamlNode.Mapping) mapping.entry("mapping").orElseThrow().value()).entry(ecs).orElseThrow().value().position();
                report.accept(new Problem(position, null, "mapping of '" + ecs + "' names field '" + raw + "', which source '" + entry.name() + "' does not have; expected one of its fields"
                        + Suggestions.didYouMean(raw, fields.keySet())));
            }
        });
        String timeField = text(mapping, "time_field", report).orElse(null);
        if (timeField != null && !fields.containsKey(timeField)) {
            report.accept(new Problem(mapping.entry("time_field").orElseThrow().value().position(), null, "time_field '" + timeField + "' is not a field of source '"
                    + entry.name() + "'" + Suggestions.didYouMean(timeField, fields.keySet())));
        }
        String location = mapping.entry("location").isPresent() ? text(mapping, "location", report).orElse(null) : SourceDefinition.DEFAULT_LOCATION;
        String dataset = mapping.entry("dataset").isPresent() ? text(mapping, "dataset", report).orElse(null) : entry.name().replace('_', '.');
        if (!found.isEmpty() || format == null || location == null) {
            return Optional.empty();
        }
        return Optional.of(new SourceDefinition(entry.name(), format, location, timeField, fields, mappingOfNames, dataset));
    }

    private static Optional<String> text(YamlNode.Mapping mapping, String key, Consumer<Problem> report)
    {
        Optional<YamlNode.Entry> entry = mapping.entry(key);
        if (entry.isEmpty()) {
            report.accept(new Problem(mapping.position(), null, "missing key '" + key + "'"));
            return Optional.empty();
        }
        if (entry.get().value() instanceof YamlNode.Scalar scalar && scalar.value().type() == Value.Type.STRING) {
            return Optional.of(scalar.text());
        }
        report.accept(new Problem(entry.get().value().position(), null, "'" + key + "' must be a string; found " + entry.get().value().describe()));
        return Optional.empty();
    }

    private static Map<String, String> stringMap(YamlNode.Mapping mapping, String key, Consumer<Problem> report)
    {
        Map<String, String> values = new LinkedHashMap<>();
        Optional<YamlNode.Entry> entry = mapping.entry(key);
        if (entry.isEmpty()) {
            return values;
        }
        if (!(entry.get().value() instanceof YamlNode.Mapping map)) {
            report.accept(new Problem(entry.get().value().position(), null, "'" + key + "' must be a map of name to string; found " + entry.get().value().describe()));
            return values;
        }
        for (YamlNode.Entry item : map.entries()) {
            if (item.value() instanceof YamlNode.Scalar scalar && scalar.value().type() == Value.Type.STRING) {
                values.put(item.name(), scalar.text());
            }
            else {
                report.accept(new Problem(item.value().position(), null, "'" + item.name() + "' in '" + key + "' must be a string; found " + item.value().describe()));
            }
        }
        return values;
    }

    private static final Map<String, String> ZEEK_COMMON_MAPPING = linked(
            "@timestamp", "ts",
            "event.id", "uid",
            "source.ip", "id.orig_h",
            "source.port", "id.orig_p",
            "destination.ip", "id.resp_h",
            "destination.port", "id.resp_p");

    private static SourceDefinition zeekConn()
    {
        Map<String, String> fields = zeekFields(
                "ts time uid string id.orig_h addr id.orig_p port id.resp_h addr id.resp_p port proto enum service string duration interval "
                        + "orig_bytes count resp_bytes count conn_state string local_orig bool local_resp bool missed_bytes count history string "
                        + "orig_pkts count orig_ip_bytes count resp_pkts count resp_ip_bytes count tunnel_parents set[string] ip_proto count");
        Map<String, String> mapping = new LinkedHashMap<>(ZEEK_COMMON_MAPPING);
        mapping.putAll(linked(
                "network.transport", "proto",
                "network.protocol", "service",
                "event.duration", "duration",
                "source.bytes", "orig_bytes",
                "destination.bytes", "resp_bytes",
                "source.packets", "orig_pkts",
                "destination.packets", "resp_pkts",
                "network.iana_number", "ip_proto",
                "zeek.connection.state", "conn_state",
                "zeek.connection.history", "history"));
        return new SourceDefinition("zeek_conn", "zeek_tsv", SourceDefinition.DEFAULT_LOCATION, "ts", fields, mapping, "zeek.conn");
    }

    private static SourceDefinition zeekDns()
    {
        Map<String, String> fields = zeekFields(
                "ts time uid string id.orig_h addr id.orig_p port id.resp_h addr id.resp_p port proto enum trans_id count rtt interval "
                        + "query string qclass count qclass_name string qtype count qtype_name string rcode count rcode_name string "
                        + "AA bool TC bool RD bool RA bool Z count answers vector[string] TTLs vector[interval] rejected bool");
        Map<String, String> mapping = new LinkedHashMap<>(ZEEK_COMMON_MAPPING);
        mapping.putAll(linked(
                "network.transport", "proto",
                "dns.id", "trans_id",
                "dns.question.name", "query",
                "dns.question.class", "qclass_name",
                "dns.question.type", "qtype_name",
                "dns.response_code", "rcode_name",
                "dns.answers.data", "answers"));
        return new SourceDefinition("zeek_dns", "zeek_tsv", SourceDefinition.DEFAULT_LOCATION, "ts", fields, mapping, "zeek.dns");
    }

    private static SourceDefinition zeekHttp()
    {
        Map<String, String> fields = zeekFields(
                "ts time uid string id.orig_h addr id.orig_p port id.resp_h addr id.resp_p port trans_depth count method string host string "
                        + "uri string referrer string version string user_agent string origin string request_body_len count response_body_len count "
                        + "status_code count status_msg string info_code count info_msg string tags set[enum] username string password string "
                        + "proxied set[string] orig_fuids vector[string] orig_filenames vector[string] orig_mime_types vector[string] "
                        + "resp_fuids vector[string] resp_filenames vector[string] resp_mime_types vector[string]");
        Map<String, String> mapping = new LinkedHashMap<>(ZEEK_COMMON_MAPPING);
        mapping.putAll(linked(
                "url.domain", "host",
                "url.original", "uri",
                "url.path", "uri",
                "http.request.method", "method",
                "http.request.referrer", "referrer",
                "http.version", "version",
                "http.request.body.bytes", "request_body_len",
                "http.response.body.bytes", "response_body_len",
                "http.response.status_code", "status_code",
                "http.response.mime_type", "resp_mime_types",
                "user_agent.original", "user_agent",
                "user.name", "username"));
        return new SourceDefinition("zeek_http", "zeek_tsv", SourceDefinition.DEFAULT_LOCATION, "ts", fields, mapping, "zeek.http");
    }

    private static SourceDefinition zeekSsl()
    {
        Map<String, String> fields = zeekFields(
                "ts time uid string id.orig_h addr id.orig_p port id.resp_h addr id.resp_p port version string cipher string curve string "
                        + "server_name string resumed bool last_alert string next_protocol string established bool ssl_history string "
                        + "cert_chain_fps vector[string] client_cert_chain_fps vector[string] sni_matches_cert bool");
        Map<String, String> mapping = new LinkedHashMap<>(ZEEK_COMMON_MAPPING);
        mapping.putAll(linked(
                "tls.server.name", "server_name",
                "tls.version", "version",
                "tls.cipher", "cipher",
                "tls.curve", "curve",
                "tls.resumed", "resumed",
                "tls.established", "established",
                "tls.next_protocol", "next_protocol",
                "tls.server.hash.sha1", "cert_chain_fps"));
        return new SourceDefinition("zeek_ssl", "zeek_tsv", SourceDefinition.DEFAULT_LOCATION, "ts", fields, mapping, "zeek.ssl");
    }

    private static SourceDefinition nidsVerdicts()
    {
        Map<String, String> fields = new LinkedHashMap<>();
        for (JobSpec.FieldSpec field : VerdictColumns.SCHEMA) {
            fields.put(field.name(), field.type());
        }
        Map<String, String> mapping = linked(
                "@timestamp", VerdictColumns.START_TIME,
                "event.id", VerdictColumns.SESSION_ID,
                "event.end", VerdictColumns.END_TIME,
                "source.ip", VerdictColumns.SRC_IP,
                "source.port", VerdictColumns.SRC_PORT,
                "destination.ip", VerdictColumns.DST_IP,
                "destination.port", VerdictColumns.DST_PORT,
                "network.transport", VerdictColumns.PROTO,
                "network.protocol", VerdictColumns.SERVICE,
                "nids.state", VerdictColumns.STATE,
                "nids.score", VerdictColumns.SCORE,
                "nids.predicted_malicious", VerdictColumns.PREDICTED_MALICIOUS,
                "nids.attack_category", VerdictColumns.ATTACK_CATEGORY,
                "nids.model_version", VerdictColumns.MODEL_VERSION);
        return new SourceDefinition("nids_verdicts", "parquet", SourceDefinition.DEFAULT_LOCATION, VerdictColumns.START_TIME, fields, mapping, "nids.verdict");
    }

    /** Parses "name zeekType name zeekType …" into raw field → job spec type. */
    static Map<String, String> zeekFields(String pairs)
    {
        String[] tokens = pairs.trim().split("\\s+");
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < tokens.length; i += 2) {
            fields.put(tokens[i], zeekType(tokens[i + 1]));
        }
        return fields;
    }

    public static String zeekType(String zeekType)
    {
        return switch (zeekType) {
            case "time" -> "timestamp";
            case "addr" -> "ip";
            case "port", "count", "int" -> "long";
            case "interval", "double" -> "double";
            case "bool" -> "boolean";
            default -> "string";
        };
    }

    private static Map<String, String> linked(String... keysAndValues)
    {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
