package io.dragnet.access;

import io.dragnet.contracts.DragnetException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The security plugin's audit configuration as the access policy keeps it: a YAML file beside the policy
 * ({@value #FILE_NAME}) whose body is exactly what {@code PUT _plugins/_security/api/audit/config} takes. Read through
 * SnakeYAML's node tree, so an unknown key, a wrong type or a category the plugin would refuse is reported as
 * {@code file:line} with what was expected.
 *
 * @param body {@code enabled}, {@code audit}, {@code compliance}: the REST API's body
 */
public record AuditConfig(String source, Map<String, Object> body)
{
    public static final String FILE_NAME = "access-audit.yaml";

    private static final Set<String> BOOLEAN_AUDIT = Set.of("enable_rest", "enable_transport", "resolve_bulk_requests", "log_request_body",
            "resolve_indices", "exclude_sensitive_headers");
    private static final Set<String> STRING_LIST_AUDIT = Set.of("ignore_users", "ignore_requests");
    // The categories the plugin's audit API accepts as disabled (AuditApiAction's validator), per layer.
    private static final Set<String> REST_CATEGORIES = Set.of("BAD_HEADERS", "SSL_EXCEPTION", "AUTHENTICATED", "FAILED_LOGIN", "GRANTED_PRIVILEGES",
            "MISSING_PRIVILEGES");
    private static final Set<String> TRANSPORT_CATEGORIES = Set.of("BAD_HEADERS", "SSL_EXCEPTION", "AUTHENTICATED", "FAILED_LOGIN", "GRANTED_PRIVILEGES",
            "MISSING_PRIVILEGES", "INDEX_EVENT", "OPENDISTRO_SECURITY_INDEX_ATTEMPT");
    private static final Set<String> BOOLEAN_COMPLIANCE = Set.of("enabled", "internal_config", "external_config", "read_metadata_only",
            "write_metadata_only", "write_log_diffs");
    private static final Set<String> STRING_LIST_COMPLIANCE = Set.of("read_ignore_users", "write_watched_indices", "write_ignore_users");

    public AuditConfig
    {
        requireNonNull(source, "source is null");
        body = Map.copyOf(requireNonNull(body, "body is null"));
    }

    /** The audit file that goes with a policy file: {@value #FILE_NAME} in the same folder. */
    public static Path besidePolicy(Path policyFile)
    {
        return policyFile.toAbsolutePath().resolveSibling(FILE_NAME);
    }

    public static AuditConfig read(Path file)
    {
        try {
            return parse(Files.readString(file), file.toString());
        }
        catch (IOException e) {
            throw DragnetException.user("cannot read the audit configuration " + file + ": " + e.getMessage()
                    + " (expected the file " + FILE_NAME + " beside the access policy, or --audit)");
        }
    }

    public static AuditConfig parse(String yaml, String fileName)
    {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        }
        catch (MarkedYAMLException e) {
            throw DragnetException.user(fileName + ":" + (e.getProblemMark().getLine() + 1) + ": invalid YAML: " + e.getProblem());
        }
        if (root == null) {
            throw DragnetException.user(fileName + ":1: empty audit configuration; expected keys enabled, audit, compliance");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Node> top = mapping(fileName, root, "the audit configuration", Set.of("enabled", "audit", "compliance"));
        body.put("enabled", bool(fileName, required(fileName, top, "enabled", root), "enabled"));
        Map<String, Object> audit = new LinkedHashMap<>();
        for (Map.Entry<String, Node> entry : mapping(fileName, required(fileName, top, "audit", root), "audit", null).entrySet()) {
            String key = entry.getKey();
            Node value = entry.getValue();
            if (BOOLEAN_AUDIT.contains(key)) {
                audit.put(key, bool(fileName, value, "audit." + key));
            }
            else if (STRING_LIST_AUDIT.contains(key)) {
                audit.put(key, strings(fileName, value, "audit." + key, null));
            }
            else if (key.equals("disabled_rest_categories")) {
                audit.put(key, strings(fileName, value, "audit." + key, REST_CATEGORIES));
            }
            else if (key.equals("disabled_transport_categories")) {
                audit.put(key, strings(fileName, value, "audit." + key, TRANSPORT_CATEGORIES));
            }
            else {
                throw error(fileName, value, "unknown key audit." + key + "; expected one of " + sorted(BOOLEAN_AUDIT, STRING_LIST_AUDIT,
                        Set.of("disabled_rest_categories", "disabled_transport_categories")));
            }
        }
        body.put("audit", audit);
        Map<String, Object> compliance = new LinkedHashMap<>();
        for (Map.Entry<String, Node> entry : mapping(fileName, required(fileName, top, "compliance", root), "compliance", null).entrySet()) {
            String key = entry.getKey();
            Node value = entry.getValue();
            if (BOOLEAN_COMPLIANCE.contains(key)) {
                compliance.put(key, bool(fileName, value, "compliance." + key));
            }
            else if (STRING_LIST_COMPLIANCE.contains(key)) {
                compliance.put(key, strings(fileName, value, "compliance." + key, null));
            }
            else if (key.equals("read_watched_fields")) {
                Map<String, Object> watched = new LinkedHashMap<>();
                mapping(fileName, value, "compliance.read_watched_fields", null)
                        .forEach((index, fields) -> watched.put(index, strings(fileName, fields, "compliance.read_watched_fields." + index, null)));
                compliance.put(key, watched);
            }
            else {
                throw error(fileName, value, "unknown key compliance." + key + "; expected one of "
                        + sorted(BOOLEAN_COMPLIANCE, STRING_LIST_COMPLIANCE, Set.of("read_watched_fields")));
            }
        }
        body.put("compliance", compliance);
        return new AuditConfig(fileName, body);
    }

    /** This configuration with {@code users} added to {@code audit.ignore_users} (values may be CloudFormation references). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> ignoringUsers(List<Object> users)
    {
        Map<String, Object> audit = new LinkedHashMap<>((Map<String, Object>) body.get("audit"));
        List<Object> ignored = new ArrayList<>((List<Object>) audit.getOrDefault("ignore_users", List.of()));
        ignored.addAll(users);
        audit.put("ignore_users", ignored);
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put("audit", audit);
        return copy;
    }

    private static Map<String, Node> mapping(String file, Node node, String what, Set<String> allowed)
    {
        if (!(node instanceof MappingNode mapping)) {
            throw error(file, node, what + ": expected a mapping");
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : null;
            if (key == null || (allowed != null && !allowed.contains(key))) {
                throw error(file, tuple.getKeyNode(), "unknown key " + key + " in " + what + "; expected " + (allowed == null ? "a name" : sorted(allowed)));
            }
            if (entries.put(key, tuple.getValueNode()) != null) {
                throw error(file, tuple.getKeyNode(), "duplicate key " + key + " in " + what);
            }
        }
        return entries;
    }

    private static Node required(String file, Map<String, Node> entries, String key, Node parent)
    {
        Node node = entries.get(key);
        if (node == null) {
            throw error(file, parent, "missing key " + key);
        }
        return node;
    }

    private static boolean bool(String file, Node node, String what)
    {
        if (node instanceof ScalarNode scalar && (scalar.getValue().equals("true") || scalar.getValue().equals("false"))) {
            return Boolean.parseBoolean(scalar.getValue());
        }
        throw error(file, node, what + ": expected true or false");
    }

    private static List<String> strings(String file, Node node, String what, Set<String> allowed)
    {
        if (!(node instanceof SequenceNode sequence)) {
            throw error(file, node, what + ": expected a list");
        }
        List<String> values = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            if (!(item instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
                throw error(file, item, what + ": expected a non-empty string");
            }
            if (allowed != null && !allowed.contains(scalar.getValue())) {
                throw error(file, item, what + ": '" + scalar.getValue() + "' is not a category the plugin accepts here; expected one of " + sorted(allowed));
            }
            values.add(scalar.getValue());
        }
        return values;
    }

    @SafeVarargs
    private static List<String> sorted(Set<String>... sets)
    {
        List<String> all = new ArrayList<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all.stream().sorted().toList();
    }

    private static DragnetException error(String file, Node node, String message)
    {
        return DragnetException.user(file + ":" + (node.getStartMark().getLine() + 1) + ": " + message);
    }
}
