package io.dragnet.opensearch.client;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.EnvironmentVariable;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.OpenSearchConnection;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one environment contract from which every dragnet process (Spark sink, Publish, RecordRunCost, the security
 * configuration applier, the CLI) builds its {@link OpenSearchEndpoint}:
 * <table>
 *   <tr><th>variable</th><th>meaning</th></tr>
 *   <tr><td>{@code OPENSEARCH_AUTH}</td><td>{@code basic}, {@code jwt}, {@code sigv4} or {@code disabled}; when unset:
 *   {@code basic} if a local connection file is found, else an error</td></tr>
 *   <tr><td>{@code OPENSEARCH_ENDPOINT}</td><td>{@code https://host[:port]} of the domain (sigv4, jwt)</td></tr>
 *   <tr><td>{@code AWS_REGION}</td><td>signing region (sigv4); credentials come from the AWS SDK's default chain</td></tr>
 *   <tr><td>{@code OPENSEARCH_TOKEN}</td><td>a signed-in user's ID token (jwt)</td></tr>
 *   <tr><td>{@code OPENSEARCH_CA_CERTIFICATE}</td><td>optional PEM file of a private CA to trust for
 *   {@code OPENSEARCH_ENDPOINT} (default: the JVM trust store, which OpenSearch Service's certificates chain to)</td></tr>
 *   <tr><td>{@code DRAGNET_OPENSEARCH_CONNECTION}</td><td>the local connection file (basic; also system property
 *   {@code dragnet.opensearch.connection}, else the embedded node's {@code connection.json} under DRAGNET_HOME)</td></tr>
 * </table>
 * OpenSearch is skipped only when {@code OPENSEARCH_AUTH=disabled}: a process with nothing configured fails and says
 * what to set, so a missing setting never passes for a successful run without OpenSearch.
 */
public final class OpenSearchEnvironment
{
    // The names come from the one environment contract, which infra-sam's tests hold to the template.
    public static final String AUTH = EnvironmentVariable.OPENSEARCH_AUTH.name();
    public static final String ENDPOINT = EnvironmentVariable.OPENSEARCH_ENDPOINT.name();
    public static final String REGION = EnvironmentVariable.AWS_REGION.name();
    public static final String TOKEN = EnvironmentVariable.OPENSEARCH_TOKEN.name();
    public static final String CA_CERTIFICATE = EnvironmentVariable.OPENSEARCH_CA_CERTIFICATE.name();
    public static final String CONNECTION_FILE = EnvironmentVariable.DRAGNET_OPENSEARCH_CONNECTION.name();

    /** Every variable of the contract. */
    public static final List<String> VARIABLES = List.of(AUTH, ENDPOINT, REGION, TOKEN, CA_CERTIFICATE, CONNECTION_FILE);

    public enum Mode { BASIC, JWT, SIGV4, DISABLED }

    private OpenSearchEnvironment() {}

    /** This process's endpoint ({@link System#getenv()}); empty only when OpenSearch is explicitly disabled. */
    public static Optional<OpenSearchEndpoint> fromProcess()
    {
        return resolve(System.getenv(), null);
    }

    /**
     * The endpoint the environment describes; empty only when {@code OPENSEARCH_AUTH=disabled}.
     *
     * @param explicitConnectionFile a local connection file named by the caller (a handler's input {@code opensearchConnection},
     *        a CLI flag), or null; when given it decides: basic auth with that file
     */
    public static Optional<OpenSearchEndpoint> resolve(Map<String, String> environment, String explicitConnectionFile)
    {
        if (explicitConnectionFile != null && !explicitConnectionFile.isBlank()) {
            return Optional.of(OpenSearchEndpoint.basic(readConnection(OpenSearchConnection.locate(environment, explicitConnectionFile).orElseThrow())));
        }
        Optional<Mode> mode = mode(environment);
        if (mode.isEmpty()) {
            if (present(environment, ENDPOINT)) {
                throw DragnetException.user(ENDPOINT + " is set but " + AUTH + " is not: expected " + AUTH + "=sigv4 (AWS), jwt, basic or disabled");
            }
            return Optional.of(OpenSearchEndpoint.basic(readConnection(OpenSearchConnection.locate(environment, null).orElseThrow(() -> DragnetException.user(
                    "no OpenSearch configured: set " + AUTH + "=sigv4 with " + ENDPOINT + " and " + REGION + " (AWS), point " + CONNECTION_FILE
                            + " at a local connection file (basic), or set " + AUTH + "=disabled to run without OpenSearch")))));
        }
        return switch (mode.get()) {
            case DISABLED -> Optional.empty();
            case BASIC -> Optional.of(OpenSearchEndpoint.basic(readConnection(OpenSearchConnection.locate(environment, null).orElseThrow(() -> DragnetException.user(
                    AUTH + "=basic needs a local connection file: set " + CONNECTION_FILE + " or start the embedded node")))));
            case SIGV4 -> Optional.of(new OpenSearchEndpoint(endpoint(environment), new OpenSearchAuth.SigV4(required(environment, REGION)), caCertificate(environment)));
            case JWT -> Optional.of(jwtEndpoint(environment));
        };
    }

    /** The mode {@code OPENSEARCH_AUTH} names, if set. */
    public static Optional<Mode> mode(Map<String, String> environment)
    {
        if (!present(environment, AUTH)) {
            return Optional.empty();
        }
        String value = environment.get(AUTH).trim();
        try {
            return Optional.of(Mode.valueOf(value.toUpperCase(Locale.ROOT)));
        }
        catch (IllegalArgumentException e) {
            throw DragnetException.user(AUTH + "='" + value + "': expected basic, jwt, sigv4 or disabled");
        }
    }

    private static OpenSearchEndpoint jwtEndpoint(Map<String, String> environment)
    {
        String token = required(environment, TOKEN);
        if (present(environment, ENDPOINT)) {
            return new OpenSearchEndpoint(endpoint(environment), new OpenSearchAuth.Jwt(token), caCertificate(environment));
        }
        OpenSearchConnection local = readConnection(OpenSearchConnection.locate(environment, null).orElseThrow(() -> DragnetException.user(
                AUTH + "=jwt needs " + ENDPOINT + " or a local connection file (" + CONNECTION_FILE + ")")));
        return OpenSearchEndpoint.basic(local).withToken(token);
    }

    private static URI endpoint(Map<String, String> environment)
    {
        String value = required(environment, ENDPOINT).trim();
        // OpenSearch Service shows domain endpoints without a scheme; accept both forms.
        URI uri = URI.create(value.contains("://") ? value : "https://" + value);
        if (uri.getHost() == null) {
            throw DragnetException.user(ENDPOINT + "='" + value + "': expected https://host[:port]");
        }
        return uri;
    }

    private static String caCertificate(Map<String, String> environment)
    {
        return present(environment, CA_CERTIFICATE) ? environment.get(CA_CERTIFICATE).trim() : null;
    }

    private static OpenSearchConnection readConnection(Path file)
    {
        if (!Files.isRegularFile(file)) {
            throw DragnetException.user("OpenSearch connection file " + file + " does not exist; expected the JSON the embedded node writes");
        }
        return Json.read(file, OpenSearchConnection.class);
    }

    private static String required(Map<String, String> environment, String name)
    {
        if (!present(environment, name)) {
            throw DragnetException.user(AUTH + "=" + environment.getOrDefault(AUTH, "").trim() + " needs " + name);
        }
        return environment.get(name);
    }

    private static boolean present(Map<String, String> environment, String name)
    {
        String value = environment.get(name);
        return value != null && !value.isBlank();
    }
}
