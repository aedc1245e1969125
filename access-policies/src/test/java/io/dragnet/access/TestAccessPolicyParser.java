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
        assertThat(soc.toString()).doesNotContain("dls=").doesNotContain("_restricted")
                .contains("fls=[~user_agent.original, ~source.ip, ~destination.ip, ~event.original]")
                .contains("masked_fields=[asset.owner, source.address, destination.address, aggregate.group, dragnet.entity]");
        assertThat(compiled.roles().get("dragnet_c2_researchers").toString()).contains("dragnet-c2_restricted-*").doesNotContain("fls=");
        assertThat(compiled.roleMappings().get("dragnet_c2_researchers")).containsEntry("backend_roles", List.of("c2-researchers"));
        assertThat(SecurityCompiler.compileForAws(policy, "123456789012").roleMappings().get("dragnet_cost_owners"))
                .containsEntry("backend_roles", List.of("arn:aws:iam::123456789012:role/dragnet-cost-owners"));
        assertThat(compiled.roles().get("dragnet_cost_owners").toString()).contains("dragnet-runs").doesNotContain("dragnet-c2");
        assertThat(CognitoGroups.resources(policy).toString()).contains("DragnetGroupSocAnalystsRole").contains("GroupName=soc-analysts");
    }

    @Test
    void masksOnlyStringFieldsAndNeverAnAddressTheGroupStillReads()
    {
        String ipField = HEADER + """
                groups:
                  g:
                    read: [c2]
                    masked_fields:
                      c2: [asset.owner, source.ip]
                """;
        assertThatThrownBy(() -> AccessPolicyParser.parse(ipField, "p.yaml"))
                .isInstanceOf(DragnetException.class)
                .hasMessageStartingWith("p.yaml:9: masked_fields: 'source.ip' is mapped as ip, and the security plugin masks only string (keyword) fields")
                .hasMessageContaining("hidden_fields: [source.ip] and masked_fields: [source.address]");
        String number = ipField.replace("source.ip]", "destination.port]");
        assertThatThrownBy(() -> AccessPolicyParser.parse(number, "p.yaml"))
                .hasMessageStartingWith("p.yaml:9: masked_fields: 'destination.port' is mapped as long").hasMessageEndingWith("expected it under hidden_fields");
        String addressInClear = ipField.replace("source.ip]", "source.address]");
        assertThatThrownBy(() -> AccessPolicyParser.parse(addressInClear, "p.yaml"))
                .hasMessageStartingWith("p.yaml:9: masked_fields: 'source.address' is masked but the group still reads 'source.ip', the same address in clear");
        AccessPolicy hiddenAndMasked = AccessPolicyParser.parse(addressInClear.replace("    masked_fields:", "    hidden_fields:\n      c2: [source.ip]\n    masked_fields:"), "p.yaml");
        assertThat(hiddenAndMasked.groups().get("g").maskedFields()).containsEntry("c2", List.of("asset.owner", "source.address"));
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
    void refusesPatternsThatReachTheExportTrail()
    {
        for (String pattern : List.of("dragnet*", "dra*", "dragnet?export*", "dragnet_export_trail", "drag*trail")) {
            String yaml = HEADER + """
                      web:
                        indices: ["%s"]
                    groups:
                      g:
                        read: [c2]
                    """.formatted(pattern);
            assertThatThrownBy(() -> AccessPolicyParser.parse(yaml, "p.yaml"))
                    .as(pattern)
                    .isInstanceOf(DragnetException.class)
                    .hasMessageStartingWith("p.yaml:6: index pattern '" + pattern + "' would reach the export trail dragnet_export_trail");
        }
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

    @Test
    void refusesDocumentFiltersSinceAggregationsEscapeThem()
    {
        String yaml = HEADER + """
                groups:
                  g:
                    read: [c2]
                    document_filter:
                      c2: {term: {asset.criticality: normal}}
                """;
        assertThatThrownBy(() -> AccessPolicyParser.parse(yaml, "p.yaml"))
                .hasMessageStartingWith("p.yaml:9: document_filter is not supported: document-level security can be escaped through aggregations");
    }

    @Test
    void refusesReservedGroupNames()
    {
        for (String name : List.of("admin", "all_access", "kibanaserver", "security_rest_api_access", "opendistro_security_anonymous")) {
            String yaml = HEADER + "groups:\n  " + name + ":\n    read: [c2]\n";
            assertThatThrownBy(() -> AccessPolicyParser.parse(yaml, "p.yaml")).as(name)
                    .hasMessageStartingWith("p.yaml:7: group name '" + name + "' is reserved by the security plugin");
        }
    }

    @Test
    void restrictedPartitionMustBeItsOwnIndexFamilyAndGrantedExplicitly()
    {
        String overlapping = """
                version: 1
                topics:
                  c2:
                    indices: [dragnet-c2*]
                    restricted_indices: [dragnet-c2_restricted-*]
                groups:
                  g:
                    read: [c2]
                """;
        assertThatThrownBy(() -> AccessPolicyParser.parse(overlapping, "p.yaml"))
                .hasMessageStartingWith("p.yaml:5: restricted index pattern 'dragnet-c2_restricted-*' is also matched by the topic's indices");
        String notRead = """
                version: 1
                topics:
                  c2:
                    indices: [dragnet-c2-*]
                    restricted_indices: [dragnet-c2_restricted-*]
                  dns:
                    indices: [dragnet-dns-*]
                groups:
                  g:
                    read: [dns]
                    read_restricted: [c2]
                """;
        assertThatThrownBy(() -> AccessPolicyParser.parse(notRead, "p.yaml"))
                .hasMessageStartingWith("p.yaml:11: read_restricted for topic 'c2' which the group cannot read");
        AccessPolicy policy = AccessPolicyParser.parse(notRead.replace("read: [dns]\n    read_restricted: [c2]", "read: [dns, c2]"), "p.yaml");
        assertThat(SecurityCompiler.compileLocal(policy).roles().get("dragnet_g").toString()).doesNotContain("restricted");
    }
}
