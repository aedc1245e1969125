package io.dragnet.nids.model;

import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.SessionSynthesizer;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.nids.features.ConnectionWindow;

import java.time.LocalDate;
import java.util.List;

/**
 * A model's figures on the path the stream takes, without Kafka: sessions derived from held-out rows (never from
 * training rows) get their window counts from one sliding {@link ConnectionWindow} in send order, as the stream
 * computes them, instead of the dataset's own values. Where the two differ, so do these figures from the holdout's.
 */
public final class StreamPathCheck
{
    public static final int SESSIONS = 100_000;
    private static final LocalDate DAY = LocalDate.of(2018, 11, 2);
    private static final long SEED = 7;

    private StreamPathCheck() {}

    /** The figures with a line saying where they come from, for the train and evaluate commands. */
    public static String describe(ClassificationMetrics streamPath)
    {
        return String.format("stream path: %,d sessions derived from the holdout rows, window counts from one sliding window as the stream computes them%n",
                streamPath.total()) + streamPath.format();
    }

    public static ClassificationMetrics of(ModelFeatures features, CompiledForest binary, List<UnswRow> holdout)
    {
        return of(features, binary, holdout, SESSIONS);
    }

    public static ClassificationMetrics of(ModelFeatures features, CompiledForest binary, List<UnswRow> holdout, int sessions)
    {
        List<SessionSynthesizer.Derived> derived = SessionSynthesizer.derive(holdout, sessions, DAY, SEED);
        ConnectionWindow window = new ConnectionWindow();
        int[] truth = new int[derived.size()];
        int[] predicted = new int[derived.size()];
        for (int i = 0; i < derived.size(); i++) {
            SensorSession session = derived.get(i).session();
            truth[i] = derived.get(i).label();
            predicted[i] = binary.predict(features.vector(session, window.observe(session)));
        }
        return ClassificationMetrics.of(truth, predicted);
    }
}
