package io.dragnet.access;

import io.dragnet.contracts.DragnetException;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestAuditConfig
{
    private static final String VALID = """
            enabled: true
            audit:
              enable_rest: true
              disabled_rest_categories: [AUTHENTICATED]
              ignore_users: [kibanaserver]
            compliance:
              enabled: false
              read_watched_fields: {dragnet-c2: [source.ip]}
            """;

    @Test
    void theSampleBesideThePolicyIsTheAuditApisBody()
    {
        AuditConfig audit = AuditConfig.read(AuditConfig.besidePolicy(RepositoryPaths.samples().resolve("access-policy.yaml")));
        assertThat(audit.body()).containsOnlyKeys("enabled", "audit", "compliance").containsEntry("enabled", true);
        assertThat(audit.body().get("audit")).isInstanceOf(Map.class);
    }

    @Test
    void readsTypedValues()
    {
        Map<String, Object> body = AuditConfig.parse(VALID, "audit.yaml").body();
        assertThat(body).isEqualTo(Map.of(
                "enabled", true,
                "audit", Map.of("enable_rest", true, "disabled_rest_categories", List.of("AUTHENTICATED"), "ignore_users", List.of("kibanaserver")),
                "compliance", Map.of("enabled", false, "read_watched_fields", Map.of("dragnet-c2", List.of("source.ip")))));
    }

    @Test
    void addsIgnoredUsersWithoutChangingTheRest()
    {
        AuditConfig audit = AuditConfig.parse(VALID, "audit.yaml");
        Map<String, Object> withWriters = audit.ignoringUsers(List.of(Map.of("Ref", "WriterRoleArn")));
        assertThat(((Map<?, ?>) withWriters.get("audit")).get("ignore_users")).isEqualTo(List.of("kibanaserver", Map.of("Ref", "WriterRoleArn")));
        assertThat(((Map<?, ?>) audit.body().get("audit")).get("ignore_users")).isEqualTo(List.of("kibanaserver"));
        assertThat(withWriters.get("compliance")).isEqualTo(audit.body().get("compliance"));
    }

    @Test
    void errorsNameFileLineAndWhatWasExpected()
    {
        assertThatThrownBy(() -> AuditConfig.parse(VALID.replace("[AUTHENTICATED]", "[AUTHENTICATED, INDEX_EVENT]"), "a.yaml"))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("a.yaml:4:").hasMessageContaining("'INDEX_EVENT' is not a category the plugin accepts here");
        assertThatThrownBy(() -> AuditConfig.parse(VALID.replace("enable_rest: true", "enable_rest: yes please"), "a.yaml"))
                .hasMessageContaining("a.yaml:3: audit.enable_rest: expected true or false");
        assertThatThrownBy(() -> AuditConfig.parse(VALID.replace("ignore_users", "ignore_user"), "a.yaml"))
                .hasMessageContaining("a.yaml:5: unknown key audit.ignore_user");
        assertThatThrownBy(() -> AuditConfig.parse("audit: {}\ncompliance: {}\n", "a.yaml")).hasMessageContaining("a.yaml:1: missing key enabled");
        assertThatThrownBy(() -> AuditConfig.parse(VALID + "extra: 1\n", "a.yaml")).hasMessageContaining("a.yaml:9: unknown key extra");
    }
}
