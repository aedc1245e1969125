package io.dragnet.access;

import io.dragnet.anonymization.IndexPseudonyms;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.IndexNames;
import io.dragnet.opensearch.DocumentMappings;
import io.dragnet.opensearch.ReservedNames;
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
import java.util.regex.Pattern;

/**
 * Reads the access-policy YAML through SnakeYAML's node tree, so every error names {@code file:line} and what was
 * expected. Refuses index patterns that would reach every index or a hidden/system index (the security index first).
 */
public final class AccessPolicyParser
{
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,60}");
    private static final Pattern FIELD = Pattern.compile("[@A-Za-z_][A-Za-z0-9_.@-]*");
    private static final Pattern LITERAL_PREFIX = Pattern.compile("[a-z0-9][a-z0-9_-]{2,}.*");

    private final String file;

    private AccessPolicyParser(String file)
    {
        this.file = file;
    }

    public static AccessPolicy parse(Path path)
    {
        try {
            return parse(Files.readString(path), path.toString());
        }
        catch (IOException e) {
            throw DragnetException.user("cannot read access policy " + path + ": " + e.getMessage());
        }
    }

    public static AccessPolicy parse(String yaml, String fileName)
    {
        return new AccessPolicyParser(fileName).parse(yaml);
    }

    private AccessPolicy parse(String yaml)
    {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        }
        catch (MarkedYAMLException e) {
            throw DragnetException.user(file + ":" + (e.getProblemMark().getLine() + 1) + ": invalid YAML: " + e.getProblem());
        }
        if (root == null) {
            throw DragnetException.user(file + ":1: empty policy; expected keys version, topics, groups");
        }
        Map<String, Node> top = mapping(root, "the policy", Set.of("version", "topics", "ledger", "tenants", "groups"));
        Node version = required(top, "version", root);
        if (!scalar(version, "version").equals("1")) {
            throw error(version, "unsupported version '" + scalar(version, "version") + "'; expected 1");
        }
        Map<String, AccessPolicy.Topic> topics = new LinkedHashMap<>();
        for (Map.Entry<String, Node> topic : mapping(required(top, "topics", root), "topics", null).entrySet()) {
            checkName(topic.getKey(), topic.getValue(), "topic");
            Map<String, Node> body = mapping(topic.getValue(), "topic " + topic.getKey(), Set.of("indices", "restricted_indices"));
            List<String> indices = indexPatterns(required(body, "indices", topic.getValue()));
            List<String> restricted = body.containsKey("restricted_indices") ? indexPatterns(body.get("restricted_indices")) : List.of();
            for (String pattern : restricted) {
                if (indices.stream().anyMatch(open -> covers(open, pattern))) {
                    throw error(body.get("restricted_indices"), "restricted index pattern '" + pattern + "' is also matched by the topic's indices "
                            + indices + "; expected a separate index family such as dragnet-" + topic.getKey() + "_restricted-*");
                }
            }
            topics.put(topic.getKey(), new AccessPolicy.Topic(topic.getKey(), indices, restricted));
        }
        List<String> ledger = List.of();
        if (top.containsKey("ledger")) {
            ledger = indexPatterns(required(mapping(top.get("ledger"), "ledger", Set.of("indices")), "indices", top.get("ledger")));
        }
        Map<String, String> tenants = new LinkedHashMap<>();
        if (top.containsKey("tenants")) {
            for (Map.Entry<String, Node> tenant : mapping(top.get("tenants"), "tenants", null).entrySet()) {
                checkName(tenant.getKey(), tenant.getValue(), "tenant");
                Map<String, Node> body = mapping(tenant.getValue(), "tenant " + tenant.getKey(), Set.of("description"));
                tenants.put(tenant.getKey(), body.containsKey("description") ? scalar(body.get("description"), "description") : "");
            }
        }
        Map<String, AccessPolicy.Group> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Node> group : mapping(required(top, "groups", root), "groups", null).entrySet()) {
            checkName(group.getKey(), group.getValue(), "group");
            if (ReservedNames.isReserved(group.getKey())) {
                throw error(group.getValue(), "group name '" + group.getKey() + "' is reserved by the security plugin; refused are " + ReservedNames.describe());
            }
            groups.put(group.getKey(), group(group.getKey(), group.getValue(), topics, tenants, !ledger.isEmpty()));
        }
        return new AccessPolicy(file, topics, ledger, tenants, groups);
    }

    private AccessPolicy.Group group(String name, Node node, Map<String, AccessPolicy.Topic> topics, Map<String, String> tenants, boolean hasLedger)
    {
        Map<String, Node> body = mapping(node, "group " + name,
                Set.of("description", "read", "write", "read_restricted", "document_filter", "hidden_fields", "masked_fields", "tenants", "ledger", "sandbox"));
        if (body.containsKey("document_filter")) {
            // Document-level security inside an index does not hold through global, sampler, significant_terms
            // background sets or terms with min_doc_count 0 on the security plugin; separate indices do.
            throw error(body.get("document_filter"), "document_filter is not supported: document-level security can be escaped through aggregations"
                    + " such as global; put the records a group must not see in the topic's restricted_indices and grant them with read_restricted");
        }
        List<String> read = body.containsKey("read") ? topicList(body.get("read"), topics) : List.of();
        List<String> write = body.containsKey("write") ? topicList(body.get("write"), topics) : List.of();
        List<String> readRestricted = new ArrayList<>();
        if (body.containsKey("read_restricted")) {
            for (Node item : sequence(body.get("read_restricted"), "read_restricted")) {
                String topic = scalar(item, "topic");
                checkGranted(topic, item, read, write, "read_restricted");
                if (topics.get(topic).restrictedIndices().isEmpty()) {
                    throw error(item, "read_restricted: topic '" + topic + "' has no restricted_indices");
                }
                readRestricted.add(topic);
            }
        }
        List<String> sandbox = new ArrayList<>();
        if (body.containsKey("sandbox")) {
            for (Node item : sequence(body.get("sandbox"), "sandbox")) {
                String topic = scalar(item, "topic");
                checkGranted(topic, item, read, write, "sandbox");
                sandbox.add(topic);
            }
        }
        Map<String, List<String>> hidden = fieldsByTopic(body.get("hidden_fields"), "hidden_fields", read, write, null);
        Map<String, List<String>> masked = fieldsByTopic(body.get("masked_fields"), "masked_fields", read, write, hidden);
        List<String> groupTenants = new ArrayList<>();
        if (body.containsKey("tenants")) {
            for (Node tenant : sequence(body.get("tenants"), "tenants")) {
                String tenantName = scalar(tenant, "tenant");
                if (!tenants.containsKey(tenantName)) {
                    throw error(tenant, "unknown tenant '" + tenantName + "'; expected one of " + tenants.keySet());
                }
                groupTenants.add(tenantName);
            }
        }
        boolean ledgerRead = false;
        if (body.containsKey("ledger")) {
            String access = scalar(body.get("ledger"), "ledger");
            if (!access.equals("read")) {
                throw error(body.get("ledger"), "ledger: expected 'read'");
            }
            if (!hasLedger) {
                throw error(body.get("ledger"), "group grants ledger access but the policy has no top-level ledger.indices");
            }
            ledgerRead = true;
        }
        if (read.isEmpty() && write.isEmpty() && !ledgerRead) {
            throw error(node, "group " + name + " grants nothing; expected read, write or ledger");
        }
        String description = body.containsKey("description") ? scalar(body.get("description"), "description") : "";
        return new AccessPolicy.Group(name, description, read, write, readRestricted, hidden, masked, groupTenants, ledgerRead, sandbox);
    }

    /** @param hidden the group's hidden fields when reading its masked fields (which must be maskable), else null */
    private Map<String, List<String>> fieldsByTopic(Node node, String what, List<String> read, List<String> write, Map<String, List<String>> hidden)
    {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (node == null) {
            return result;
        }
        for (Map.Entry<String, Node> entry : mapping(node, what, null).entrySet()) {
            checkGranted(entry.getKey(), entry.getValue(), read, write, what);
            List<String> fields = new ArrayList<>();
            for (Node field : sequence(entry.getValue(), what + "." + entry.getKey())) {
                String name = scalar(field, "field");
                if (!FIELD.matcher(name).matches()) {
                    throw error(field, what + ": '" + name + "' is not a field name; expected e.g. user_agent.original");
                }
                if (hidden != null) {
                    checkMaskable(name, field, hidden.getOrDefault(entry.getKey(), List.of()));
                }
                fields.add(name);
            }
            result.put(entry.getKey(), fields);
        }
        return result;
    }

    /**
     * The security plugin masks string fields only. On an {@code ip} field it answers terms aggregations with an error
     * and range aggregations with the clear values (so the address can be bisected), and numbers and dates are not
     * masked at all; an address's text copy ({@code <side>.address}) is maskable, but masking it means nothing while
     * the group still reads the {@code <side>.ip} beside it.
     */
    private void checkMaskable(String field, Node node, List<String> hiddenOfTopic)
    {
        String type = DocumentMappings.RESULT_FIELDS.get(field);
        if (type != null && !type.equals("keyword")) {
            String side = field.substring(0, field.indexOf('.') + 1);
            throw error(node, "masked_fields: '" + field + "' is mapped as " + type + ", and the security plugin masks only string (keyword) fields"
                    + (type.equals("ip") ? "; range aggregations would still count its clear values. Expected hidden_fields: [" + field + "] and masked_fields: ["
                    + side + IndexPseudonyms.ADDRESS_TEXT + "] (the address as text), with pseudonym." + field + " to search by" : "; expected it under hidden_fields"));
        }
        if (field.endsWith("." + IndexPseudonyms.ADDRESS_TEXT)) {
            String addressField = field.substring(0, field.length() - IndexPseudonyms.ADDRESS_TEXT.length()) + "ip";
            if (IndexPseudonyms.ADDRESS_FIELDS.contains(addressField) && !hiddenOfTopic.contains(addressField)) {
                throw error(node, "masked_fields: '" + field + "' is masked but the group still reads '" + addressField + "', the same address in clear;"
                        + " expected '" + addressField + "' under hidden_fields for this topic too");
            }
        }
    }

    private void checkGranted(String topic, Node node, List<String> read, List<String> write, String what)
    {
        if (!read.contains(topic) && !write.contains(topic)) {
            throw error(node, what + " for topic '" + topic + "' which the group cannot read; expected one of " + read);
        }
    }

    private List<String> topicList(Node node, Map<String, AccessPolicy.Topic> topics)
    {
        List<String> result = new ArrayList<>();
        for (Node item : sequence(node, "topic list")) {
            String topic = scalar(item, "topic");
            if (!topics.containsKey(topic)) {
                throw error(item, "unknown topic '" + topic + "'; expected one of " + topics.keySet());
            }
            result.add(topic);
        }
        return result;
    }

    private List<String> indexPatterns(Node node)
    {
        List<String> patterns = new ArrayList<>();
        for (Node item : sequence(node, "indices")) {
            String pattern = scalar(item, "index pattern");
            checkIndexPattern(pattern, item);
            patterns.add(pattern);
        }
        if (patterns.isEmpty()) {
            throw error(node, "indices: expected at least one index pattern");
        }
        return patterns;
    }

    /** Refuses patterns reaching all indices, hidden or system indices (the security index), or a bare wildcard prefix. */
    private void checkIndexPattern(String pattern, Node node)
    {
        if (pattern.equals("_all") || pattern.chars().allMatch(c -> c == '*' || c == '?' || c == ',')) {
            throw error(node, "index pattern '" + pattern + "' would grant every index; expected a pattern such as dragnet-c2-*");
        }
        if (pattern.startsWith(".") || pattern.contains("opendistro") || pattern.contains("security")) {
            throw error(node, "index pattern '" + pattern + "' would reach a hidden or system index such as the security index .opendistro_security; refused");
        }
        if (!LITERAL_PREFIX.matcher(pattern).matches() || pattern.startsWith("/") || pattern.contains(",")) {
            throw error(node, "index pattern '" + pattern + "': expected a lowercase literal prefix of at least 3 characters before any wildcard, e.g. dragnet-c2-*");
        }
        if (globMatches(pattern, IndexNames.EXPORT_TRAIL_INDEX)) {
            throw error(node, "index pattern '" + pattern + "' would reach the export trail " + IndexNames.EXPORT_TRAIL_INDEX
                    + ", which only the admin reads; expected a pattern such as dragnet-c2-*");
        }
    }

    private static boolean globMatches(String pattern, String name)
    {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return name.matches(regex.toString());
    }

    /** Whether an index pattern with at most trailing wildcards matches every name the other pattern can. */
    private static boolean covers(String pattern, String other)
    {
        String prefix = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : null;
        String otherLiteral = other.endsWith("*") ? other.substring(0, other.length() - 1) : other;
        return prefix == null ? pattern.equals(other) : otherLiteral.startsWith(prefix);
    }

    private void checkName(String name, Node node, String what)
    {
        if (!NAME.matcher(name).matches()) {
            throw error(node, what + " name '" + name + "': expected lowercase letters, digits, '-' or '_' (" + NAME.pattern() + ")");
        }
    }

    private Map<String, Node> mapping(Node node, String what, Set<String> allowedKeys)
    {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, what + ": expected a mapping");
        }
        Map<String, Node> result = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode(), "key");
            if (allowedKeys != null && !allowedKeys.contains(key)) {
                throw error(tuple.getKeyNode(), "unknown key '" + key + "' in " + what + "; expected one of " + allowedKeys.stream().sorted().toList());
            }
            if (result.put(key, tuple.getValueNode()) != null) {
                throw error(tuple.getKeyNode(), "duplicate key '" + key + "' in " + what);
            }
        }
        return result;
    }

    private List<Node> sequence(Node node, String what)
    {
        if (!(node instanceof SequenceNode sequence)) {
            throw error(node, what + ": expected a list such as [a, b]");
        }
        return sequence.getValue();
    }

    private String scalar(Node node, String what)
    {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(node, what + ": expected a single value");
        }
        return scalar.getValue();
    }

    private Node required(Map<String, Node> mapping, String key, Node parent)
    {
        Node node = mapping.get(key);
        if (node == null) {
            throw error(parent, "missing key '" + key + "'");
        }
        return node;
    }

    private DragnetException error(Node node, String message)
    {
        int line = node == null ? 1 : node.getStartMark().getLine() + 1;
        return DragnetException.user(file + ":" + line + ": " + message);
    }
}
