package io.dragnet.nids.aws;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dragnet.contracts.Json;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.data.SessionCodec;
import io.dragnet.nids.model.StumpModel;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Lambda handler on an MSK event in the shape AWS delivers it (AWS's own sample record included, as a malformed one). */
class TestMskVerdictHandler
{
    @Test
    @SuppressWarnings("unchecked")
    void scoresEachSessionAndDeadLettersWhatIsNotOne()
            throws Exception
    {
        String template;
        try (InputStream in = TestMskVerdictHandler.class.getResourceAsStream("/aws/msk-event.json")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String slow = SessionCodec.encode(StumpModel.session("slow", 5, 500), 1_541_116_800_000L);
        String quick = SessionCodec.encode(StumpModel.session("quick", 0.5, 50), 1_541_116_800_001L);
        Map<String, Object> event = Json.mapper().readValue(template
                .replace("${SLOW}", Base64.getEncoder().encodeToString(slow.getBytes(StandardCharsets.UTF_8)))
                .replace("${QUICK}", Base64.getEncoder().encodeToString(quick.getBytes(StandardCharsets.UTF_8))), new TypeReference<>() {});
        NidsModel model = StumpModel.of("v7");

        Map<String, Object> result = new MskVerdictHandler(model, model).handleRequest(event, null);

        List<Map<String, Object>> verdicts = (List<Map<String, Object>>) result.get("verdicts");
        assertThat(verdicts).extracting(verdict -> verdict.get("session_id")).containsExactly("slow", "quick");
        assertThat(verdicts.get(0)).containsEntry("predicted_malicious", true).containsEntry("attack_category", "Exploits").containsEntry("model_version", "v7");
        assertThat(verdicts.get(1)).containsEntry("predicted_malicious", false).containsEntry("score", 0.1);
        List<Map<String, Object>> deadLetters = (List<Map<String, Object>>) result.get("dead_letters");
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0)).containsEntry("offset", 15).containsEntry("reason", "expected " + SessionCodec.FIELDS + " comma-separated fields (session_id,…), found 2");
    }
}
