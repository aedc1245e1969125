package io.dragnet.access;

import io.dragnet.contracts.IndexNames;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compiles an {@link AccessPolicy} into the security plugin's configuration, as the bodies of its REST API:
 * one role per group ({@code dragnet_<group>}), with one index permission per topic (and one for its restricted partition
 * where granted, and one for its sandbox indices where the group is the topic's sandbox reader) so FLS and masking apply per topic; role mappings from backend roles (the group names locally, the groups' IAM role ARNs on AWS);
 * the action groups the roles use; and the tenants. Pure: no IO.
 */
public final class SecurityCompiler
{
    public static final String READ_ACTIONS = "dragnet_topic_read";
    public static final String WRITE_ACTIONS = "dragnet_topic_write";
    public static final String ROLE_PREFIX = "dragnet_";
    /** The raw source record of a document (ECS {@code event.original}). */
    public static final String RAW_RECORD_FIELD = "event.original";

    private SecurityCompiler() {}

    public record Compiled(
            Map<String, Map<String, Object>> actionGroups,
            Map<String, Map<String, Object>> roles,
            Map<String, Map<String, Object>> roleMappings,
            Map<String, Map<String, Object>> tenants) {}

    /** Local binding: the backend role of a group is its name (the {@code cognito:groups} claim). */
    public static Compiled compileLocal(AccessPolicy policy)
    {
        return compile(policy, Function.identity());
    }

    /** AWS binding: Cognito maps groups to IAM roles, and FGAC sees the role ARN as the backend role. */
    public static Compiled compileForAws(AccessPolicy policy, String accountId)
    {
        return compile(policy, group -> CognitoGroups.roleArn(accountId, group));
    }

    public static String roleName(String group)
    {
        return ROLE_PREFIX + group.replace('-', '_');
    }

    /**
     * One index permission with the group's field rules for the topic. {@code event.original} is the raw record and
     * carries the values of the fields it was parsed into, so any hidden or masked field of a topic hides it too.
     */
    private static Map<String, Object> permission(List<String> indices, List<String> actions, AccessPolicy.Group group, String topic)
    {
        Map<String, Object> permission = new LinkedHashMap<>();
        permission.put("index_patterns", indices);
        permission.put("allowed_actions", actions);
        List<String> hidden = new ArrayList<>(group.hiddenFields().getOrDefault(topic, List.of()));
        List<String> masked = group.maskedFields().getOrDefault(topic, List.of());
        if ((!hidden.isEmpty() || !masked.isEmpty()) && !hidden.contains(RAW_RECORD_FIELD)) {
            hidden.add(RAW_RECORD_FIELD);
        }
        if (!hidden.isEmpty()) {
            permission.put("fls", hidden.stream().map(field -> "~" + field).toList());
        }
        if (!masked.isEmpty()) {
            permission.put("masked_fields", masked);
        }
        return permission;
    }

    public static Compiled compile(AccessPolicy policy, Function<String, String> backendRole)
    {
        Map<String, Map<String, Object>> actionGroups = new LinkedHashMap<>();
        actionGroups.put(READ_ACTIONS, Map.of("type", "index", "description", "dragnet: search and read a topic",
                "allowed_actions", List.of("read", "indices:admin/mappings/get", "indices:admin/mappings/fields/get*", "indices:admin/resolve/index",
                        "indices:admin/aliases/get")));
        actionGroups.put(WRITE_ACTIONS, Map.of("type", "index", "description", "dragnet: write a topic",
                "allowed_actions", List.of(READ_ACTIONS, "write", "create_index")));
        Map<String, Map<String, Object>> roles = new LinkedHashMap<>();
        Map<String, Map<String, Object>> mappings = new LinkedHashMap<>();
        for (AccessPolicy.Group group : policy.groups().values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
            List<Map<String, Object>> indexPermissions = new ArrayList<>();
            for (AccessPolicy.Topic topic : policy.topics().values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
                if (!group.reads(topic.name())) {
                    continue;
                }
                List<String> actions = List.of(group.write().contains(topic.name()) ? WRITE_ACTIONS : READ_ACTIONS);
                indexPermissions.add(permission(topic.indices(), actions, group, topic.name()));
                if (group.readRestricted().contains(topic.name())) {
                    indexPermissions.add(permission(topic.restrictedIndices(), actions, group, topic.name()));
                }
                if (group.sandbox().contains(topic.name())) {
                    // sandbox runs are read, never written, by their group; the writer writes them
                    List<String> sandbox = new ArrayList<>(List.of(IndexNames.sandboxPattern(topic.name())));
                    if (group.readRestricted().contains(topic.name())) {
                        sandbox.add(IndexNames.sandboxPattern(IndexNames.restrictedTopic(topic.name())));
                    }
                    indexPermissions.add(permission(sandbox, List.of(READ_ACTIONS), group, topic.name()));
                }
            }
            if (group.ledgerRead()) {
                indexPermissions.add(Map.of("index_patterns", policy.ledgerIndices(), "allowed_actions", List.of(READ_ACTIONS)));
            }
            Map<String, Object> role = new LinkedHashMap<>();
            role.put("description", "group " + group.name() + (group.description().isEmpty() ? "" : ": " + group.description()));
            role.put("cluster_permissions", List.of("cluster_composite_ops_ro"));
            role.put("index_permissions", indexPermissions);
            if (!group.tenants().isEmpty()) {
                role.put("tenant_permissions", List.of(Map.of("tenant_patterns", group.tenants(), "allowed_actions", List.of("kibana_all_write"))));
            }
            roles.put(roleName(group.name()), role);
            mappings.put(roleName(group.name()), Map.of("backend_roles", List.of(backendRole.apply(group.name())), "description", "from " + policy.source()));
        }
        Map<String, Map<String, Object>> tenants = new LinkedHashMap<>();
        policy.tenants().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(tenant -> tenants.put(tenant.getKey(), Map.of("description", tenant.getValue())));
        return new Compiled(actionGroups, roles, mappings, tenants);
    }
}
