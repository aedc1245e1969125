package io.dragnet.nids.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.EnvironmentVariable;
import io.dragnet.nids.features.ConnectionWindow;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.model.NidsModelStore;
import io.dragnet.nids.data.SessionCodec;
import io.dragnet.nids.model.VerdictScorer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Lambda handler for an Amazon MSK event source, as in the published prototype (MSK → Lambda → SageMaker): decodes
 * each record's base64 value as a session line, computes the connection features over the batch in partition/offset
 * order (a Lambda keeps no state between invocations, so the window starts empty each time: the streaming job is the
 * faithful path), scores in-process or through a SageMaker endpoint, and returns verdicts and dead letters.
 * <p>
 * Environment: {@code NIDS_MODELS} (models directory, e.g. a layer mounted under /opt), optional
 * {@code NIDS_MODEL_VERSION} (default LATEST), optional {@code SAGEMAKER_ENDPOINT} to score remotely.
 */
public final class MskVerdictHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
    private final NidsModel model;
    private final VerdictScorer scorer;

    public MskVerdictHandler()
    {
        this(loadModel(System.getenv()), System.getenv());
    }

    private MskVerdictHandler(NidsModel model, Map<String, String> environment)
    {
        this(model, EnvironmentVariable.SAGEMAKER_ENDPOINT.read(environment)
                .<VerdictScorer>map(endpoint -> new SageMakerScorer(SageMakerRuntimeClient.builder().httpClient(UrlConnectionHttpClient.create()).build(), endpoint, 0.5))
                .orElse(model));
    }

    public MskVerdictHandler(NidsModel model, VerdictScorer scorer)
    {
        this.model = requireNonNull(model, "model is null");
        this.scorer = requireNonNull(scorer, "scorer is null");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context)
    {
        Object records = event.get("records");
        if (!(records instanceof Map<?, ?> byPartition)) {
            throw DragnetException.user("not an MSK event: no \"records\" object keyed by topic-partition");
        }
        List<Map<String, Object>> ordered = new ArrayList<>();
        byPartition.values().forEach(list -> ordered.addAll((List<Map<String, Object>>) list));
        ordered.sort(Comparator.<Map<String, Object>, String>comparing(record -> String.valueOf(record.get("topic")))
                .thenComparingLong(record -> ((Number) record.get("partition")).longValue())
                .thenComparingLong(record -> ((Number) record.get("offset")).longValue()));

        ConnectionWindow window = new ConnectionWindow();
        List<String> ids = new ArrayList<>();
        List<double[]> vectors = new ArrayList<>();
        List<Map<String, Object>> deadLetters = new ArrayList<>();
        for (Map<String, Object> record : ordered) {
            Object value = record.get("value");
            String line = value == null ? null : new String(Base64.getDecoder().decode(value.toString()), StandardCharsets.UTF_8);
            SessionCodec.Decoded decoded = SessionCodec.decode(line);
            if (!decoded.ok()) {
                Map<String, Object> letter = new LinkedHashMap<>();
                letter.put("topic", record.get("topic"));
                letter.put("partition", record.get("partition"));
                letter.put("offset", record.get("offset"));
                letter.put("reason", decoded.error());
                deadLetters.add(letter);
                continue;
            }
            ids.add(decoded.session().sessionId());
            vectors.add(model.features().vector(decoded.session(), window.observe(decoded.session())));
        }
        List<NidsModel.Verdict> scored = scorer.score(vectors);
        List<Map<String, Object>> verdicts = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            Map<String, Object> verdict = new LinkedHashMap<>();
            verdict.put("session_id", ids.get(i));
            verdict.put("score", scored.get(i).score());
            verdict.put("predicted_malicious", scored.get(i).malicious());
            verdict.put("attack_category", scored.get(i).attackCategory());
            verdict.put("model_version", model.version());
            verdicts.add(verdict);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("verdicts", verdicts);
        result.put("dead_letters", deadLetters);
        return result;
    }

    private static NidsModel loadModel(Map<String, String> environment)
    {
        String models = EnvironmentVariable.NIDS_MODELS.read(environment)
                .orElseThrow(() -> DragnetException.user("set NIDS_MODELS to the directory holding nids/<version>/ models"));
        NidsModelStore store = new NidsModelStore(Path.of(models));
        String version = EnvironmentVariable.NIDS_MODEL_VERSION.read(environment).orElse(null);
        return version == null
                ? store.latest().orElseThrow(() -> DragnetException.user("no NIDS model under " + models))
                : store.load(version);
    }
}
