package io.dragnet.nids;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.SessionSynthesizer;
import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.data.UnswLoader;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.nids.kafka.LocalKafkaBroker;
import io.dragnet.nids.kafka.SessionReplayer;
import io.dragnet.nids.model.ClassificationMetrics;
import io.dragnet.nids.model.DatasetSplit;
import io.dragnet.nids.model.ModelTrainer;
import io.dragnet.nids.model.NidsModel;
import io.dragnet.nids.model.NidsModelStore;
import io.dragnet.nids.stream.StreamObserver;
import io.dragnet.nids.stream.VerdictStream;
import io.dragnet.storage.FileTrees;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The NIDS end to end on the embedded default, as the demo and the daily run call it: a model (the latest saved one,
 * or trained now), the local Kafka broker (reused or started), a replay of derived sessions stamped on the day, the
 * streaming job until every session is scored, then the query stops. A run replaces the day's verdict partition.
 */
public final class NidsPipeline
{
    public static final String VERDICTS_SOURCE = "nids_verdicts";
    public static final long DERIVATION_SEED = 20181102L;

    private NidsPipeline() {}

    public static NidsDayResult runDay(SparkSession spark, DragnetHome home, LocalDate day, int sessions)
    {
        return runDay(spark, home, day, sessions, 0, new PrintWriter(System.err, true));
    }

    /**
     * @param rate sessions per second to replay at; 0 sends flat out
     */
    public static NidsDayResult runDay(SparkSession spark, DragnetHome home, LocalDate day, int sessions, double rate, PrintWriter log)
    {
        if (sessions < 1) {
            throw DragnetException.user("sessions must be at least 1, got " + sessions);
        }
        List<UnswRow> rows = UnswLoader.load(UnswDatasets.trainingCsv());
        NidsModel model = modelFor(spark, home, rows, log);
        log.printf("nids: model %s%n", model.describe());
        LocalKafkaBroker broker = LocalKafkaBroker.start(home);
        createTopics(broker);
        List<SessionSynthesizer.Derived> derived = SessionSynthesizer.derive(heldOutRows(rows, model, log), sessions, day, DERIVATION_SEED);
        List<SensorSession> replay = derived.stream().map(SessionSynthesizer.Derived::session).toList();
        Path verdicts = home.lake().resolve(VERDICTS_SOURCE);
        Path checkpoint = home.engine("nids").resolve("checkpoints").resolve("day=" + day);
        try {
            FileTrees.deleteRecursively(verdicts.resolve("dt=" + day));
            FileTrees.deleteRecursively(checkpoint);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StreamObserver observer = new StreamObserver();
        StreamingQuery query = VerdictStream.start(spark, model,
                VerdictStream.Options.defaults(broker.bootstrapServers(), verdicts, checkpoint, broker.topics().startingOffsets(VerdictStream.SESSIONS_TOPIC)),
                observer);
        try {
            log.printf("nids: replaying %,d sessions for %s to %s (%s)%n", sessions, day, broker.bootstrapServers(), rate > 0 ? rate + "/s" : "flat out");
            SessionReplayer.replay(broker.bootstrapServers(), VerdictStream.SESSIONS_TOPIC, replay, rate);
            awaitScored(query, observer, sessions, Duration.ofSeconds(120 + sessions / 500));
        }
        finally {
            stop(query);
        }
        StreamObserver.Snapshot snapshot = observer.snapshot();
        return new NidsDayResult(day, sessions, snapshot.verdicts(), snapshot.malicious(), snapshot.deadLetters(),
                snapshot.sessionsPerSecond(), snapshot.latencies(), model.version(), verdicts.resolve("dt=" + day),
                againstTruth(spark, verdicts.resolve("dt=" + day), derived));
    }

    /**
     * The latest saved model, or one trained now from the UNSW-NB15 training CSV with the default parameters (what
     * {@code dragnet nids train} makes, in about half a minute) and saved.
     */
    public static NidsModel modelFor(SparkSession spark, DragnetHome home, List<UnswRow> rows, PrintWriter log)
    {
        NidsModelStore store = new NidsModelStore(home.models());
        return store.latest().orElseGet(() -> {
            log.printf("nids: no saved model under %s, training one from %s%n", home.models(), UnswDatasets.trainingCsv());
            ModelTrainer.Parameters parameters = ModelTrainer.Parameters.defaults();
            ModelTrainer.Trained trained = ModelTrainer.train(spark, rows, parameters, store.nextVersion(), UnswDatasets.trainingCsv().getFileName().toString());
            store.save(trained.model(), parameters.toMap());
            return trained.model();
        });
    }

    /**
     * The rows the model was not trained on, recomputed from the split recorded in its metrics, so the day's figures
     * against truth are not flattered by training rows. A model without a recorded split (hand-built, or saved
     * without one), or trained on another number of rows than these, gets all rows.
     */
    public static List<UnswRow> heldOutRows(List<UnswRow> rows, NidsModel model, PrintWriter log)
    {
        if (!(model.metrics().get("split") instanceof Map<?, ?> split)
                || !(split.get("holdout_fraction") instanceof Number fraction) || !(split.get("seed") instanceof Number seed)) {
            log.printf("nids: model %s records no training split; deriving sessions from all %,d rows, training rows included%n", model.version(), rows.size());
            return rows;
        }
        if (!(model.metrics().get("rows") instanceof Number trainedOn) || trainedOn.longValue() != rows.size()) {
            log.printf("nids: model %s was trained on %s rows, not these %,d; deriving sessions from all of them%n", model.version(),
                    model.metrics().get("rows"), rows.size());
            return rows;
        }
        return DatasetSplit.stratified(DatasetSplit.deduplicate(rows), fraction.doubleValue(), seed.longValue()).holdout();
    }

    public static void createTopics(LocalKafkaBroker broker)
    {
        broker.topics().ensureAll(List.of(VerdictStream.SESSIONS_TOPIC, VerdictStream.VERDICTS_TOPIC, VerdictStream.DEAD_LETTER_TOPIC), 1);
    }

    /** The day's written verdicts against the labels of the rows the sessions were derived from (held-out rows, see {@link #heldOutRows}). */
    static ClassificationMetrics againstTruth(SparkSession spark, Path dayDirectory, List<SessionSynthesizer.Derived> derived)
    {
        Map<String, Integer> truth = new java.util.HashMap<>();
        derived.forEach(session -> truth.put(session.session().sessionId(), session.label()));
        List<org.apache.spark.sql.Row> written = spark.read().parquet(dayDirectory.toString())
                .select(io.dragnet.contracts.VerdictColumns.SESSION_ID, io.dragnet.contracts.VerdictColumns.PREDICTED_MALICIOUS)
                .collectAsList();
        int[] labels = new int[written.size()];
        int[] predicted = new int[written.size()];
        for (int i = 0; i < written.size(); i++) {
            labels[i] = truth.getOrDefault(written.get(i).getString(0), -1);
            predicted[i] = written.get(i).getBoolean(1) ? 1 : 0;
        }
        return ClassificationMetrics.of(labels, predicted);
    }

    public static void awaitScored(StreamingQuery query, StreamObserver observer, long records, Duration timeout)
    {
        try {
            awaitRecords(query::isActive, observer, records, timeout);
        }
        finally {
            rethrowFailure(query);
        }
    }

    /** Throws what stopped the query, if it failed. */
    public static void rethrowFailure(StreamingQuery query)
    {
        if (query.exception().isDefined()) {
            StreamingQueryException failure = query.exception().get();
            throw DragnetException.external("the NIDS query " + (query.name() != null ? query.name() + " " : "") + "failed: " + failure.getMessage(), failure);
        }
    }

    /** Waits until the observer saw {@code records} verdicts and dead letters; fails when the stream stops or time runs out. */
    public static void awaitRecords(java.util.function.BooleanSupplier active, StreamObserver observer, long records, Duration timeout)
    {
        try {
            boolean done = observer.awaitRecords(records, timeout, active);
            if (!done && !active.getAsBoolean()) {
                throw DragnetException.external("the NIDS stream stopped before all " + records + " records were scored", null);
            }
            if (!done) {
                StreamObserver.Snapshot snapshot = observer.snapshot();
                throw DragnetException.external("the NIDS streaming query scored " + (snapshot.verdicts() + snapshot.deadLetters())
                        + " of " + records + " records within " + timeout.toSeconds() + " s", null);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DragnetException.external("interrupted while waiting for verdicts", e);
        }
    }

    public static void stop(StreamingQuery query)
    {
        try {
            query.stop();
        }
        catch (TimeoutException e) {
            throw DragnetException.external("the NIDS streaming query did not stop: " + e.getMessage(), e);
        }
    }
}
