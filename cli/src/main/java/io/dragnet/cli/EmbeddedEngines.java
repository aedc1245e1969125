package io.dragnet.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.nids.kafka.LocalKafkaBroker;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.storage.LocalSparkSettings;
import org.apache.spark.sql.SparkSession;

import java.io.PrintWriter;

import static java.util.Objects.requireNonNull;

/**
 * The local engines the demo starts: the OpenSearch node, the Kafka broker (started by the NIDS pipeline) and a local
 * SparkSession. Closing stops what this demo started, unless asked to keep the engines for exploration; a shutdown
 * hook does the same on Ctrl-C, so a second run never needs manual clean-up.
 */
final class EmbeddedEngines
        implements AutoCloseable
{
    private final DragnetHome home;
    private final boolean keepRunning;
    private final PrintWriter out;
    private final Thread shutdownHook;
    private LocalOpenSearchNode openSearch;
    private SparkSession spark;
    private boolean closed;

    EmbeddedEngines(DragnetHome home, boolean keepRunning, PrintWriter out)
    {
        this.home = requireNonNull(home, "home is null");
        this.keepRunning = keepRunning;
        this.out = requireNonNull(out, "out is null");
        this.shutdownHook = new Thread(this::close, "dragnet-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    OpenSearchConnection startOpenSearch()
    {
        openSearch = LocalOpenSearchNode.startOrReuse(home);
        return openSearch.connection();
    }

    SparkSession spark()
    {
        if (spark == null) {
            SparkSession.Builder builder = SparkSession.builder();
            LocalSparkSettings.of("dragnet-demo", "local[*]", 4).forEach(builder::config);
            spark = builder.getOrCreate();
        }
        return spark;
    }

    @Override
    public synchronized void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != shutdownHook) {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        if (spark != null) {
            spark.stop();
        }
        if (keepRunning) {
            out.println("engines kept running (--keep-running): stop them with ./dragnet opensearch stop and ./dragnet nids broker stop");
            out.flush();
            return;
        }
        boolean kafkaStopped = LocalKafkaBroker.stop(home);
        boolean openSearchStopped = LocalOpenSearchNode.stop(home);
        out.printf("stopped: Kafka broker %s, OpenSearch node %s%n", kafkaStopped ? "yes" : "(not running)", openSearchStopped ? "yes" : "(not running)");
        out.flush();
    }
}
