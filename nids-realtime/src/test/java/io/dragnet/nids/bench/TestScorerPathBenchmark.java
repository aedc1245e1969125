package io.dragnet.nids.bench;

import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.model.StumpModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TestScorerPathBenchmark
{
    @TempDir
    Path scratch;

    @Test
    void timesEveryStageOfTheWholePathAndLeavesNoLakeBehind()
            throws IOException
    {
        var lines = ScorerPathBenchmark.lines(UnswLoader.load(UnswDatasets.trainingCsv()), 3_000, 1L);
        ScorerPathBenchmark.Result result = new ScorerPathBenchmark(StumpModel.onSourceConnections("v-stump"), lines, 1_000, scratch).run(0, 1);

        assertThat(result.microsPerSession()).containsOnlyKeys(ScorerPathBenchmark.Stage.values());
        assertThat(result.microsPerSession().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(result.totalMicrosPerSession(), within(1e-9));
        assertThat(result.totalMicrosPerSession()).isPositive();
        assertThat(ScorerPathBenchmark.table(result)).contains("decode", "lake Parquet + commits", "whole path", "3,000 sessions × 1 rounds");
        assertThat(result.toMap()).containsEntry("benchmark", "nids-scorer-path").containsKey("us_per_session_by_stage");
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("each lake pass deletes its files").isEmpty();
        }
    }
}
