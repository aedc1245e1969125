package io.dragnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dragnet rules validate} checks the channels rules name under {@code notify:} against the sharing policy. */
class TestRulesValidateChannels
{
    private static final String RULE = """
            id: c2-port-449
            title: Trickbot's TLS port
            topic: %s
            owner: c2-research@dragnet.example
            sources: [zeek_conn]
            match:
              sel:
                destination.port: 449
              condition: sel
            notify: [%s]
            """;

    private static final String POLICY = """
            version: 1
            producer: {name: dragnet tests, identity_class: organization}
            internal_networks: [10.0.0.0/8]
            recipients:
              soc: {topics: [c2]}
            channels:
              soc-chat: {webhook: "http://127.0.0.1:9/hook", recipient: soc}
            """;

    @TempDir
    Path folder;

    @Test
    void anUnknownChannelIsAPositionedErrorWithASuggestion()
            throws IOException
    {
        Path rules = rules("c2", "soc-chatt");
        Files.writeString(folder.resolve("sharing.yaml"), POLICY);
        CommandRun result = CommandRun.of("rules", "validate", rules.toString(), "--date", "2018-11-02");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out().lines().toList()).containsExactly(
                "note: notify channels checked against " + folder.resolve("sharing.yaml"),
                rules.resolve("c2.yaml") + ":10:10: rule c2-port-449: unknown channel 'soc-chatt'; expected one of the sharing policy's channels [soc-chat]; "
                        + "did you mean 'soc-chat'?",
                "1 problem in 1 file; 1 rules valid");
    }

    @Test
    void aChannelWhoseRecipientMissesTheTopicIsAnError()
            throws IOException
    {
        Path rules = rules("dns", "soc-chat");
        Path policy = Files.writeString(folder.resolve("elsewhere.yaml"), POLICY);
        CommandRun result = CommandRun.of("rules", "validate", rules.toString(), "--date", "2018-11-02", "--sharing", policy.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).contains(rules.resolve("c2.yaml") + ":10:10: rule c2-port-449: channel 'soc-chat' alerts recipient soc, which does not receive topic dns");
    }

    @Test
    void declaredChannelsPassAndWithoutAPolicyOnlyTheShapeIsChecked()
            throws IOException
    {
        Path rules = rules("c2", "soc-chat");
        assertThat(CommandRun.of("rules", "validate", rules.toString(), "--date", "2018-11-02").out())
                .doesNotContain("note: notify channels").endsWith("1 rules valid in " + rules + "\n");
        Files.writeString(folder.resolve("sharing.yaml"), POLICY);
        CommandRun checked = CommandRun.of("rules", "validate", rules.toString(), "--date", "2018-11-02");
        assertThat(checked.exitCode()).isZero();
        assertThat(checked.out()).startsWith("note: notify channels checked against ");
    }

    @Test
    void aBrokenOrMissingPolicyIsNamed()
            throws IOException
    {
        Path rules = rules("c2", "soc-chat");
        Files.writeString(folder.resolve("sharing.yaml"), POLICY.replace("recipient: soc", "recipient: nobody"));
        CommandRun broken = CommandRun.of("rules", "validate", rules.toString(), "--date", "2018-11-02");
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.err()).contains(folder.resolve("sharing.yaml") + ":7:");
        CommandRun missing = CommandRun.of("rules", "validate", rules.toString(), "--sharing", folder.resolve("absent.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no sharing policy at " + folder.resolve("absent.yaml"));
    }

    private Path rules(String topic, String channel)
            throws IOException
    {
        Path rules = Files.createDirectories(folder.resolve("rules"));
        Files.writeString(rules.resolve("c2.yaml"), RULE.formatted(topic, channel));
        return rules;
    }
}
