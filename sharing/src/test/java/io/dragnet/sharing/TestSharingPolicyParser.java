package io.dragnet.sharing;

import io.dragnet.anonymization.Network;
import io.dragnet.contracts.DragnetException;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSharingPolicyParser
{
    private static final Path REPOSITORY = RepositoryPaths.root();

    @Test
    void readsTheSamplePolicy()
    {
        SharingPolicy policy = SharingPolicyParser.parse(REPOSITORY.resolve("samples/sharing.yaml"));
        SharingPolicy.Recipient community = policy.recipient("community").orElseThrow();
        assertThat(community.maxTlp()).isEqualTo(Tlp.GREEN);
        assertThat(community.allowsRule("c2-feodo-ip-sweep")).isTrue();
        assertThat(community.allowsRule("web-checkip-lookups")).isFalse();
        assertThat(community.isInternal(Network.address("10.11.2.3").orElseThrow())).isTrue();
        assertThat(community.isInternal(Network.address("203.0.113.9").orElseThrow())).isFalse();
        assertThat(policy.recipient("soc").orElseThrow().pseudonymizedFields()).containsExactly("asset.owner");
        assertThat(policy.version()).hasSize(64);
    }

    @Test
    void reportsEveryProblemWithItsPosition()
    {
        String yaml = """
                version: 1
                default_tlp: purple
                recipients:
                  partner:
                    topics: [c2]
                    max_tlp: amber
                    row_limit: -3
                    internal_networks: [10.0.0.0/33]
                    feilds: [source.ip]
                """;
        assertThatThrownBy(() -> SharingPolicyParser.parse(yaml, "sharing.yaml"))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("sharing.yaml:2:14: TLP level 'purple'; expected clear, green, amber, amber+strict or red")
                .hasMessageContaining("sharing.yaml:7:16: '-3'; expected a positive whole number")
                .hasMessageContaining("sharing.yaml:8:25: '10.0.0.0/33' is not a network")
                .hasMessageContaining("sharing.yaml:9:5: unknown key 'feilds' in recipient partner")
                .hasMessageContaining("did you mean 'fields'?");
    }

    @Test
    void refusesYamlThatIsNotAPolicy()
    {
        assertThatThrownBy(() -> SharingPolicyParser.parse("- a\n- b\n", "s.yaml")).hasMessageContaining("s.yaml:1:1: expected one YAML document");
        assertThatThrownBy(() -> SharingPolicyParser.parse("version: 2\nrecipients: {}\n", "s.yaml")).hasMessageContaining("s.yaml:1:10: found number 2; expected version 1");
    }
}
