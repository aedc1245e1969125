package io.dragnet.nids.model;

import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.Sessions;
import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;

import java.util.List;
import java.util.Map;

/** A hand-built model for tests: one stump per forest, dur <= 1.0 → normal (0.1), else malicious (0.8); category by sbytes <= 100. */
public final class StumpModel
{
    private StumpModel() {}

    public static NidsModel of(String version)
    {
        return of(version, FeatureSet.ALL);
    }

    /** The same stumps on a model reading {@code featureSet}: dur and sbytes are the first and seventh feature of every set. */
    public static NidsModel of(String version, FeatureSet featureSet)
    {
        CompiledForest binary = new CompiledForest(2, featureSet.size(), new int[] {0},
                new int[] {0, -1, -1}, new double[] {1.0, 0, 0}, new int[] {1, 0, 2}, new int[] {2, -1, -1}, new double[] {0.9, 0.1, 0.2, 0.8});
        CompiledForest category = new CompiledForest(2, featureSet.size(), new int[] {0},
                new int[] {6, -1, -1}, new double[] {100, 0, 0}, new int[] {1, 0, 2}, new int[] {2, -1, -1}, new double[] {1, 0, 0, 1});
        ModelFeatures features = new ModelFeatures(featureSet, Map.of("tcp", 0), Map.of("-", 0, "http", 1), Map.of("FIN", 0));
        return new NidsModel(version, features, binary, category, List.of("DoS", "Exploits"), Map.of("note", "hand-built"));
    }

    /** One stump on a window feature: ct_src_ltm <= 5 → normal, else malicious; so the window changes verdicts. */
    public static NidsModel onSourceConnections(String version)
    {
        int ctSrcLtm = ModelFeatures.NAMES.indexOf("ct_src_ltm");
        CompiledForest binary = new CompiledForest(2, ModelFeatures.NAMES.size(), new int[] {0},
                new int[] {ctSrcLtm, -1, -1}, new double[] {5, 0, 0}, new int[] {1, 0, 2}, new int[] {2, -1, -1}, new double[] {0.9, 0.1, 0.2, 0.8});
        CompiledForest category = new CompiledForest(2, ModelFeatures.NAMES.size(), new int[] {0},
                new int[] {6, -1, -1}, new double[] {100, 0, 0}, new int[] {1, 0, 2}, new int[] {2, -1, -1}, new double[] {1, 0, 0, 1});
        ModelFeatures features = ModelFeatures.fit(UnswLoader.load(UnswDatasets.trainingCsv()), FeatureSet.ALL);
        return new NidsModel(version, features, binary, category, List.of("DoS", "Exploits"), Map.of("note", "hand-built"));
    }

    public static SensorSession session(String id, double dur, double sbytes)
    {
        SensorSession session = Sessions.session(id, "59.166.0.1", 40_000, "149.171.126.3", 80, "http");
        session.measures()[0] = dur;
        session.measures()[SensorSession.MEASURES.indexOf("sbytes")] = sbytes;
        return session;
    }
}
