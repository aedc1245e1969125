package io.dragnet.opensearch.internal;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Where the embedded node keeps its state under {@code <home>/engines/opensearch}: the node folder (owned by the
 * unprivileged user the node runs as) and the secrets folder (readable by the project's user only).
 */
public record NodeLayout(Path engine, String version)
{
    public NodeLayout
    {
        requireNonNull(engine, "engine is null");
        requireNonNull(version, "version is null");
        engine = engine.toAbsolutePath().normalize();
    }

    public Path lockFile()
    {
        return engine.resolve(".lock");
    }

    public Path node()
    {
        return engine.resolve("node");
    }

    public Path install()
    {
        return node().resolve("opensearch-" + version);
    }

    public Path installedMarker()
    {
        return install().resolve(".dragnet-installed");
    }

    public Path config()
    {
        return install().resolve("config");
    }

    public Path securityConfig()
    {
        return config().resolve("opensearch-security");
    }

    public Path data()
    {
        return node().resolve("data");
    }

    public Path logs()
    {
        return node().resolve("logs");
    }

    public Path pidFile()
    {
        return logs().resolve("opensearch.pid");
    }

    public Path launcherLog()
    {
        return logs().resolve("launcher.log");
    }

    public Path secrets()
    {
        return engine.resolve("secrets");
    }

    public Path caCertificate()
    {
        return engine.resolve("root-ca.pem");
    }

    /** The key the token gateway signs the node's tokens with; the node's JWT domain trusts its public half only. */
    public Path gatewayPrivateKey()
    {
        return secrets().resolve("jwt-signing-key.pem");
    }

    public Path gatewayPublicKey()
    {
        return secrets().resolve("jwt-public-key.pem");
    }

    /** The key {@code dragnet access token --minted} signs with; only the token gateway trusts it. */
    public Path minterPrivateKey()
    {
        return secrets().resolve("minter-signing-key.pem");
    }

    public Path minterPublicKey()
    {
        return secrets().resolve("minter-public-key.pem");
    }
}
