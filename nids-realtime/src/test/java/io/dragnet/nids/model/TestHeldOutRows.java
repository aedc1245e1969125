package io.dragnet.nids.model;

import io.dragnet.nids.NidsPipeline;
import io.dragnet.nids.data.Sessions;
import io.dragnet.nids.data.UnswRow;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestHeldOutRows
{
    private static List<UnswRow> rows()
    {
        List<UnswRow> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            // every row has a duplicate, which the split removes first
            rows.add(Sessions.unswRow(i, i % 250, i % 250 < 100 ? 1 : 0));
        }
        return rows;
    }

    private static NidsModel modelWithMetrics(Map<String, Object> metrics)
    {
        NidsModel stump = StumpModel.of("v1");
        return new NidsModel("v1", stump.features(), stump.binary(), stump.category(), stump.categories(), metrics);
    }

    @Test
    void sessionsComeFromTheRowsTheModelWasNotTrainedOn()
    {
        List<UnswRow> rows = rows();
        NidsModel model = modelWithMetrics(Map.of("rows", 500, "split", Map.of("holdout_fraction", 0.2, "seed", 42)));
        List<UnswRow> heldOut = NidsPipeline.heldOutRows(rows, model, new PrintWriter(new StringWriter()));
        DatasetSplit.Split split = DatasetSplit.stratified(DatasetSplit.deduplicate(rows), 0.2, 42);
        assertThat(heldOut).hasSize(50).isEqualTo(split.holdout()).doesNotContainAnyElementsOf(split.training());
    }

    @Test
    void aModelWithoutARecordedSplitGetsAllRowsAndSaysSo()
    {
        StringWriter log = new StringWriter();
        List<UnswRow> rows = rows();
        assertThat(NidsPipeline.heldOutRows(rows, modelWithMetrics(Map.of("note", "hand-built")), new PrintWriter(log, true))).isSameAs(rows);
        assertThat(log.toString()).contains("records no training split").contains("training rows included");
    }

    @Test
    void aModelTrainedOnOtherRowsGetsAllRowsAndSaysSo()
    {
        StringWriter log = new StringWriter();
        List<UnswRow> rows = rows();
        NidsModel model = modelWithMetrics(Map.of("rows", 82_332, "split", Map.of("holdout_fraction", 0.2, "seed", 42)));
        assertThat(NidsPipeline.heldOutRows(rows, model, new PrintWriter(log, true))).isSameAs(rows);
        assertThat(log.toString()).contains("was trained on 82332 rows, not these 500");
    }
}
