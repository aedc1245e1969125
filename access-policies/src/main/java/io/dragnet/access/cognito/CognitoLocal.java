package io.dragnet.access.cognito;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.opensearch.internal.CertificateAuthority;
import io.dragnet.opensearch.internal.Pem;
import io.dragnet.storage.OwnerOnly;
import io.dragnet.storage.RepositoryPaths;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A Cognito user-pool server on 127.0.0.1: the npm package {@code cognito-local} (installed at the checkout's root by
 * {@code npm ci}), run by the machine's Node as a child of this JVM and stopped by {@link #close}.
 * <p>
 * cognito-local ships one RSA key pair in its package and signs every token with it; that key is public. This launcher
 * preloads {@code own-signing-key.cjs}, which puts the home's own key ({@code <home>/engines/cognito-local/signing-key.pem},
 * generated once, owner-only) in its place, so tokens are signed with, and the JWKS endpoint serves, a key nobody else
 * holds. The pool's data (users, passwords, groups) lives under {@code <home>/engines/cognito-local/.cognito}, written
 * under umask 077.
 */
public final class CognitoLocal
        implements AutoCloseable
{
    /** Issuer domain of the local pools' tokens ({@code <domain>/<pool id>}), shaped like Cognito's. */
    public static final String ISSUER_DOMAIN = "https://cognito-idp.local.dragnet";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("Cognito Local running on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;]*m");

    private final Process process;
    private final URI endpoint;
    private final CognitoIdentityProviderClient client;

    private CognitoLocal(Process process, URI endpoint)
    {
        this.process = requireNonNull(process, "process is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.client = CognitoIdentityProviderClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of("local"))
                // cognito-local does not check request signatures; the SDK needs some credentials to sign with.
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Starts cognito-local for this home and waits until it listens. */
    public static CognitoLocal start(DragnetHome home)
    {
        Path folder = home.engine("cognito-local");
        Path packageFolder = RepositoryPaths.root().resolve("node_modules/cognito-local");
        Path script = packageFolder.resolve("lib/bin/start.js");
        if (!Files.isRegularFile(script)) {
            throw DragnetException.user(script + " is missing: install the checkout's Node packages with `npm ci` at " + RepositoryPaths.root()
                    + " (mvn verify does it)");
        }
        try {
            OwnerOnly.createDirectories(folder.resolve(".cognito"));
            Files.setPosixFilePermissions(folder, OwnerOnly.FOLDER);
            Path key = signingKey(folder);
            Path preload = folder.resolve("own-signing-key.cjs");
            try (InputStream resource = requireNonNull(CognitoLocal.class.getResourceAsStream("own-signing-key.cjs"), "own-signing-key.cjs resource")) {
                Files.copy(resource, preload, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(preload, OwnerOnly.FILE);
            OwnerOnly.writeAtomically(folder.resolve(".cognito/config.json"), Json.write(Map.of(
                    "TokenConfig", Map.of("IssuerDomain", ISSUER_DOMAIN),
                    // Usernames are plain names, as dragnet's users are, not e-mail addresses.
                    "UserPoolDefaults", Map.of("UsernameAttributes", List.of()))));
            Path log = folder.resolve("server.log");
            Files.deleteIfExists(log);
            Files.createFile(log, OwnerOnly.fileAttribute());
            ProcessBuilder builder = new ProcessBuilder(OwnerOnly.underUmask("cognito-local",
                    List.of("node", "--require", preload.toString(), script.toString())))
                    .directory(folder.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("HOST", "127.0.0.1");
            builder.environment().put("PORT", "0");
            builder.environment().put("DRAGNET_COGNITO_SIGNING_KEY", key.toString());
            builder.environment().put("DRAGNET_COGNITO_LOCAL_PACKAGE", packageFolder.toString());
            Process process = builder.start();
            try {
                return new CognitoLocal(process, awaitListening(process, log));
            }
            catch (RuntimeException e) {
                process.destroyForcibly();
                throw e;
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot start cognito-local under " + folder, e);
        }
    }

    public URI endpoint()
    {
        return endpoint;
    }

    /** The AWS SDK v2 Cognito client pointed at this server. */
    public CognitoIdentityProviderClient client()
    {
        return client;
    }

    @Override
    public void close()
    {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Path signingKey(Path folder)
            throws IOException
    {
        Path key = folder.resolve("signing-key.pem");
        if (!Files.isRegularFile(key)) {
            Path temp = Files.createTempFile(folder, ".signing-key", ".tmp", OwnerOnly.fileAttribute());
            try {
                Files.writeString(temp, Pem.privateKey(CertificateAuthority.rsaKeyPair(new SecureRandom()).getPrivate()), StandardCharsets.US_ASCII);
            }
            catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate an RSA key", e);
            }
            Files.move(temp, key, StandardCopyOption.ATOMIC_MOVE);
        }
        return key;
    }

    private static URI awaitListening(Process process, Path log)
            throws IOException
    {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> port = listeningPort(Files.readString(log, StandardCharsets.UTF_8));
            if (port.isPresent()) {
                return URI.create("http://127.0.0.1:" + port.get());
            }
            if (!process.isAlive()) {
                throw DragnetException.external("cognito-local exited with " + process.exitValue() + " before listening; its log " + log + " ends:\n" + tail(log), null);
            }
            try {
                // Waiting for a line the server prints once it listens: poll the log with a deadline.
                Thread.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DragnetException.external("interrupted while starting cognito-local", e);
            }
        }
        throw DragnetException.external("cognito-local did not listen within " + START_TIMEOUT.toSeconds() + " s; its log " + log + " ends:\n" + tail(log), null);
    }

    static Optional<String> listeningPort(String log)
    {
        Matcher matcher = LISTENING.matcher(ANSI_ESCAPE.matcher(log).replaceAll(""));
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static String tail(Path log)
            throws IOException
    {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
