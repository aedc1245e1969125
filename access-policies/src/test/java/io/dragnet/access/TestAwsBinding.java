package io.dragnet.access;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dragnet.contracts.Json;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The SAM stack's access resources are the policy's AWS binding, and agree with `dragnet access show`. */
class TestAwsBinding
{
    private static final Path ROOT = RepositoryPaths.root();
    private static final String POLICY = "samples/access-policy.yaml";
    private static final String ACCOUNT = "123456789012";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    @Test
    void theCommittedTemplatesAreWhatThePolicyCompilesTo()
            throws IOException
    {
        Map<String, String> generated = AwsBinding.templates(AccessPolicyParser.parse(ROOT.resolve(POLICY)), POLICY,
                AuditConfig.read(AuditConfig.besidePolicy(ROOT.resolve(POLICY))));
        assertThat(generated).containsOnlyKeys(AwsBinding.IDENTITY_TEMPLATE, AwsBinding.SECURITY_CONFIG_TEMPLATE);
        for (Map.Entry<String, String> template : generated.entrySet()) {
            assertThat(Files.readString(ROOT.resolve("infra-sam").resolve(template.getKey())))
                    .as("infra-sam/%s is stale: regenerate with `dragnet access show --sam infra-sam`", template.getKey())
                    .isEqualTo(template.getValue());
        }
        String root = Files.readString(ROOT.resolve("infra-sam/template.yaml"));
        assertThat(root).contains("Location: " + AwsBinding.IDENTITY_TEMPLATE).contains("Location: " + AwsBinding.SECURITY_CONFIG_TEMPLATE);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStacksSecurityConfigurationIsWhatAccessShowPrints(@TempDir Path out)
            throws IOException
    {
        int exit = new CommandLine(new AccessCommand()).execute("show", "--policy", ROOT.resolve(POLICY).toString(), "--aws-account-id", ACCOUNT, "--out", out.toString());
        assertThat(exit).isZero();
        Map<String, Object> shown = Json.mapper().readValue(out.resolve("security-config.json").toFile(), MAP);

        Map<String, Object> stack = YAML.readValue(ROOT.resolve("infra-sam").resolve(AwsBinding.SECURITY_CONFIG_TEMPLATE).toFile(), MAP);
        Map<String, Object> resource = (Map<String, Object>) ((Map<String, Object>) stack.get("Resources")).get("SecurityConfiguration");
        assertThat(resource).containsEntry("Type", "Custom::DragnetSecurityConfig");
        Map<String, Object> deployed = (Map<String, Object>) substitute(resource.get("Properties"));

        for (String kind : List.of("actiongroups", "tenants")) {
            assertThat(deployed.get(kind)).as(kind).isEqualTo(shown.get(kind));
        }
        for (String kind : List.of("roles", "rolesmapping")) {
            Map<String, Object> groupsOnly = new LinkedHashMap<>((Map<String, Object>) deployed.get(kind));
            groupsOnly.keySet().removeIf(name -> !((Map<String, Object>) shown.get(kind)).containsKey(name));
            // a mapping's description names the policy file as it was given: where it was read from may differ
            assertThat(withoutDescriptions(groupsOnly)).as(kind).isEqualTo(withoutDescriptions((Map<String, Object>) shown.get(kind)));
        }
        Map<String, Object> writers = (Map<String, Object>) ((Map<String, Object>) deployed.get("rolesmapping")).get(AwsBinding.WRITER_ROLE);
        assertThat((List<Object>) writers.get("backend_roles")).containsExactly(
                Map.of("Ref", "EmrInstanceRoleArn"), Map.of("Ref", "PublishRoleArn"), Map.of("Ref", "RecordRunCostRoleArn"));
        // The stack enables the same audit configuration as `access apply`, with the writers' traffic left out.
        Map<String, Object> audit = (Map<String, Object>) deployed.get("audit");
        Map<String, Object> local = AuditConfig.read(AuditConfig.besidePolicy(ROOT.resolve(POLICY))).body();
        assertThat(audit).containsEntry("enabled", true).containsEntry("compliance", local.get("compliance"));
        assertThat((List<Object>) ((Map<String, Object>) audit.get("audit")).get("ignore_users")).containsExactly(
                Map.of("Ref", "EmrInstanceRoleArn"), Map.of("Ref", "PublishRoleArn"), Map.of("Ref", "RecordRunCostRoleArn"));
        assertThat(((Map<String, Object>) audit.get("audit")).get("disabled_rest_categories"))
                .isEqualTo(((Map<String, Object>) local.get("audit")).get("disabled_rest_categories"));
        assertThat(((Map<String, Object>) shown.get("rolesmapping")).get("dragnet_c2_researchers"))
                .extracting(mapping -> ((Map<String, Object>) mapping).get("backend_roles"))
                .isEqualTo(List.of("arn:aws:iam::" + ACCOUNT + ":role/dragnet-c2-researchers"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyGroupGetsACognitoGroupWithItsRoleAndTheIdentityPoolMapsTokensDenyingAmbiguity()
            throws IOException
    {
        AccessPolicy policy = AccessPolicyParser.parse(ROOT.resolve(POLICY));
        Map<String, Object> stack = YAML.readValue(ROOT.resolve("infra-sam").resolve(AwsBinding.IDENTITY_TEMPLATE).toFile(), MAP);
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) stack.get("Resources");

        List<String> groups = new ArrayList<>();
        for (Map<String, Object> resource : resources.values()) {
            if (resource.get("Type").equals("AWS::Cognito::UserPoolGroup")) {
                Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
                String group = (String) properties.get("GroupName");
                groups.add(group);
                String roleId = (String) ((List<Object>) ((Map<String, Object>) properties.get("RoleArn")).get("Fn::GetAtt")).get(0);
                Map<String, Object> role = (Map<String, Object>) resources.get(roleId).get("Properties");
                assertThat(role).containsEntry("RoleName", CognitoGroups.roleNameOf(group));
            }
        }
        assertThat(groups).containsExactlyInAnyOrderElementsOf(policy.groups().keySet());

        Map<String, Object> attachment = (Map<String, Object>) resources.get("IdentityPoolRoles").get("Properties");
        List<Object> ifClient = (List<Object>) ((Map<String, Object>) attachment.get("RoleMappings")).get("Fn::If");
        Map<String, Object> mapping = (Map<String, Object>) ((Map<String, Object>) ifClient.get(1)).get("dashboards");
        assertThat(mapping).containsEntry("Type", "Token").containsEntry("AmbiguousRoleResolution", "Deny");
        assertThat(attachment).doesNotContainKey("Roles");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutDescriptions(Map<String, Object> objects)
    {
        Map<String, Object> copy = new LinkedHashMap<>();
        objects.forEach((name, body) -> {
            Map<String, Object> fields = new LinkedHashMap<>((Map<String, Object>) body);
            if (fields.containsKey("backend_roles")) {
                fields.remove("description");
            }
            copy.put(name, fields);
        });
        return copy;
    }

    /** Resolves {@code Fn::Sub} over the account id, as CloudFormation would. */
    @SuppressWarnings("unchecked")
    private static Object substitute(Object value)
    {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("Fn::Sub")) {
                return ((String) map.get("Fn::Sub")).replace("${AWS::AccountId}", ACCOUNT);
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, item) -> copy.put(key, substitute(item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TestAwsBinding::substitute).toList();
        }
        return value;
    }
}
