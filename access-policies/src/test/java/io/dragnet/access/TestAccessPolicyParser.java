package io.dragnet.access;

import io.dragnet.contracts.DragnetException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestAccessPolicyParser
{
    private static final String HEADER = """
            version: 1
            topics:
              c2:
                indices: [dragnet-c2, dragnet-c2-*]
            """;

    @Test
    void compilesTheSamplePolicy()
    {
        Path sample = io.dragnet.storage.RepositoryPaths.samples().resolve("access-policy.yaml");
        AccessPolicy policy = AccessPolicyParser.parse(sample);
        assertThat(policy.groups()).containsOnlyKeys("c2-researchers", "dns-researchers", "web-researchers", "soc-analysts", "cost-owners");
        SecurityCompiler.Compiled compiled = SecurityCompiler.compileLocal(policy);
        Map<String, Object> soc = compiled.roles().get("dragnet_soc_analysts");
        assertThat(soc.toString()).contains("dls={\"bool\":{\"must_not\":[{\"term\":{\"asset.criticality\":\"restricted\"}}]}}")
                .contains("fls=[~user_agent.original]").contains("masked_fields=[asset.owner]");
        assertThat(compiled.roleMappings().get("dragnet_c2_researchers")).containsEntry("backend_roles", List.of("c2-researchers"));
        assertThat(SecurityCompiler.compileForAws(policy, "123456789012").roleMappings().get("dragnet_cost_owners"))
                .containsEntry("backend_roles", List.of("arn:aws:iam::123456789012:role/dragnet-cost-owners"));
        assertThat(compiled.roles().get("dragnet_cost_owners").toString()).contains("dragnet-runs").doesNotContain("dragnet-c2");
        assertThat(CognitoGroups.resources(policy).toString()).contains("DragnetGroupSocAnalystsRole").contains("GroupName=soc-analysts");
    }

    @Test
    void refusesWildcardOverAllIndicesNamingTheLine()
    {
        String yaml = HEADER + """
                  web:
                    indices: ["*"]
                groups:
                  g:
                    read: [c2]
                """;
        assertThatThrownBy(() -> AccessPolicyParser.parse(yaml, "p.yaml"))
                .isInstanceOf(DragnetException.class)
                .hasMessageStartingWith("p.yaml:6: index pattern '*' would grant every index");
    }

    @Test
    void refusesTheSecurityIndex()
    {
        String yaml = HEADER + """
                ledger:
                  indices: [.opendistro_security]
                groups:
                  g:
                    ledger: read
                """;
        assertThatThrownBy(() -> AccessPolicyParser.parse(yaml, "p.yaml"))
                .hasMessageStartingWith("p.yaml:6: index pattern '.opendistro_security' would reach a hidden or system index");
    }

    @Test
    void namesUnknownTopicAndExpectedValues()
    {
        String yaml = HEADER + """
                groups:
                  g:
                    read: [c2, dsn]
                """;
        assertThatThrownBy(() -> AccessPolicyParser.parse(yaml, "p.yaml"))
                .hasMessage("p.yaml:7: unknown topic 'dsn'; expected one of [c2]");
    }

    @Test
    void refusesFiltersOnTopicsTheGroupCannotRead()
    {
        String yaml = HEADER + """
                  dns:
                    indices: [dragnet-dns-*]
                groups:
                  g:
                    read: [c2]
                    hidden_fields:
                      dns: [url.full]
                """;
        assertThatThrownBy(() -> AccessPolicyParser.parse(yaml, "p.yaml"))
                .hasMessageStartingWith("p.yaml:11: hidden_fields for topic 'dns' which the group cannot read");
    }

    @Test
    void refusesUnknownKeys()
    {
        assertThatThrownBy(() -> AccessPolicyParser.parse(HEADER + "groupz: {}\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:5: unknown key 'groupz' in the policy");
    }
}
