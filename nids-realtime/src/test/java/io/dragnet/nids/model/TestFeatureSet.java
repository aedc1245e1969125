package io.dragnet.nids.model;

import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.features.ConnectionFeatures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TestFeatureSet
{
    private static final List<String> UNREPRODUCIBLE = List.of("ct_srv_src", "ct_srv_dst", "ct_dst_ltm", "ct_src_ltm", "ct_src_dport_ltm", "ct_dst_src_ltm");

    @Test
    void reproducibleLeavesOutTheSixWindowCountsAndKeepsTheFileOrder()
    {
        List<String> expected = new ArrayList<>(ModelFeatures.NAMES);
        expected.removeAll(UNREPRODUCIBLE);
        assertThat(FeatureSet.REPRODUCIBLE.names()).isEqualTo(expected).hasSize(36).contains("ct_dst_sport_ltm", "ct_state_ttl");
        assertThat(FeatureSet.ALL.names()).isEqualTo(ModelFeatures.NAMES);
    }

    @Test
    void selectTakesTheValuesOfTheSetsFeatures()
    {
        double[] all = IntStream.range(0, ModelFeatures.NAMES.size()).asDoubleStream().toArray();
        double[] selected = FeatureSet.REPRODUCIBLE.select(all);
        assertThat(selected).hasSize(36);
        for (int i = 0; i < selected.length; i++) {
            assertThat(ModelFeatures.NAMES.get((int) selected[i])).isEqualTo(FeatureSet.REPRODUCIBLE.names().get(i));
        }
        assertThat(FeatureSet.ALL.select(all)).isSameAs(all);
    }

    @Test
    void aFeatureListNamesItsSetOnlyInTheFilesOrder()
    {
        assertThat(FeatureSet.withNames(FeatureSet.REPRODUCIBLE.names())).contains(FeatureSet.REPRODUCIBLE);
        assertThat(FeatureSet.withNames(ModelFeatures.NAMES)).contains(FeatureSet.ALL);
        List<String> reordered = new ArrayList<>(ModelFeatures.NAMES);
        java.util.Collections.swap(reordered, 0, 1);
        assertThat(FeatureSet.withNames(reordered)).isEmpty();
    }

    @Test
    void theModelsVectorReadsTheWindowOnlyThroughTheSetsFeatures()
    {
        ModelFeatures features = new ModelFeatures(FeatureSet.REPRODUCIBLE, Map.of("tcp", 0), Map.of("http", 0), Map.of("FIN", 0));
        SensorSession session = StumpModel.session("a", 2.5, 300);
        ConnectionFeatures quiet = new ConnectionFeatures(1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0);
        ConnectionFeatures busy = new ConnectionFeatures(90, 90, 90, 90, 90, 1, 90, 0, 0, 0, 0);
        double[] vector = features.vector(session, quiet);
        assertThat(vector).hasSize(36).isEqualTo(features.vector(session, busy));
        assertThat(vector[0]).isEqualTo(2.5);
        assertThat(vector[FeatureSet.REPRODUCIBLE.names().indexOf("sbytes")]).isEqualTo(300);
        assertThat(features.allFeatures(session, quiet, 0)).hasSize(42).isNotEqualTo(features.allFeatures(session, busy, 0));
    }
}
