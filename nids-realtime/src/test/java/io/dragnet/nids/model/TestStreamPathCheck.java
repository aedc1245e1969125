package io.dragnet.nids.model;

import io.dragnet.nids.data.Sessions;
import io.dragnet.nids.data.UnswRow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestStreamPathCheck
{
    /** Held-out rows whose own window counts are all 1: normal ones short, attacks long. */
    private static List<UnswRow> holdout()
    {
        List<UnswRow> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            boolean attack = i % 2 == 1;
            rows.add(Sessions.unswRow(i, attack ? 5 : 0.5, attack ? 1 : 0));
        }
        return rows;
    }

    @Test
    void aModelOfPerFlowMeasuresScoresTheStreamAsItScoresTheHoldout()
    {
        NidsModel model = StumpModel.of("t", FeatureSet.REPRODUCIBLE);
        ClassificationMetrics holdout = ModelTrainer.evaluate(model.features(), model.binary(), holdout());
        ClassificationMetrics streamPath = StreamPathCheck.of(model.features(), model.binary(), holdout(), 2_000);
        assertThat(holdout.accuracy()).isEqualTo(1.0);
        assertThat(streamPath.total()).isEqualTo(2_000);
        assertThat(streamPath.accuracy()).isEqualTo(1.0);
    }

    @Test
    void aModelOfWindowCountsSeesTheStreamsCountsNotTheDatasets()
    {
        // ct_src_ltm > 5 → malicious: the dataset's counts (1) say normal for every row; in the stream the derived
        // attacks come from four sources, so each source fills about an eighth of a 100-connection window.
        NidsModel model = StumpModel.onSourceConnections("t");
        ClassificationMetrics holdout = ModelTrainer.evaluate(model.features(), model.binary(), holdout());
        ClassificationMetrics streamPath = StreamPathCheck.of(model.features(), model.binary(), holdout(), 2_000);
        assertThat(holdout.recall()).isZero();
        assertThat(streamPath.recall()).isGreaterThan(0.9);
    }
}
