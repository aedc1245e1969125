package io.dragnet.opensearch.internal;

import io.dragnet.contracts.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The security plugin's configuration for the embedded node, loaded into the security index on first start
 * ({@code allow_default_init_securityindex}). Written as JSON, which the plugin's YAML reader accepts, so no value
 * ever needs YAML quoting. Authentication: HTTP basic for the generated admin user, and one JWT domain that accepts
 * the RS256 tokens the token gateway signs ({@code cognito:groups} become backend roles).
 */
public record SecurityConfigFiles(String adminPasswordHash, String jwtPublicKeyBase64, String jwtIssuer, String jwtAudience, String rolesKey, String subjectKey, int clockSkewSeconds,
        String basicAuthDomain, int basicAuthOrder)
{
    public SecurityConfigFiles
    {
        requireNonNull(adminPasswordHash, "adminPasswordHash is null");
        requireNonNull(jwtPublicKeyBase64, "jwtPublicKeyBase64 is null");
        requireNonNull(jwtIssuer, "jwtIssuer is null");
        requireNonNull(jwtAudience, "jwtAudience is null");
        requireNonNull(rolesKey, "rolesKey is null");
        requireNonNull(subjectKey, "subjectKey is null");
        requireNonNull(basicAuthDomain, "basicAuthDomain is null");
    }

    /** File name (in {@code config/opensearch-security/}) to content. */
    public Map<String, String> files()
    {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("config.yml", Json.write(config()));
        // The administrator holds all_access directly, and no mapping grants it by user name or backend role: a token's
        // subject or groups claim naming "admin" then maps to nothing.
        files.put("internal_users.yml", Json.write(Map.of(
                "_meta", meta("internalusers"),
                "admin", Map.of("hash", adminPasswordHash, "reserved", true, "opendistro_security_roles", List.of("all_access"),
                        "description", "generated administrator"))));
        files.put("roles_mapping.yml", Json.write(Map.of(
                "_meta", meta("rolesmapping"),
                "all_access", Map.of("reserved", true, "backend_roles", List.of(), "users", List.of(), "hosts", List.of(),
                        "description", "granted only to the local admin credential, in internal_users"))));
        files.put("roles.yml", Json.write(Map.of("_meta", meta("roles"))));
        files.put("action_groups.yml", Json.write(Map.of("_meta", meta("actiongroups"))));
        files.put("tenants.yml", Json.write(Map.of("_meta", meta("tenants"))));
        files.put("nodes_dn.yml", Json.write(Map.of("_meta", meta("nodesdn"))));
        files.put("audit.yml", Json.write(audit()));
        return files;
    }

    private Map<String, Object> config()
    {
        Map<String, Object> jwt = Map.of(
                "description", "tokens signed by the dragnet token gateway after it checked an analyst's ID token",
                "http_enabled", true,
                "transport_enabled", false,
                "order", 0,
                "http_authenticator", Map.of("type", "jwt", "challenge", false, "config", Map.of(
                        "signing_key", jwtPublicKeyBase64,
                        "jwt_header", "Authorization",
                        "roles_key", rolesKey,
                        "subject_key", subjectKey,
                        "required_issuer", jwtIssuer,
                        "required_audience", jwtAudience,
                        "jwt_clock_skew_tolerance_seconds", clockSkewSeconds)),
                "authentication_backend", Map.of("type", "noop"));
        Map<String, Object> basic = Map.of(
                "description", "generated admin user, HTTP basic",
                "http_enabled", true,
                "transport_enabled", true,
                "order", basicAuthOrder,
                "http_authenticator", Map.of("type", "basic", "challenge", true),
                "authentication_backend", Map.of("type", "intern"));
        return Map.of(
                "_meta", meta("config"),
                "config", Map.of("dynamic", Map.of(
                        "http", Map.of("anonymous_auth_enabled", false),
                        "authc", Map.of("jwt_auth_domain", jwt, basicAuthDomain, basic),
                        "do_not_fail_on_forbidden", true,
                        "multi_rolespan_enabled", true)));
    }

    /**
     * Audit log off until the access policy is applied with its audit configuration (samples/access-audit.yaml, through
     * the audit REST API, which answers only when an audit document exists in the security index). The settings the
     * plugin keeps read-only for everyone but the certificate administrator get their final values here.
     */
    private static Map<String, Object> audit()
    {
        return Map.of(
                "_meta", meta("audit"),
                "config", Map.of(
                        "enabled", false,
                        "audit", Map.of("exclude_sensitive_headers", true),
                        "compliance", Map.of("enabled", false, "internal_config", true, "external_config", false)));
    }

    private static Map<String, Object> meta(String type)
    {
        return Map.of("type", type, "config_version", 2);
    }
}
