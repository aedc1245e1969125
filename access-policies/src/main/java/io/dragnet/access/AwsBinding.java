package io.dragnet.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.IndexNames;
import io.dragnet.opensearch.client.SecurityConfigApplier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The access policy's AWS binding as two CloudFormation templates that infra-sam/template.yaml nests, so the deployed
 * stack always matches the policy (TestAwsBinding regenerates them and compares with the committed files):
 * <ul>
 *   <li>{@value #IDENTITY_TEMPLATE}: per group an IAM role (assumable through the identity pool, allowed to call the
 *   domain) and a Cognito group carrying its {@code RoleArn} ({@link CognitoGroups}); the identity pool's
 *   {@code Token} role mapping with {@code AmbiguousRoleResolution: Deny}, so a user gets exactly their group's role
 *   or none;</li>
 *   <li>{@value #SECURITY_CONFIG_TEMPLATE}: the custom resource {@code Custom::DragnetSecurityConfig} carrying the
 *   compiled security configuration ({@link SecurityCompiler#compileForAws}: backend roles are the groups' IAM role
 *   ARNs), plus the writer role mapped to the EMR instance role and the Publish and RecordRunCost Lambda roles, and
 *   the security administration mapped to the admin role and the custom resource's own role.</li>
 * </ul>
 */
public final class AwsBinding
{
    public static final String IDENTITY_TEMPLATE = "access/identity.yaml";
    public static final String SECURITY_CONFIG_TEMPLATE = "access/security-config.yaml";
    public static final String WRITER_ROLE = SecurityCompiler.ROLE_PREFIX + "writer";
    public static final String SHARING_ROLE = SecurityCompiler.ROLE_PREFIX + "sharing";
    static final String ACCOUNT = "${AWS::AccountId}";
    private static final Pattern IAM_ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/.+");

    // keys sorted: the same policy always gives the same bytes, whatever the maps' iteration order
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private AwsBinding() {}

    /**
     * Relative path under infra-sam → file content.
     *
     * @param sourceName how the templates name the policy file (e.g. {@code samples/access-policy.yaml}), so the
     *        output does not depend on where the policy was read from
     * @param audit the policy's audit configuration ({@link AuditConfig#besidePolicy})
     */
    public static Map<String, String> templates(AccessPolicy read, String sourceName, AuditConfig audit)
    {
        AccessPolicy policy = new AccessPolicy(sourceName, read.topics(), read.ledgerIndices(), read.tenants(), read.groups());
        Map<String, String> files = new LinkedHashMap<>();
        files.put(IDENTITY_TEMPLATE, yaml(policy, identityTemplate(policy)));
        files.put(SECURITY_CONFIG_TEMPLATE, yaml(policy, securityConfigTemplate(policy, audit)));
        return files;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> identityTemplate(AccessPolicy policy)
    {
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("AWSTemplateFormatVersion", "2010-09-09");
        template.put("Description", "dragnet access policy, AWS binding: a Cognito group and an IAM role per group, token-based role mapping");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("UserPool", Map.of("Type", "String", "Description", "Cognito user pool id"));
        parameters.put("IdentityPool", Map.of("Type", "String", "Description", "Cognito identity pool id"));
        parameters.put("DashboardsAppClientId", Map.of("Type", "String", "Default", "",
                "Description", "id of the user pool app client OpenSearch created for Dashboards; empty: no role for anyone"));
        parameters.put("DomainName", Map.of("Type", "String", "Description", "OpenSearch domain name"));
        template.put("Parameters", parameters);
        template.put("Conditions", Map.of("HasDashboardsClient", Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "DashboardsAppClientId"), ""))))));

        Map<String, Object> resources = new LinkedHashMap<>();
        Map<String, Object> outputs = new LinkedHashMap<>();
        Map<String, Object> groups = (Map<String, Object>) CognitoGroups.resources(policy).get("Resources");
        for (Map.Entry<String, Object> resource : groups.entrySet()) {
            Map<String, Object> body = (Map<String, Object>) resource.getValue();
            if (body.get("Type").equals("AWS::IAM::Role")) {
                Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) body.get("Properties"));
                properties.put("Policies", List.of(Map.of("PolicyName", "search", "PolicyDocument", Map.of(
                        "Version", "2012-10-17",
                        "Statement", List.of(Map.of(
                                "Effect", "Allow",
                                "Action", List.of("es:ESHttpGet", "es:ESHttpPost", "es:ESHttpHead"),
                                "Resource", Map.of("Fn::Sub", "arn:${AWS::Partition}:es:${AWS::Region}:${AWS::AccountId}:domain/${DomainName}/*")))))));
                resources.put(resource.getKey(), Map.of("Type", "AWS::IAM::Role", "Properties", properties));
                outputs.put(resource.getKey() + "Arn", Map.of("Value", Map.of("Fn::GetAtt", List.of(resource.getKey(), "Arn"))));
            }
            else {
                resources.put(resource.getKey(), body);
            }
        }
        resources.put("IdentityPoolRoles", Map.of(
                "Type", "AWS::Cognito::IdentityPoolRoleAttachment",
                "Properties", Map.of(
                        "IdentityPoolId", Map.of("Ref", "IdentityPool"),
                        "RoleMappings", Map.of("Fn::If", List.of("HasDashboardsClient",
                                Map.of("dashboards", Map.of(
                                        "IdentityProvider", Map.of("Fn::Sub", "cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}:${DashboardsAppClientId}"),
                                        "Type", "Token",
                                        "AmbiguousRoleResolution", "Deny")),
                                Map.of("Ref", "AWS::NoValue"))))));
        template.put("Resources", resources);
        outputs.put("GroupRoleArns", Map.of("Value", Map.of("Fn::Join", List.of(",", outputs.keySet().stream()
                .map(key -> (Object) Map.of("Fn::GetAtt", List.of(key.substring(0, key.length() - "Arn".length()), "Arn"))).toList()))));
        template.put("Outputs", outputs);
        return template;
    }

    /**
     * The custom resource's properties: the compiled security configuration with the binding's service roles, and the
     * audit configuration with the writers' roles added to {@code audit.ignore_users} (OpenSearch Service names a
     * request signed with an IAM role by the role's ARN).
     */
    public static Map<String, Object> securityConfigTemplate(AccessPolicy policy, AuditConfig audit)
    {
        SecurityCompiler.Compiled compiled = SecurityCompiler.compileForAws(policy, ACCOUNT);
        Map<String, Map<String, Object>> roles = new LinkedHashMap<>(compiled.roles());
        roles.put(WRITER_ROLE, writerRole());
        roles.put(SHARING_ROLE, sharingRole());
        Map<String, Object> mappings = new LinkedHashMap<>();
        compiled.roleMappings().forEach((role, mapping) -> mappings.put(role, substituted(mapping)));
        List<Object> writers = List.of(Map.of("Ref", "EmrInstanceRoleArn"), Map.of("Ref", "PublishRoleArn"), Map.of("Ref", "RecordRunCostRoleArn"));
        mappings.put(WRITER_ROLE, Map.of("description", "dragnet writers: the EMR step, Publish and RecordRunCost", "backend_roles", writers));
        mappings.put(SHARING_ROLE, Map.of("description", "the Share step: reads published hits, records exports in the trail index",
                "backend_roles", List.of(Map.of("Ref", "ShareRoleArn"))));
        for (String administration : List.of("all_access", "security_manager")) {
            mappings.put(administration, Map.of("description", "dragnet administrators and the deploy-time security configuration",
                    "backend_roles", List.of(Map.of("Ref", "AdminRoleArn"), Map.of("Ref", "SecurityConfigRoleArn"))));
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("ServiceToken", Map.of("Ref", "ServiceToken"));
        properties.put("actiongroups", compiled.actionGroups());
        properties.put("tenants", compiled.tenants());
        properties.put("roles", roles);
        properties.put("rolesmapping", mappings);
        properties.put("audit", audit.ignoringUsers(writers));

        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("ServiceToken", Map.of("Type", "String", "Description", "ARN of the security configuration function"));
        for (String role : List.of("EmrInstanceRoleArn", "PublishRoleArn", "RecordRunCostRoleArn", "ShareRoleArn", "AdminRoleArn", "SecurityConfigRoleArn")) {
            parameters.put(role, Map.of("Type", "String"));
        }
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("AWSTemplateFormatVersion", "2010-09-09");
        template.put("Description", "dragnet access policy, AWS binding: the security configuration applied to the domain at deploy time");
        template.put("Parameters", parameters);
        template.put("Resources", Map.of("SecurityConfiguration", Map.of("Type", "Custom::DragnetSecurityConfig", "Properties", properties)));
        return template;
    }

    /**
     * What the custom resource applies, for a domain the stack has already configured, so {@code access apply} can
     * apply a changed policy to an AWS domain directly: the groups' roles mapped to their IAM role ARNs, the binding's
     * service roles, and the audit configuration with the writers left out. The service roles' mappings name the
     * stack's own roles, which only the stack knows: they are kept as the domain has them ({@code writerMapping},
     * {@code sharingMapping}, read back from it), and the account of the groups' roles is the writers'.
     */
    public static SecurityConfigApplier.SecurityConfig forDomain(AccessPolicy policy, AuditConfig audit, Map<String, Object> writerMapping,
            Map<String, Object> sharingMapping)
    {
        List<Object> writers = writerMapping.get("backend_roles") instanceof List<?> list ? List.copyOf(list) : List.of();
        Matcher account = writers.isEmpty() ? null : IAM_ROLE_ARN.matcher(String.valueOf(writers.get(0)));
        if (account == null || !account.matches()) {
            throw DragnetException.user("the domain's " + WRITER_ROLE + " mapping names no IAM role (" + writers + "): deploy the stack first, "
                    + "its security configuration maps the writers");
        }
        SecurityCompiler.Compiled compiled = SecurityCompiler.compileForAws(policy, account.group(1));
        Map<String, Map<String, Object>> roles = new LinkedHashMap<>(compiled.roles());
        roles.put(WRITER_ROLE, writerRole());
        roles.put(SHARING_ROLE, sharingRole());
        Map<String, Map<String, Object>> mappings = new LinkedHashMap<>(compiled.roleMappings());
        mappings.put(WRITER_ROLE, mappingBody(writerMapping));
        mappings.put(SHARING_ROLE, mappingBody(sharingMapping));
        return new SecurityConfigApplier.SecurityConfig(compiled.actionGroups(), compiled.tenants(), roles, mappings, audit.ignoringUsers(writers));
    }

    /** The keys a role mapping's PUT takes, from a mapping as GET answers it (which adds reserved, hidden...). */
    private static Map<String, Object> mappingBody(Map<String, Object> mapping)
    {
        Map<String, Object> body = new LinkedHashMap<>();
        for (String key : List.of("backend_roles", "and_backend_roles", "users", "hosts", "description")) {
            if (mapping.containsKey(key)) {
                body.put(key, mapping.get(key));
            }
        }
        return body;
    }

    /** What the EMR step, Publish and RecordRunCost need: write run indexes, switch aliases, delete replaced indexes. */
    private static Map<String, Object> writerRole()
    {
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("description", "dragnet writers: index run documents and the ledger, publish aliases, delete replaced run indexes");
        role.put("cluster_permissions", List.of("cluster_composite_ops", "cluster_monitor", "indices:admin/aliases", "indices:admin/aliases/get"));
        role.put("index_permissions", List.of(Map.of("index_patterns", List.of("dragnet-*", IndexNames.SANDBOX_PREFIX + "-*"),
                "allowed_actions", List.of("crud", "create_index", "manage_aliases", "indices:admin/delete", "indices:admin/refresh*", "indices:admin/get", "indices:monitor/*"))));
        return role;
    }

    /** What the Share step needs: read every topic's published hits (both partitions), append to the export trail index. */
    private static Map<String, Object> sharingRole()
    {
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("description", "dragnet sharing: read published hits for alerts and exports, write the export trail");
        role.put("cluster_permissions", List.of("cluster_composite_ops_ro", "indices:data/read/scroll*"));
        role.put("index_permissions", List.of(
                Map.of("index_patterns", List.of("dragnet-*"), "allowed_actions", List.of("read", "indices:admin/aliases/get")),
                Map.of("index_patterns", List.of(IndexNames.EXPORT_TRAIL_INDEX), "allowed_actions", List.of("crud", "create_index", "indices:admin/get", "indices:admin/refresh*"))));
        return role;
    }

    @SuppressWarnings("unchecked")
    private static Object substituted(Object value)
    {
        if (value instanceof String text) {
            return text.contains("${AWS::") ? Map.of("Fn::Sub", text) : text;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(substituted(item)));
            return copy;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, item) -> copy.put(key, substituted(item)));
            return copy;
        }
        return value;
    }

    private static String yaml(AccessPolicy policy, Map<String, Object> template)
    {
        try {
            return "# Generated from " + policy.source() + " by `dragnet access show --sam infra-sam`: do not edit by hand.\n" + YAML.writeValueAsString(template);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
