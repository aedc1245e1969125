package io.dragnet.access;

import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.opensearch.client.RestResponse;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Applies compiled security configuration through the security plugin's REST API ({@code _plugins/_security/api}),
 * as an administrator. Re-applying is idempotent (PUT replaces); dragnet roles and mappings no longer in the policy are
 * deleted, anything else is left alone.
 */
public final class SecurityApplier
{
    private static final String API = "/_plugins/_security/api/";

    private final OpenSearchClient client;

    public SecurityApplier(OpenSearchClient client)
    {
        this.client = requireNonNull(client, "client is null");
    }

    /** Returns one line per object written or removed. */
    public List<String> apply(SecurityCompiler.Compiled compiled)
    {
        List<String> log = new ArrayList<>();
        put("actiongroups", compiled.actionGroups(), log);
        put("tenants", compiled.tenants(), log);
        put("roles", compiled.roles(), log);
        put("rolesmapping", compiled.roleMappings(), log);
        removeStale("rolesmapping", compiled.roleMappings(), log);
        removeStale("roles", compiled.roles(), log);
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
            if (name.startsWith(SecurityCompiler.ROLE_PREFIX) && !wanted.containsKey(name)) {
                OpenSearchRest.require(client, "DELETE", API + kind + "/" + name, null);
                log.add("deleted " + kind + "/" + name);
            }
        }
    }
}
