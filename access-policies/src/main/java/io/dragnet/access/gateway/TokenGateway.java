package io.dragnet.access.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.dragnet.access.TokenMinter;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.RestCaller;
import io.dragnet.opensearch.internal.Pem;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.util.Objects.requireNonNull;

/**
 * The only way a token reaches the local node: an HTTPS proxy on 127.0.0.1 in front of it. Every request must carry
 * {@code Authorization: Bearer <ID token>}; the gateway checks the token strictly ({@link IdTokenVerifier}: the local
 * pool's or the minter's key, issuer and audience, {@code exp} required, {@code iat} not in the future, {@code
 * token_use: id}, groups only as a JSON array) and forwards the request with a token of its own, signed with the
 * gateway key — the only key the node's JWT domain trusts — naming the same user and groups and expiring within
 * {@link #NODE_TOKEN_LIFETIME} (never after the analyst's token). Refused tokens get 401 with the reason; nothing of
 * the token is echoed. The node's own port accepts no analyst token, so nothing bypasses these checks.
 */
public final class TokenGateway
        implements AutoCloseable
{
    public static final String ENGINE = "token-gateway";
    public static final Duration NODE_TOKEN_LIFETIME = Duration.ofMinutes(5);

    /** Headers that belong to one hop (or that the gateway sets itself) and are never forwarded. */
    private static final Set<String> HOP_HEADERS = Set.of("authorization", "connection", "content-length", "expect", "host", "keep-alive",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "date");

    private final IdTokenVerifier verifier;
    private final TokenMinter nodeTokens;
    private final OpenSearchConnection node;
    private final Clock clock;
    private final HttpClient http;
    private final HttpsServer server;
    private final ExecutorService executor;

    private TokenGateway(IdTokenVerifier verifier, TokenMinter nodeTokens, OpenSearchConnection node, Clock clock, SSLContext serverTls)
            throws IOException
    {
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.nodeTokens = requireNonNull(nodeTokens, "nodeTokens is null");
        this.node = requireNonNull(node, "node is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.http = HttpClient.newBuilder()
                .sslContext(OpenSearchClients.sslContext(node.caCertificatePath()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "token-gateway");
            thread.setDaemon(true);
            return thread;
        });
        this.server.setExecutor(executor);
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    /**
     * Starts the home's gateway in front of its node: trusts the minter's key and, once {@code access apply} recorded
     * it, the local user pool's ({@link PoolTrust}); serves the node's TLS certificate.
     */
    public static TokenGateway start(DragnetHome home, OpenSearchConnection node)
    {
        Clock clock = Clock.systemUTC();
        List<IdTokenVerifier.TrustedIssuer> trusted = new ArrayList<>();
        try {
            trusted.add(new IdTokenVerifier.TrustedIssuer(LocalOpenSearchNode.JWT_ISSUER, LocalOpenSearchNode.JWT_AUDIENCE,
                    (RSAPublicKey) Pem.readRsaPublicKey(Files.readString(LocalOpenSearchNode.minterPublicKeyFile(home), StandardCharsets.US_ASCII))));
            PoolTrust.read(home).ifPresent(pool -> trusted.add(pool.trusted()));
            IdTokenVerifier verifier = new IdTokenVerifier(trusted, clock, Duration.ofSeconds(LocalOpenSearchNode.JWT_CLOCK_SKEW_SECONDS));
            String gatewayKey = Pem.publicKeyOneLine(Pem.readRsaPublicKey(Files.readString(LocalOpenSearchNode.gatewayPublicKeyFile(home), StandardCharsets.US_ASCII)));
            List<String> bypasses = domainsBypassingTheGateway(Json.mapper().readTree(RestCaller.asAdmin(node).require("GET", "/_plugins/_security/api/securityconfig", null)), gatewayKey);
            if (!bypasses.isEmpty()) {
                throw DragnetException.user("the node at " + node.endpoint() + " accepts tokens the gateway did not sign (authentication domains " + bypasses
                        + "; its security index predates the gateway): stop it and delete " + home.engine("opensearch").resolve("node/data") + " to restart it gateway-only");
            }
            return new TokenGateway(verifier, TokenMinter.forGateway(home, clock), node, clock, serverTls(home));
        }
        catch (IOException e) {
            throw DragnetException.external("cannot start the token gateway for " + home.root() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The node's JWT authentication domains that trust a key other than the gateway's (a node whose security index was
     * created before the gateway existed trusts the pool's and the minter's keys directly).
     */
    static List<String> domainsBypassingTheGateway(JsonNode securityConfig, String gatewayKeyOneLine)
    {
        List<String> bypasses = new ArrayList<>();
        securityConfig.path("config").path("dynamic").path("authc").fields().forEachRemaining(domain -> {
            JsonNode authenticator = domain.getValue().path("http_authenticator");
            boolean enabled = domain.getValue().path("http_enabled").asBoolean(false);
            if (enabled && !authenticator.path("type").asText().equals("basic")
                    && !gatewayKeyOneLine.equals(authenticator.path("config").path("signing_key").asText())) {
                bypasses.add(domain.getKey());
            }
        });
        return bypasses;
    }

    /** Where analysts send requests with their ID token. */
    public URI endpoint()
    {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A connection to the gateway (the node's CA certificate, no password) for {@code RestCaller.withBearerToken}. */
    public OpenSearchConnection connection()
    {
        return new OpenSearchConnection(endpoint(), "", "", node.caCertificate());
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            List<String> authorization = exchange.getRequestHeaders().getOrDefault("Authorization", List.of());
            if (authorization.size() != 1 || !authorization.get(0).regionMatches(true, 0, "Bearer ", 0, 7)) {
                refuse(exchange, "a Cognito ID token is required: Authorization: Bearer <ID token>");
                return;
            }
            IdTokenVerifier.Identity identity;
            String nodeToken;
            try {
                identity = verifier.verify(authorization.get(0).substring(7).trim());
                Duration left = Duration.between(clock.instant(), identity.expiresAt());
                Duration lifetime = left.compareTo(NODE_TOKEN_LIFETIME) < 0 ? left : NODE_TOKEN_LIFETIME;
                nodeToken = nodeTokens.mint(identity.username(), identity.groups(), lifetime.isNegative() || lifetime.isZero() ? Duration.ofSeconds(1) : lifetime);
            }
            catch (IdTokenVerifier.RefusedToken e) {
                refuse(exchange, "token refused: " + e.getMessage());
                return;
            }
            catch (DragnetException e) {
                // a reserved user or group name
                refuse(exchange, "token refused: " + e.getMessage());
                return;
            }
            forward(exchange, body, nodeToken);
        }
        finally {
            exchange.close();
        }
    }

    private void forward(HttpExchange exchange, byte[] body, String nodeToken)
            throws IOException
    {
        URI target = node.endpoint().resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(120))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        request.header("Authorization", "Bearer " + nodeToken);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        catch (IOException e) {
            reply(exchange, 502, "{\"error\":\"the OpenSearch node did not answer\"}");
            return;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 502, "{\"error\":\"interrupted\"}");
            return;
        }
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] answer = response.body();
        boolean noBody = answer.length == 0 || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private static void refuse(HttpExchange exchange, String reason)
            throws IOException
    {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"dragnet\", error=\"invalid_token\"");
        reply(exchange, 401, Json.write(Map.of("error", reason)));
    }

    private static void reply(HttpExchange exchange, int status, String json)
            throws IOException
    {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** TLS with the node's certificate and key, from the home's secrets. */
    private static SSLContext serverTls(DragnetHome home)
            throws IOException
    {
        try {
            Certificate certificate;
            try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(LocalOpenSearchNode.nodeCertificateFile(home)))) {
                certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = new char[0];
            keys.setKeyEntry("gateway", Pem.readRsaPrivateKey(Files.readString(LocalOpenSearchNode.nodeKeyFile(home), StandardCharsets.US_ASCII)), password,
                    new Certificate[] {certificate});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        }
        catch (GeneralSecurityException e) {
            throw new UncheckedIOException(new IOException("cannot load the node's TLS certificate for the gateway: " + e.getMessage(), e));
        }
    }
}
