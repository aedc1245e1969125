package io.dragnet.nids.kafka;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestVerdictTopicListener
{
    private static final String VERDICT = "{\"session_id\":\"s-1\",\"predicted_malicious\":%s,\"sent_at_ms\":%s,\"broker_at_ms\":1541116800125,"
            + "\"features_at_ms\":1541116800130,\"scored_at_ms\":1541116800131,\"model_version\":\"v1\"}";

    @Test
    void readsTheStampsAndTheVerdictFromTheBytes()
    {
        byte[] json = VERDICT.formatted("true", "1541116800123").getBytes(StandardCharsets.UTF_8);
        assertThat(VerdictTopicListener.stamps(json)).containsExactly(0, 1_541_116_800_123L, 1_541_116_800_125L, 1_541_116_800_130L, 1_541_116_800_131L, 1);
        assertThat(VerdictTopicListener.stamps(VERDICT.formatted("false", "0"))).containsExactly(0, 0, 1_541_116_800_125L, 1_541_116_800_130L, 1_541_116_800_131L, 0);
        assertThat(VerdictTopicListener.stamps(VERDICT.formatted("false", "-5"))[1]).isEqualTo(-5);
    }

    @Test
    void findsStampsWrittenInAnotherOrder()
    {
        String reordered = "{\"scored_at_ms\":4,\"features_at_ms\":3,\"broker_at_ms\":2,\"sent_at_ms\":1,\"predicted_malicious\":false}";
        assertThat(VerdictTopicListener.stamps(reordered)).containsExactly(0, 1, 2, 3, 4, 0);
        String decisionLast = "{\"sent_at_ms\":1,\"broker_at_ms\":2,\"features_at_ms\":3,\"scored_at_ms\":4,\"predicted_malicious\":true}";
        assertThat(VerdictTopicListener.stamps(decisionLast)).containsExactly(0, 1, 2, 3, 4, 1);
        String spaced = "{\"predicted_malicious\":true, \"sent_at_ms\":1, \"broker_at_ms\":2, \"features_at_ms\":3, \"scored_at_ms\":4}";
        assertThat(VerdictTopicListener.stamps(spaced)).containsExactly(0, 1, 2, 3, 4, 1);
    }

    @Test
    void namesAMissingOrMalformedStamp()
    {
        assertThatThrownBy(() -> VerdictTopicListener.stamps("{\"sent_at_ms\":1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("verdict without broker_at_ms: ");
        assertThatThrownBy(() -> VerdictTopicListener.stamps(VERDICT.formatted("false", "null")))
                .hasMessageStartingWith("verdict with sent_at_ms not a millisecond count: ");
        assertThatThrownBy(() -> VerdictTopicListener.stamps(VERDICT.formatted("false", "12345678901234567890")))
                .hasMessageStartingWith("verdict with sent_at_ms not a millisecond count: ");
    }
}
