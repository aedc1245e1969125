package io.dragnet.nids.model;

import java.util.List;

/** Scores feature vectors (the model's {@link FeatureSet}, in {@link ModelFeatures#NAMES} order): in-process ({@link NidsModel}) or remote (SageMaker). */
public interface VerdictScorer
{
    List<NidsModel.Verdict> score(List<double[]> vectors);
}
