package io.dragnet.nids;

import java.util.List;

/** Scores feature vectors (in {@link ModelFeatures#NAMES} order): in-process ({@link NidsModel}) or remote (SageMaker). */
public interface VerdictScorer
{
    List<NidsModel.Verdict> score(List<double[]> vectors);
}
