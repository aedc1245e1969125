package io.dragnet.statemachine;

import io.dragnet.storage.RepositoryPaths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 made of JVMs started from the Maven jars: a master and workers, each its own
 * process, and drivers submitted with Spark's own {@code SparkSubmit}. The Spark home is a folder holding {@code jars/}
 * (links to the jars of this JVM's class path, the project's own modules left out so that steps see only the jar they
 * submit) and the {@code RELEASE} marker Spark's launcher uses to find it; {@code SPARK_SCALA_VERSION=2.12}.
 */
final class StandaloneSparkCluster
        implements AutoCloseable
{
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path home;
    private final Path logs;
    private final int masterPort;
    private final List<Process> daemons = new ArrayList<>();

    private StandaloneSparkCluster(Path home, Path logs, int masterPort)
    {
        this.home = home;
        this.logs = logs;
        this.masterPort = masterPort;
    }

    /** Starts a master and {@code workers} workers of one core and {@code workerMemory} each, and waits until all have registered. */
    static StandaloneSparkCluster start(Path directory, int workers, String workerMemory)
            throws IOException, InterruptedException
    {
        Path home = sparkHome(directory.resolve("spark-home"));
        Path logs = Files.createDirectories(directory.resolve("logs"));
        StandaloneSparkCluster cluster = new StandaloneSparkCluster(home, logs, freePort());
        try {
            Path masterLog = cluster.daemon("master", List.of("org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", String.valueOf(cluster.masterPort), "--webui-port", String.valueOf(freePort())));
            cluster.awaitLine(masterLog, "I have been elected leader");
            for (int i = 1; i <= workers; i++) {
                Path workDirectory = Files.createDirectories(directory.resolve("worker-" + i));
                Path workerLog = cluster.daemon("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", workerMemory, "--webui-port", String.valueOf(freePort()),
                        "--work-dir", workDirectory.toString(), cluster.masterUrl()));
                cluster.awaitLine(workerLog, "Successfully registered with master");
            }
            return cluster;
        }
        catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    String masterUrl()
    {
        return "spark://127.0.0.1:" + masterPort;
    }

    /**
     * Runs {@code org.apache.spark.deploy.SparkSubmit} with these arguments in a JVM of its own, with these extra
     * environment variables; returns its exit code, its output in {@code log}.
     */
    int submit(List<String> arguments, java.util.Map<String, String> environment, Path log)
            throws IOException, InterruptedException
    {
        List<String> command = java(List.of());
        command.add("org.apache.spark.deploy.SparkSubmit");
        command.addAll(arguments);
        ProcessBuilder builder = processBuilder(command, log);
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            destroy(process);
            throw new IllegalStateException("spark-submit did not end within 15 minutes; see " + log);
        }
        return process.exitValue();
    }

    /** The JVM flags this JVM runs Spark with (module opens), for drivers and executors alike. */
    static List<String> sparkJvmFlags()
    {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> flag.startsWith("--add-opens") || flag.startsWith("-Djdk.reflect") || flag.equals("-XX:-DontCompileHugeMethods"))
                .toList();
    }

    @Override
    public void close()
    {
        daemons.forEach(StandaloneSparkCluster::destroy);
        daemons.clear();
    }

    private Path daemon(String name, List<String> arguments)
            throws IOException
    {
        Path log = logs.resolve(name + ".log");
        List<String> command = java(List.of("-Xmx512m"));
        command.addAll(arguments);
        daemons.add(processBuilder(command, log).start());
        return log;
    }

    private List<String> java(List<String> heap)
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(heap);
        command.addAll(sparkJvmFlags());
        command.add("-cp");
        command.add(home.resolve("jars") + "/*");
        return command;
    }

    private ProcessBuilder processBuilder(List<String> command, Path log)
    {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.12");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("SPARK_LOCAL_HOSTNAME", "localhost");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder;
    }

    private void awaitLine(Path log, String line)
            throws IOException, InterruptedException
    {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            for (Process daemon : daemons) {
                if (!daemon.isAlive()) {
                    throw new IllegalStateException("a Spark daemon exited with " + daemon.exitValue() + "; see " + logs);
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("'" + line + "' did not appear in " + log + " within " + START_TIMEOUT.toSeconds() + " s");
    }

    /** Ends a process and whatever it started (a worker's executors). */
    private static void destroy(Process process)
    {
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        family.add(process.toHandle());
        family.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : family) {
            try {
                handle.onExit().get(20, TimeUnit.SECONDS);
            }
            catch (Exception e) {
                handle.destroyForcibly();
            }
        }
    }

    private static Path sparkHome(Path home)
            throws IOException
    {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "Spark from the Maven jars of this build\n");
        String ownModules = "/io/dragnet/";
        Path repository = RepositoryPaths.root();
        try (Stream<String> entries = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))) {
            for (String entry : entries.toList()) {
                Path jar = Path.of(entry).toAbsolutePath().normalize();
                if (!entry.endsWith(".jar") || entry.contains(ownModules) || jar.startsWith(repository) || !Files.isRegularFile(jar)) {
                    continue;
                }
                Path link = jars.resolve(jar.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, jar);
                }
            }
        }
        return home;
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
