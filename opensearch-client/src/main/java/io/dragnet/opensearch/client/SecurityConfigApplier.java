package io.dragnet.opensearch.client;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
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
 *
 * <p>The audit configuration, when given, replaces the domain's ({@code PUT _plugins/_security/api/audit/config}). The
 * plugin lets only its certificate administrator change some audit settings (listed as {@code _readonly} by
 * {@code GET _plugins/_security/api/audit}); those keep the domain's value and the log says so. A domain whose audit
 * log has no sink (no {@code plugins.security.audit.type}; on OpenSearch Service, audit logs not published) answers
 * 501, which fails the apply: an audit configuration that cannot be applied is never silently dropped.
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

    /**
     * The REST API's objects by kind: name → body.
     *
     * @param audit the audit API's body ({@code enabled}, {@code audit}, {@code compliance}); empty leaves the domain's audit configuration alone
     */
    public record SecurityConfig(
            Map<String, Map<String, Object>> actionGroups,
            Map<String, Map<String, Object>> tenants,
            Map<String, Map<String, Object>> roles,
            Map<String, Map<String, Object>> roleMappings,
            Map<String, Object> audit)
    {
        public SecurityConfig
        {
            actionGroups = requireNonNull(actionGroups, "actionGroups is null");
            tenants = requireNonNull(tenants, "tenants is null");
            roles = requireNonNull(roles, "roles is null");
            roleMappings = requireNonNull(roleMappings, "roleMappings is null");
            audit = requireNonNull(audit, "audit is null");
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
        if (!config.audit().isEmpty()) {
            applyAudit(config.audit(), log);
        }
        return List.copyOf(log);
    }

    private void applyAudit(Map<String, Object> audit, List<String> log)
    {
        RestResponse current = OpenSearchRest.call(client, "GET", API + "audit", null);
        if (current.status() == 501) {
            throw DragnetException.external("the domain's security plugin keeps no audit log (GET " + API + "audit answered 501): set "
                    + "plugins.security.audit.type on the node, or publish AUDIT_LOGS on an OpenSearch Service domain, then apply again", null);
        }
        if (!current.ok()) {
            throw DragnetException.external("GET " + API + "audit failed with " + current.status() + ": " + current.body(), null);
        }
        JsonNode answer = Json.mapper().valueToTree(OpenSearchRest.parse(current.body()));
        JsonNode existing = answer.path("config");
        ObjectNode wanted = Json.mapper().valueToTree(audit);
        for (JsonNode readonly : answer.path("_readonly")) {
            JsonPointer path = JsonPointer.compile(readonly.asText());
            JsonNode kept = existing.at(path);
            if (!kept.isMissingNode() && !kept.equals(wanted.at(path)) && wanted.at(path.head()) instanceof ObjectNode parent) {
                log.add("kept read-only audit setting " + path + " = " + kept + " (the configuration asks for " + wanted.at(path) + ")");
                parent.set(path.last().getMatchingProperty(), kept);
            }
        }
        OpenSearchRest.require(client, "PUT", API + "audit/config", wanted.toString());
        log.add("put audit/config");
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
