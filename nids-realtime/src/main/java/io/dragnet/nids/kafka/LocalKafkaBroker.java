package io.dragnet.nids.kafka;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.EnvironmentVariable;
import io.dragnet.contracts.Json;
import io.dragnet.storage.OwnerOnly;
import io.dragnet.storage.RepositoryPaths;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A single-node Apache Kafka broker (KRaft, broker + controller) on 127.0.0.1, run in its own JVM with the classpath
 * nids-realtime/kafka-broker builds (the broker's Jackson, kafka-clients and lz4 clash with Spark's). State lives in
 * {@code <home>/engines/kafka}: {@code data/} (storage formatted before first start), {@code broker.json} (pid and
 * ports of the running broker, so later commands reuse it), {@code broker.log}. Ports are chosen free at each start.
 */
public final class LocalKafkaBroker
        implements AutoCloseable
{
    public static final String ENGINE = "kafka";

    private final Path directory;
    private final BrokerState state;
    private final boolean owned;

    private LocalKafkaBroker(Path directory, BrokerState state, boolean owned)
    {
        this.directory = requireNonNull(directory, "directory is null");
        this.state = requireNonNull(state, "state is null");
        this.owned = owned;
    }

    public record BrokerState(
            @JsonProperty("pid") long pid,
            @JsonProperty("port") int port,
            @JsonProperty("controller_port") int controllerPort,
            @JsonProperty("started_at") String startedAt) {}

    /** Reuses the running broker of this home, or starts one that stops when this JVM exits. */
    public static LocalKafkaBroker start(DragnetHome home)
    {
        return start(home, true);
    }

    /**
     * Reuses the running broker of this home, or starts one. With {@code stopOnExit} a broker started here is stopped
     * when this JVM exits; without it, it keeps running for later commands ({@code dragnet nids broker start}).
     */
    public static synchronized LocalKafkaBroker start(DragnetHome home, boolean stopOnExit)
    {
        Path directory = home.engine(ENGINE);
        Optional<BrokerState> running = status(home);
        if (running.isPresent()) {
            return new LocalKafkaBroker(directory, running.get(), false);
        }
        try {
            OwnerOnly.createDirectories(directory);
            int port = freePort();
            int controllerPort = freePort();
            Path data = directory.resolve("data");
            Path properties = directory.resolve("server.properties");
            OwnerOnly.writeAtomically(properties, serverProperties(data, port, controllerPort));
            Path log4j = directory.resolve("log4j.properties");
            OwnerOnly.writeAtomically(log4j, """
                    log4j.rootLogger=WARN, file
                    log4j.appender.file=org.apache.log4j.FileAppender
                    log4j.appender.file.File=%s
                    log4j.appender.file.layout=org.apache.log4j.PatternLayout
                    log4j.appender.file.layout.ConversionPattern=[%%d] %%p %%m (%%c)%%n
                    log4j.logger.kafka=INFO
                    """.formatted(directory.resolve("server.log").toString().replace('\\', '/')));
            if (!Files.exists(data.resolve("meta.properties"))) {
                runToCompletion(directory, List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                        "-c", properties.toString(), "--ignore-formatted"), log4j);
            }
            // The broker keeps the JIT's default thresholds, not the launcher's (cli/jvm.options): with them its
            // per-request code stayed in C1 through a bench, costing 1.3–1.7× the broker's CPU at 1,000–10,000/s.
            Process process = javaProcess(directory, List.of("-Xms256m", "-Xmx768m", "kafka.Kafka", properties.toString()), log4j)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(OwnerOnly.ensureFile(directory.resolve("broker.log")).toFile()))
                    .start();
            BrokerState state = new BrokerState(process.pid(), port, controllerPort, Instant.now().toString());
            if (stopOnExit) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> terminate(process.toHandle()), "stop-kafka-broker"));
            }
            awaitReady(process, port, directory);
            OwnerOnly.writeAtomically(directory.resolve("broker.json"), Json.write(state));
            return new LocalKafkaBroker(directory, state, stopOnExit);
        }
        catch (IOException e) {
            throw DragnetException.external("cannot start the Kafka broker in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The running broker of this home, if its process is alive and its port answers. */
    public static Optional<BrokerState> status(DragnetHome home)
    {
        Path file = home.engine(ENGINE).resolve("broker.json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        BrokerState state = Json.read(file, BrokerState.class);
        boolean alive = ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false);
        return alive && answers(state.port()) ? Optional.of(state) : Optional.empty();
    }

    /** Stops the running broker of this home; false when none was running. */
    public static boolean stop(DragnetHome home)
    {
        Optional<BrokerState> running = status(home);
        running.flatMap(state -> ProcessHandle.of(state.pid())).ifPresent(LocalKafkaBroker::terminate);
        try {
            Files.deleteIfExists(home.engine(ENGINE).resolve("broker.json"));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return running.isPresent();
    }

    public String bootstrapServers()
    {
        return "127.0.0.1:" + state.port();
    }

    public BrokerState state()
    {
        return state;
    }

    /** Stops the broker if this instance started it; a reused broker keeps running. */
    @Override
    public void close()
    {
        if (owned) {
            ProcessHandle.of(state.pid()).ifPresent(LocalKafkaBroker::terminate);
            try {
                Files.deleteIfExists(directory.resolve("broker.json"));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Topic administration on this broker: create or grow, end offsets, starting offsets, delete. */
    public KafkaTopics topics()
    {
        return new KafkaTopics(bootstrapServers(), Map.of());
    }

    static String serverProperties(Path data, int port, int controllerPort)
    {
        Properties properties = new Properties();
        properties.setProperty("process.roles", "broker,controller");
        properties.setProperty("node.id", "1");
        properties.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        properties.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        properties.setProperty("controller.listener.names", "CONTROLLER");
        properties.setProperty("inter.broker.listener.name", "PLAINTEXT");
        properties.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.setProperty("log.dirs", data.toAbsolutePath().toString());
        properties.setProperty("num.partitions", "1");
        properties.setProperty("offsets.topic.replication.factor", "1");
        properties.setProperty("transaction.state.log.replication.factor", "1");
        properties.setProperty("transaction.state.log.min.isr", "1");
        properties.setProperty("group.initial.rebalance.delay.ms", "0");
        properties.setProperty("auto.create.topics.enable", "true");
        properties.setProperty("log.retention.hours", "24");
        // A laptop broker: benchmarks send millions of sessions, so each partition keeps at most 1 GiB in 128 MiB
        // segments (retention drops whole segments), checked every minute.
        properties.setProperty("log.retention.bytes", String.valueOf(1L << 30));
        properties.setProperty("log.segment.bytes", String.valueOf(128 << 20));
        properties.setProperty("log.retention.check.interval.ms", "60000");
        // Two cores shared with the stream: one selector thread serves every client and two request handlers keep up
        // (the defaults, 3 and 8, cost the broker 4.8 µs per session flat out against 3.7 with these).
        properties.setProperty("num.network.threads", "1");
        properties.setProperty("num.io.threads", "2");
        StringBuilder text = new StringBuilder("# written by dragnet LocalKafkaBroker at each start\n");
        properties.stringPropertyNames().stream().sorted().forEach(key -> text.append(key).append('=').append(properties.getProperty(key)).append('\n'));
        return text.toString();
    }

    private static ProcessBuilder javaProcess(Path directory, List<String> arguments, Path log4j)
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(brokerLibrary().toAbsolutePath() + File.separator + "*");
        command.add("-Dlog4j.configuration=file:" + log4j.toAbsolutePath());
        command.add("-Djava.awt.headless=true");
        command.addAll(arguments);
        // The broker's log folders and logs are owner-only: it creates them under umask 077.
        return new ProcessBuilder(OwnerOnly.underUmask("kafka", command)).directory(directory.toFile()).redirectErrorStream(true);
    }

    private static void runToCompletion(Path directory, List<String> arguments, Path log4j)
            throws IOException
    {
        Path log = directory.resolve("format.log");
        Process process = javaProcess(directory, arguments, log4j).redirectOutput(OwnerOnly.ensureFile(log).toFile()).start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw DragnetException.external("formatting Kafka storage failed: " + Files.readString(log), null);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DragnetException.external("interrupted while formatting Kafka storage", e);
        }
    }

    private static void awaitReady(Process process, int port, Path directory)
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw DragnetException.external("the Kafka broker exited with " + process.exitValue() + "; see " + directory.resolve("broker.log"), null);
            }
            if (answers(port)) {
                try (Admin admin = Admin.create(config)) {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                }
                catch (Exception e) {
                    // not ready yet: the listener is up before the controller has elected itself
                }
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DragnetException.external("interrupted while waiting for the Kafka broker", e);
            }
        }
        terminate(process.toHandle());
        throw DragnetException.external("the Kafka broker did not become ready within 90 s; see " + directory.resolve("broker.log"), null);
    }

    private static boolean answers(int port)
    {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static void terminate(ProcessHandle handle)
    {
        handle.destroy();
        try {
            handle.onExit().get(20, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            handle.destroyForcibly();
        }
    }

    /** The broker's own classpath, built by nids-realtime/kafka-broker (or $DRAGNET_KAFKA_LIB). */
    static Path brokerLibrary()
    {
        String configured = System.getProperty("dragnet.kafka.lib", EnvironmentVariable.DRAGNET_KAFKA_LIB.read().orElse(null));
        Path lib = configured != null ? Path.of(configured) : RepositoryPaths.root().resolve("nids-realtime/kafka-broker/target/lib");
        if (!Files.isDirectory(lib)) {
            throw DragnetException.user("Kafka broker classpath " + lib + " is missing: build it with "
                    + "`mvn -B -q -o -pl nids-realtime/kafka-broker package` (or set DRAGNET_KAFKA_LIB)");
        }
        return lib;
    }
}
