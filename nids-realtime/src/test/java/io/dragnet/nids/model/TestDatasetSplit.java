package io.dragnet.nids.model;

import io.dragnet.nids.data.UnswRow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.dragnet.nids.data.Sessions.unswRow;
import static org.assertj.core.api.Assertions.assertThat;

class TestDatasetSplit
{
    @Test
    void duplicatesDifferingOnlyInIdAreRemoved()
    {
        List<UnswRow> rows = List.of(unswRow(1, 0.5, 0), unswRow(2, 0.5, 0), unswRow(3, 0.5, 1), unswRow(4, 0.7, 0));
        assertThat(DatasetSplit.deduplicate(rows)).extracting(UnswRow::line).containsExactly(1, 3, 4);
    }

    @Test
    void stratifiedSplitKeepsClassSharesAndIsDeterministic()
    {
        List<UnswRow> rows = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            rows.add(unswRow(i, i, i < 300 ? 1 : 0));
        }
        DatasetSplit.Split split = DatasetSplit.stratified(rows, 0.2, 42);
        assertThat(split.holdout()).hasSize(200);
        assertThat(split.holdout().stream().filter(r -> r.label() == 1).count()).isEqualTo(60);
        Set<Integer> training = new HashSet<>(split.training().stream().map(UnswRow::line).toList());
        assertThat(split.holdout()).noneMatch(r -> training.contains(r.line()));
        assertThat(DatasetSplit.stratified(rows, 0.2, 42).holdout()).isEqualTo(split.holdout());
        assertThat(DatasetSplit.stratified(rows, 0.2, 43).holdout()).isNotEqualTo(split.holdout());
    }

    @Test
    void foldsPartitionTheRows()
    {
        List<UnswRow> rows = new ArrayList<>();
        for (int i = 0; i < 103; i++) {
            rows.add(unswRow(i, i, i % 3 == 0 ? 1 : 0));
        }
        List<DatasetSplit.Split> folds = DatasetSplit.folds(rows, 5, 1);
        assertThat(folds).hasSize(5);
        Set<Integer> heldOut = new HashSet<>();
        for (DatasetSplit.Split fold : folds) {
            assertThat(fold.training().size() + fold.holdout().size()).isEqualTo(103);
            fold.holdout().forEach(r -> assertThat(heldOut.add(r.line())).isTrue());
        }
        assertThat(heldOut).hasSize(103);
    }

    @Test
    void metricsFromAConfusionMatrix()
    {
        ClassificationMetrics metrics = ClassificationMetrics.of(new int[] {1, 1, 1, 0, 0, 0, 0, 0}, new int[] {1, 1, 0, 1, 0, 0, 0, 0});
        assertThat(metrics).isEqualTo(new ClassificationMetrics(2, 1, 4, 1));
        assertThat(metrics.accuracy()).isEqualTo(6.0 / 8);
        assertThat(metrics.precision()).isEqualTo(2.0 / 3);
        assertThat(metrics.recall()).isEqualTo(2.0 / 3);
        assertThat(metrics.f1()).isEqualTo(2.0 / 3);
        assertThat(metrics.falsePositiveRate()).isEqualTo(1.0 / 5);
    }
}
