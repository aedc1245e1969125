package io.dragnet.opensearch.client;

import org.opensearch.client.opensearch.OpenSearchClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Applies a security configuration through the security plugin's REST API ({@code _plugins/_security/api}) with
 * whatever authentication the client has (the local admin, or SigV4 as the domain's master role on AWS).
 * Re-applying is idempotent (PUT replaces); roles and mappings whose names start with the owned prefix but are no
 * longer wanted are deleted, anything else is left alone.
 */
public final class SecurityConfigApplier
{
    private static final String API = "/_plugins/_security/api/";

    private final OpenSearchClient client;
    private final String ownedPrefix;

    public SecurityConfigApplier(OpenSearchClient client, String ownedPrefix)
    {
        this.client = requireNonNull(client, "client is null");
        this.ownedPrefix = requireNonNull(ownedPrefix, "ownedPrefix is null");
    }

    /** The REST API's objects by kind: name → body. */
    public record SecurityConfig(
            Map<String, Map<String, Object>> actionGroups,
            Map<String, Map<String, Object>> tenants,
            Map<String, Map<String, Object>> roles,
            Map<String, Map<String, Object>> roleMappings)
    {
        public SecurityConfig
        {
            actionGroups = requireNonNull(actionGroups, "actionGroups is null");
            tenants = requireNonNull(tenants, "tenants is null");
            roles = requireNonNull(roles, "roles is null");
            roleMappings = requireNonNull(roleMappings, "roleMappings is null");
        }
    }

    /** Returns one line per object written or removed. */
    public List<String> apply(SecurityConfig config)
    {
        List<String> log = new ArrayList<>();
        put("actiongroups", config.actionGroups(), log);
        put("tenants", config.tenants(), log);
        put("roles", config.roles(), log);
        put("rolesmapping", config.roleMappings(), log);
        removeStale("rolesmapping", config.roleMappings(), log);
        removeStale("roles", config.roles(), log);
        return List.copyOf(log);
    }

    private void put(String kind, Map<String, Map<String, Object>> objects, List<String> log)
    {
        for (Map.Entry<String, Map<String, Object>> object : objects.entrySet()) {
            OpenSearchRest.require(client, "PUT", API + kind + "/" + object.getKey(), object.getValue());
            log.add("put " + kind + "/" + object.getKey());
        }
    }

    private void removeStale(String kind, Map<String, Map<String, Object>> wanted, List<String> log)
    {
        RestResponse existing = OpenSearchRest.call(client, "GET", API + kind, null);
        if (!existing.ok()) {
            return;
        }
        for (String name : OpenSearchRest.parse(existing.body()).keySet()) {
            if (name.startsWith(ownedPrefix) && !wanted.containsKey(name)) {
                OpenSearchRest.require(client, "DELETE", API + kind + "/" + name, null);
                log.add("deleted " + kind + "/" + name);
            }
        }
    }
}
