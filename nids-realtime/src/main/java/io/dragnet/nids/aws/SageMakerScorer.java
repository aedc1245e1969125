package io.dragnet.nids.aws;

import io.dragnet.contracts.DragnetException;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.model.VerdictScorer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Scores through a SageMaker real-time endpoint, as the published prototype did: InvokeEndpoint with one CSV line of
 * features per session ({@code text/csv}, no header), the response one probability of malicious per line (or comma
 * separated), as SageMaker's built-in tree algorithms answer. The attack category is not available remotely (null).
 * A thin adapter: the in-process {@link NidsModel} is the default scorer.
 */
public final class SageMakerScorer
        implements VerdictScorer
{
    private final SageMakerRuntimeClient client;
    private final String endpointName;
    private final double threshold;

    public SageMakerScorer(SageMakerRuntimeClient client, String endpointName, double threshold)
    {
        this.client = requireNonNull(client, "client is null");
        this.endpointName = requireNonNull(endpointName, "endpointName is null");
        this.threshold = threshold;
    }

    @Override
    public List<NidsModel.Verdict> score(List<double[]> vectors)
    {
        if (vectors.isEmpty()) {
            return List.of();
        }
        StringBuilder body = new StringBuilder(vectors.size() * 200);
        for (double[] vector : vectors) {
            for (int i = 0; i < vector.length; i++) {
                if (i > 0) {
                    body.append(',');
                }
                body.append(vector[i]);
            }
            body.append('\n');
        }
        InvokeEndpointResponse response;
        try {
            response = client.invokeEndpoint(InvokeEndpointRequest.builder()
                    .endpointName(endpointName)
                    .contentType("text/csv")
                    .accept("text/csv")
                    .body(SdkBytes.fromString(body.toString(), StandardCharsets.UTF_8))
                    .build());
        }
        catch (SdkException e) {
            throw DragnetException.external("SageMaker endpoint " + endpointName + " failed: " + e.getMessage(), e);
        }
        String text = response.body().asUtf8String().trim();
        List<NidsModel.Verdict> verdicts = new ArrayList<>(vectors.size());
        for (String token : text.split("[,\\r\\n]+")) {
            try {
                double score = Double.parseDouble(token.trim());
                verdicts.add(new NidsModel.Verdict(score, score >= threshold, null));
            }
            catch (NumberFormatException e) {
                throw DragnetException.external("SageMaker endpoint " + endpointName + " answered '" + token + "' where a probability was expected", e);
            }
        }
        if (verdicts.size() != vectors.size()) {
            throw DragnetException.external("SageMaker endpoint " + endpointName + " answered " + verdicts.size() + " scores for " + vectors.size() + " sessions", null);
        }
        return verdicts;
    }
}
