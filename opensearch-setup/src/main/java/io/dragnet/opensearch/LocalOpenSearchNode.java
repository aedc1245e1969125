package io.dragnet.opensearch;

import io.dragnet.opensearch.client.RestCaller;
import io.dragnet.opensearch.client.RestResponse;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.opensearch.internal.Distribution;
import io.dragnet.opensearch.internal.NodeLayout;
import io.dragnet.opensearch.internal.NodeSecrets;
import io.dragnet.opensearch.internal.Pem;
import io.dragnet.opensearch.internal.SecurityConfigFiles;
import io.dragnet.storage.FileTrees;
import io.dragnet.storage.OwnerOnly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The embedded OpenSearch node: OpenSearch 2.19 with its security plugin, TLS from a generated CA, a generated admin
 * password, and one JWT domain that trusts only the token gateway's key (analysts' Cognito ID tokens reach the node
 * through the gateway, which checks them strictly and signs a short-lived token of its own). State lives under {@code <home>/engines/opensearch}; the node
 * outlives the JVM that started it ({@code dragnet opensearch start}), so any later process reuses it through
 * {@link #startOrReuse}, which also writes {@link OpenSearchConnection#defaultFile}.
 * When the JVM runs as root the node runs as uid/gid 65534, since OpenSearch refuses to run as root. The node's data,
 * logs and configuration are owner-only (folders 0700, files written under umask 077).
 */
public final class LocalOpenSearchNode
{
    public static final String VERSION = "2.19.4";
    public static final String SECURITY_PLUGIN_VERSION = "2.19.4.0";
    /** Issuer and audience of minted local tokens, shaped like a Cognito user pool's ID tokens (the gateway checks them). */
    public static final String JWT_ISSUER = "https://cognito-idp.local.dragnet/local_dragnet_pool";
    public static final String JWT_AUDIENCE = "dragnet-dashboards-local";
    /** Issuer and audience of the tokens the token gateway signs for the node: the only tokens the node accepts. */
    public static final String GATEWAY_ISSUER = "https://token-gateway.local.dragnet";
    public static final String GATEWAY_AUDIENCE = "dragnet-opensearch-node";
    public static final String JWT_ROLES_KEY = "cognito:groups";
    public static final String JWT_SUBJECT_KEY = "cognito:username";
    /** How far a token's {@code exp} and {@code nbf} may be off the node's clock. */
    public static final int JWT_CLOCK_SKEW_SECONDS = 5;
    public static final String ADMIN_USER = "admin";
    /**
     * The admin's HTTP basic authentication domain. It challenges, which ends the domain chain for a request without
     * basic credentials, so it comes after every token domain (ordered below this).
     */
    public static final String BASIC_AUTH_DOMAIN = "basic_internal_auth_domain";
    public static final int BASIC_AUTH_ORDER = 9;

    private static final int UNPRIVILEGED_ID = 65534;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Object LOCK = new Object();

    private final NodeLayout layout;
    private final OpenSearchConnection connection;
    private final long pid;

    private LocalOpenSearchNode(NodeLayout layout, OpenSearchConnection connection, long pid)
    {
        this.layout = requireNonNull(layout, "layout is null");
        this.connection = requireNonNull(connection, "connection is null");
        this.pid = pid;
    }

    /**
     * The connection a command was pointed at with {@code --connection} (an OpenSearchConnection JSON), or, when it
     * names none, the local node's of this home, starting the node if needed.
     */
    public static OpenSearchConnection connection(DragnetHome home, Path connectionFile)
    {
        if (connectionFile == null) {
            return startOrReuse(home).connection();
        }
        if (!Files.isRegularFile(connectionFile)) {
            throw DragnetException.user("--connection " + connectionFile + ": file not found (expected an OpenSearchConnection JSON)");
        }
        return Json.read(connectionFile, OpenSearchConnection.class);
    }

    /** Returns the running node of this home, or installs (first time) and starts it, waiting until it is healthy. */
    public static LocalOpenSearchNode startOrReuse(DragnetHome home)
    {
        NodeLayout layout = layout(home);
        synchronized (LOCK) {
            try {
                Files.createDirectories(layout.engine());
                try (FileChannel channel = FileChannel.open(layout.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock ignored = channel.lock()) {
                    Optional<LocalOpenSearchNode> running = running(home, layout);
                    if (running.isPresent()) {
                        return running.get();
                    }
                    return start(home, layout);
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot start OpenSearch under " + layout.engine(), e);
            }
        }
    }

    public OpenSearchConnection connection()
    {
        return connection;
    }

    public long pid()
    {
        return pid;
    }

    /** Stops the node (SIGTERM, then SIGKILL after 60 s); its data stays for the next start. */
    public void stop()
    {
        stopProcess(layout);
    }

    /** Stops the node of this home if one runs; returns whether one did. */
    public static boolean stop(DragnetHome home)
    {
        return stopProcess(layout(home));
    }

    /** One line: running (endpoint, pid, health), stopped, or not installed. */
    public static String status(DragnetHome home)
    {
        NodeLayout layout = layout(home);
        Optional<ProcessHandle> process = nodeProcess(layout);
        Path connectionFile = OpenSearchConnection.defaultFile(home);
        if (process.isEmpty()) {
            return Files.isRegularFile(layout.installedMarker()) ? "stopped (installed at " + layout.install() + ")" : "not installed";
        }
        if (!Files.isRegularFile(connectionFile)) {
            return "starting (pid " + process.get().pid() + ")";
        }
        OpenSearchConnection connection = Json.read(connectionFile, OpenSearchConnection.class);
        RestResponse health = RestCaller.asAdmin(connection).get("/_cluster/health");
        String state = health.ok() ? "health " + Json.mapper().convertValue(parse(health.body()).get("status"), String.class) : "answering " + health.status();
        return "running at " + connection.endpoint() + " (pid " + process.get().pid() + ", " + state + ")";
    }

    /** The PEM private key the token gateway signs the node's tokens with (generated with the node's secrets). */
    public static Path gatewaySigningKeyFile(DragnetHome home)
    {
        return layout(home).gatewayPrivateKey();
    }

    /** The node's TLS certificate (SAN localhost and 127.0.0.1, from the home's CA), which the token gateway serves too. */
    public static Path nodeCertificateFile(DragnetHome home)
    {
        return layout(home).secrets().resolve(NodeSecrets.NODE_CERT);
    }

    public static Path nodeKeyFile(DragnetHome home)
    {
        return layout(home).secrets().resolve(NodeSecrets.NODE_KEY);
    }

    public static Path gatewayPublicKeyFile(DragnetHome home)
    {
        return layout(home).gatewayPublicKey();
    }

    /** The PEM private key minted tokens are signed with; the gateway, not the node, trusts its public half. */
    public static Path minterSigningKeyFile(DragnetHome home)
    {
        return layout(home).minterPrivateKey();
    }

    public static Path minterPublicKeyFile(DragnetHome home)
    {
        return layout(home).minterPublicKey();
    }

    /** The admin client certificate and key, for tools that need them (securityadmin.sh). */
    public static Path adminCertificateFile(DragnetHome home)
    {
        return layout(home).secrets().resolve(NodeSecrets.ADMIN_CERT);
    }

    private static NodeLayout layout(DragnetHome home)
    {
        return new NodeLayout(home.engine("opensearch"), VERSION);
    }

    private static Optional<LocalOpenSearchNode> running(DragnetHome home, NodeLayout layout)
    {
        Optional<ProcessHandle> process = nodeProcess(layout);
        Path connectionFile = OpenSearchConnection.defaultFile(home);
        if (process.isEmpty() || !Files.isRegularFile(connectionFile)) {
            return Optional.empty();
        }
        OpenSearchConnection connection = Json.read(connectionFile, OpenSearchConnection.class);
        awaitHealthy(connection, process.get(), layout);
        return Optional.of(new LocalOpenSearchNode(layout, connection, process.get().pid()));
    }

    private static LocalOpenSearchNode start(DragnetHome home, NodeLayout layout)
            throws IOException
    {
        // A pid file whose process is gone is left over from a crash or a killed machine.
        Files.deleteIfExists(layout.pidFile());
        Files.deleteIfExists(OpenSearchConnection.defaultFile(home));
        NodeSecrets.ensure(layout);
        install(layout);
        int httpPort = freePort();
        int transportPort = freePort();
        configure(layout, httpPort, transportPort);
        boolean root = isRoot();
        if (root) {
            handOverToUnprivilegedUser(home, layout);
        }
        ProcessHandle process = launch(layout, root);
        try {
            return readyNode(home, layout, process, httpPort);
        }
        catch (RuntimeException | IOException e) {
            // A node that never became usable is nobody's to stop later: stop it now.
            if (!stopProcess(layout)) {
                process.destroyForcibly();
            }
            throw e;
        }
    }

    private static LocalOpenSearchNode readyNode(DragnetHome home, NodeLayout layout, ProcessHandle process, int httpPort)
            throws IOException
    {
        OpenSearchConnection connection = new OpenSearchConnection(
                URI.create("https://127.0.0.1:" + httpPort),
                ADMIN_USER,
                NodeSecrets.read(layout, NodeSecrets.ADMIN_PASSWORD),
                layout.caCertificate().toString());
        awaitHealthy(connection, process, layout);
        // Single node: replicas could never be allocated and every index would stay yellow.
        RestCaller.asAdmin(connection).require("PUT", "/_index_template/dragnet-local-single-node",
                "{\"index_patterns\":[\"*\"],\"priority\":0,\"template\":{\"settings\":{\"number_of_replicas\":0}}}");
        // Indices made before the template existed (the audit log of the first requests) get the same setting, and
        // callers receive a node that is green, not one that turns green a moment later.
        RestCaller.asAdmin(connection).require("PUT", "/security-auditlog-*/_settings?allow_no_indices=true",
                "{\"index\":{\"number_of_replicas\":0}}");
        RestCaller.asAdmin(connection).require("GET", "/_cluster/health?wait_for_status=green&timeout=60s", null);
        Path connectionFile = OpenSearchConnection.defaultFile(home);
        OwnerOnly.writeAtomically(connectionFile, Json.write(connection));
        Files.setPosixFilePermissions(connectionFile, PosixFilePermissions.fromString("rw-------"));
        return new LocalOpenSearchNode(layout, connection, process.pid());
    }

    private static void install(NodeLayout layout)
            throws IOException
    {
        if (Files.isRegularFile(layout.installedMarker())) {
            return;
        }
        Path staging = layout.node().resolve(".install.tmp");
        FileTrees.deleteRecursively(staging);
        Files.createDirectories(staging);
        Distribution.unzip(Distribution.openSearchZip(VERSION), staging);
        Path plugin = Distribution.securityPluginZip(SECURITY_PLUGIN_VERSION);
        Path log = layout.node().resolve("plugin-install.log");
        int exit = run(List.of(staging.resolve("bin/opensearch-plugin").toString(), "install", "--batch", plugin.toUri().toString()),
                staging, log, Duration.ofMinutes(5));
        if (exit != 0) {
            throw DragnetException.external("opensearch-plugin install failed with exit " + exit + ":\n" + tail(log), null);
        }
        Files.writeString(staging.resolve(".dragnet-installed"), "opensearch " + VERSION + " + opensearch-security " + SECURITY_PLUGIN_VERSION + "\n");
        FileTrees.deleteRecursively(layout.install());
        Files.move(staging, layout.install(), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void configure(NodeLayout layout, int httpPort, int transportPort)
            throws IOException
    {
        Path config = layout.config();
        Files.createDirectories(layout.data());
        Files.createDirectories(layout.logs());
        for (Path ownerOnly : List.of(layout.data(), layout.logs(), config)) {
            Files.setPosixFilePermissions(ownerOnly, PosixFilePermissions.fromString("rwx------"));
        }
        for (String name : List.of(NodeSecrets.NODE_CERT, NodeSecrets.NODE_KEY)) {
            Files.copy(layout.secrets().resolve(name), config.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(layout.caCertificate(), config.resolve("root-ca.pem"), StandardCopyOption.REPLACE_EXISTING);
        List<String> settings = List.of(
                "cluster.name: dragnet-local",
                "node.name: dragnet-node-1",
                "network.host: 127.0.0.1",
                "http.port: " + httpPort,
                "transport.port: " + transportPort,
                "discovery.type: single-node",
                "path.data: " + quoted(layout.data()),
                "path.logs: " + quoted(layout.logs()),
                "bootstrap.memory_lock: false",
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "plugins.security.ssl.transport.pemcert_filepath: node.pem",
                "plugins.security.ssl.transport.pemkey_filepath: node-key.pem",
                "plugins.security.ssl.transport.pemtrustedcas_filepath: root-ca.pem",
                "plugins.security.ssl.transport.enforce_hostname_verification: false",
                "plugins.security.ssl.http.enabled: true",
                "plugins.security.ssl.http.pemcert_filepath: node.pem",
                "plugins.security.ssl.http.pemkey_filepath: node-key.pem",
                "plugins.security.ssl.http.pemtrustedcas_filepath: root-ca.pem",
                "plugins.security.allow_default_init_securityindex: true",
                "plugins.security.authcz.admin_dn: [\"" + io.dragnet.opensearch.internal.CertificateAuthority.ADMIN_DN + "\"]",
                "plugins.security.nodes_dn: [\"" + io.dragnet.opensearch.internal.CertificateAuthority.NODE_DN + "\"]",
                "plugins.security.audit.type: internal_opensearch",
                "plugins.security.compliance.salt: " + NodeSecrets.read(layout, NodeSecrets.MASKING_SALT).strip(),
                "plugins.security.enable_snapshot_restore_privilege: true",
                "plugins.security.check_snapshot_restore_write_privileges: true",
                "plugins.security.restapi.roles_enabled: [\"all_access\", \"security_rest_api_access\"]",
                "plugins.security.system_indices.enabled: true",
                "plugins.security.system_indices.indices: [\".opendistro-alerting-config\", \".opendistro-ism-*\", \".opendistro-job-scheduler-lock\", \".opensearch-notifications-*\"]");
        Files.writeString(config.resolve("opensearch.yml"), String.join("\n", settings) + "\n");
        Files.createDirectories(config.resolve("jvm.options.d"));
        Files.writeString(config.resolve("jvm.options.d/dragnet.options"), "-Xms512m\n-Xmx512m\n");
        SecurityConfigFiles security = new SecurityConfigFiles(
                NodeSecrets.read(layout, NodeSecrets.ADMIN_PASSWORD_HASH),
                Pem.publicKeyOneLine(Pem.readRsaPublicKey(Files.readString(layout.gatewayPublicKey()))),
                GATEWAY_ISSUER,
                GATEWAY_AUDIENCE,
                JWT_ROLES_KEY,
                JWT_SUBJECT_KEY,
                JWT_CLOCK_SKEW_SECONDS,
                BASIC_AUTH_DOMAIN,
                BASIC_AUTH_ORDER);
        for (Map.Entry<String, String> file : security.files().entrySet()) {
            Files.writeString(layout.securityConfig().resolve(file.getKey()), file.getValue());
        }
    }

    /** Gives the node folder to uid 65534 and makes the path to it traversable (not listable) for that user. */
    private static void handOverToUnprivilegedUser(DragnetHome home, NodeLayout layout)
            throws IOException
    {
        int exit = run(List.of("chown", "-R", UNPRIVILEGED_ID + ":" + UNPRIVILEGED_ID, layout.node().toString()),
                layout.engine(), layout.engine().resolve("chown.log"), Duration.ofMinutes(2));
        if (exit != 0) {
            throw DragnetException.external("chown of " + layout.node() + " failed:\n" + tail(layout.engine().resolve("chown.log")), null);
        }
        Set<PosixFilePermission> configMode = PosixFilePermissions.fromString("rwx------");
        Files.setPosixFilePermissions(layout.config(), configMode);
        Files.setPosixFilePermissions(layout.config().resolve(NodeSecrets.NODE_KEY), PosixFilePermissions.fromString("rw-------"));
        for (Path dir = layout.node(); dir != null; dir = dir.getParent()) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            if (mode.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                continue;
            }
            if (!dir.startsWith(home.root())) {
                throw DragnetException.user("OpenSearch runs as uid " + UNPRIVILEGED_ID + " and cannot reach " + layout.node()
                        + ": " + dir + " is not traversable by others (expected mode o+x); put DRAGNET_HOME elsewhere or chmod o+x " + dir);
            }
            Set<PosixFilePermission> traversable = new java.util.HashSet<>(mode);
            traversable.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(dir, traversable);
        }
    }

    /**
     * Starts the node in its own session (so closing the terminal that ran {@code dragnet opensearch start} leaves it
     * running); setsid, setpriv and the start script all exec, so the process started is the node's JVM.
     */
    private static ProcessHandle launch(NodeLayout layout, boolean root)
            throws IOException
    {
        List<String> command = new ArrayList<>(List.of("setsid"));
        if (root) {
            command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_ID, "--regid=" + UNPRIVILEGED_ID, "--clear-groups"));
        }
        // Everything the node writes (indices, translog, logs) is owner-only.
        command.addAll(OwnerOnly.underUmask("opensearch", List.of(layout.install().resolve("bin/opensearch").toString(), "-p", layout.pidFile().toString())));
        return processBuilder(command, layout.install(), layout.launcherLog()).start().toHandle();
    }

    private static void awaitHealthy(OpenSearchConnection connection, ProcessHandle process, NodeLayout layout)
    {
        RestCaller caller = RestCaller.asAdmin(connection);
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        RestResponse last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw failure("OpenSearch (pid " + process.pid() + ") exited", layout);
            }
            // 503 until the security plugin has loaded its configuration index.
            last = caller.get("/_cluster/health?wait_for_status=yellow&timeout=2s");
            if (last.ok()) {
                return;
            }
            pause(Duration.ofMillis(500));
        }
        throw failure("OpenSearch did not become healthy within " + START_TIMEOUT.toSeconds() + " s (last answer " + (last == null ? "none" : last.status() + " " + last.body()) + ")", layout);
    }

    private static Optional<ProcessHandle> nodeProcess(NodeLayout layout)
    {
        try {
            if (!Files.isRegularFile(layout.pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(layout.pidFile()).trim());
            // Guard against a recycled pid: the process must be a JVM running this installation.
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().arguments().map(arguments -> String.join(" ", arguments).contains(layout.install().toString())).orElse(true));
        }
        catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean stopProcess(NodeLayout layout)
    {
        Optional<ProcessHandle> process = nodeProcess(layout);
        if (process.isEmpty()) {
            return false;
        }
        ProcessHandle handle = process.get();
        handle.destroy();
        try {
            handle.onExit().get(60, TimeUnit.SECONDS);
        }
        catch (TimeoutException e) {
            handle.destroyForcibly();
            handle.onExit().join();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DragnetException.external("interrupted while stopping OpenSearch", e);
        }
        catch (ExecutionException e) {
            throw DragnetException.external("cannot stop OpenSearch", e);
        }
        try {
            Files.deleteIfExists(layout.pidFile());
            Files.deleteIfExists(layout.engine().resolve("connection.json"));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    private static int run(List<String> command, Path directory, Path log, Duration timeout)
            throws IOException
    {
        Process process = processBuilder(command, directory, log).start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw DragnetException.external(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s:\n" + tail(log), null);
            }
            return process.exitValue();
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw DragnetException.external("interrupted while running " + command.get(0), e);
        }
    }

    private static ProcessBuilder processBuilder(List<String> command, Path directory, Path log)
            throws IOException
    {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("OPENSEARCH_JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("OPENSEARCH_JAVA_OPTS");
        return builder;
    }

    private static DragnetException failure(String message, NodeLayout layout)
    {
        StringBuilder detail = new StringBuilder(message);
        detail.append("\n--- ").append(layout.launcherLog()).append('\n').append(tail(layout.launcherLog()));
        Path serverLog = layout.logs().resolve("dragnet-local.log");
        detail.append("\n--- ").append(serverLog).append('\n').append(tail(serverLog));
        return DragnetException.external(detail.toString(), null);
    }

    private static String tail(Path log)
    {
        try {
            if (!Files.isRegularFile(log)) {
                return "(no log)";
            }
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - 30), lines.size()).stream().collect(Collectors.joining("\n"));
        }
        catch (IOException | UncheckedIOException e) {
            return "(unreadable log: " + e.getMessage() + ")";
        }
    }

    private static Map<String, Object> parse(String json)
    {
        try {
            return Json.mapper().readValue(json, Map.class);
        }
        catch (IOException e) {
            return Map.of();
        }
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean isRoot()
    {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private static String quoted(Path path)
    {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void pause(Duration duration)
    {
        try {
            // Polling interval of a health check with a deadline, not a wait for a race.
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DragnetException.external("interrupted while waiting for OpenSearch", e);
        }
    }
}
