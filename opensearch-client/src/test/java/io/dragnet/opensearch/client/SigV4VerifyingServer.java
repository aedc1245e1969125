package io.dragnet.opensearch.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.dragnet.contracts.OpenSearchConnection;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static java.util.Objects.requireNonNull;

/**
 * A stand-in for an OpenSearch Service domain's front door, for tests: an HTTPS server on 127.0.0.1 (certificate made
 * at start, its PEM in {@link #caCertificate()}) that recomputes every request's AWS Signature Version 4 with the AWS
 * SDK's own signer ({@link AwsV4HttpSigner}) from known credentials, and answers 403 to any request whose
 * {@code Authorization} differs, whose credential scope names another key, region or service, or whose
 * {@code X-Amz-Date} is more than five minutes off. Accepted requests go to an {@link Upstream}: a fake answering
 * from the test, or {@link #proxyTo} a real local node (as its administrator), so writers index for real through
 * SigV4. Every call is recorded with the verdict.
 */
public final class SigV4VerifyingServer
        implements AutoCloseable
{
    public static final String ACCESS_KEY_ID = "AKIDDRAGNETTEST00001";
    public static final String SECRET_ACCESS_KEY = "dragnet/test/secret/key/for/sigv4/checks0";
    public static final String REGION = "eu-west-1";
    public static final String SERVICE = "es";

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** What an accepted request asks: the body as sent before any content encoding. */
    public record Call(String method, String path, String query, Map<String, List<String>> headers, byte[] body)
    {
        public String bodyText()
        {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One request and the server's verdict: {@code problem} is null when the signature matched. */
    public record Verdict(String method, String path, String problem)
    {
        public boolean accepted()
        {
            return problem == null;
        }
    }

    public record Reply(int status, String contentType, byte[] body)
    {
        public static Reply json(int status, String json)
        {
            return new Reply(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Where accepted requests go. */
    @FunctionalInterface
    public interface Upstream
    {
        Reply answer(Call call)
                throws IOException;
    }

    private final HttpsServer server;
    private final Upstream upstream;
    private final Path caCertificate;
    private final List<Verdict> verdicts = new CopyOnWriteArrayList<>();
    private final List<Call> accepted = new CopyOnWriteArrayList<>();

    private SigV4VerifyingServer(Upstream upstream, Path directory)
            throws IOException, GeneralSecurityException
    {
        this.upstream = requireNonNull(upstream, "upstream is null");
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        X509Certificate certificate = selfSigned(keys);
        this.caCertificate = directory.resolve("sigv4-server-ca.pem");
        Files.writeString(caCertificate, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "changeit".toCharArray();
        store.setKeyEntry("server", keys.getPrivate(), password, new java.security.cert.Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    /** Starts the server; its certificate's PEM is written into {@code directory}. */
    public static SigV4VerifyingServer start(Upstream upstream, Path directory)
    {
        try {
            return new SigV4VerifyingServer(upstream, directory);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Forwards accepted requests to a real node as its administrator (basic auth), answering what the node answers. */
    public static Upstream proxyTo(OpenSearchConnection node)
    {
        HttpClient http = HttpClient.newBuilder().sslContext(OpenSearchClients.sslContext(node.caCertificatePath())).connectTimeout(Duration.ofSeconds(5)).build();
        String authorization = OpenSearchClients.basicAuthorization(node.username(), node.password());
        return call -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.endpoint() + call.path() + (call.query() == null ? "" : "?" + call.query())))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", authorization)
                    .method(call.method(), call.body().length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(call.body()));
            List<String> contentType = call.headers().get("content-type");
            if (contentType != null && !contentType.isEmpty()) {
                request.header("Content-Type", contentType.get(0));
            }
            try {
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse("application/json"), response.body());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        };
    }

    public URI endpoint()
    {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    public Path caCertificate()
    {
        return caCertificate;
    }

    /** The environment of a process that should reach this server with SigV4 ({@link OpenSearchEnvironment}). */
    public Map<String, String> environment()
    {
        return Map.of(OpenSearchEnvironment.AUTH, "sigv4", OpenSearchEnvironment.ENDPOINT, endpoint().toString(), OpenSearchEnvironment.REGION, REGION,
                OpenSearchEnvironment.CA_CERTIFICATE, caCertificate.toString());
    }

    /** The SigV4 endpoint of this server, trusting its certificate. */
    public OpenSearchEndpoint sigV4Endpoint()
    {
        return new OpenSearchEndpoint(endpoint(), new OpenSearchAuth.SigV4(REGION), caCertificate.toString());
    }

    /**
     * Makes the AWS SDK's default credentials chain of this JVM find {@code secretAccessKey} for {@link #ACCESS_KEY_ID}
     * (through the system properties it reads first) until closed; the real chain then runs unchanged.
     */
    public static AutoCloseable processCredentials(String secretAccessKey)
    {
        String previousKey = System.getProperty("aws.accessKeyId");
        String previousSecret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", secretAccessKey);
        return () -> {
            restore("aws.accessKeyId", previousKey);
            restore("aws.secretAccessKey", previousSecret);
        };
    }

    private static void restore(String name, String value)
    {
        if (value == null) {
            System.clearProperty(name);
        }
        else {
            System.setProperty(name, value);
        }
    }

    public List<Verdict> verdicts()
    {
        return List.copyOf(verdicts);
    }

    public List<Call> accepted()
    {
        return List.copyOf(accepted);
    }

    @Override
    public void close()
    {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            byte[] sent;
            try (InputStream in = exchange.getRequestBody()) {
                sent = in.readAllBytes();
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String problem = problem(exchange, method, path, query, sent);
            verdicts.add(new Verdict(method, path, problem));
            Reply reply;
            if (problem != null) {
                reply = Reply.json(403, "{\"message\":\"" + problem.replace("\"", "'") + "\"}");
            }
            else {
                Map<String, List<String>> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
                Call call = new Call(method, path, query, headers, decoded(exchange, sent));
                accepted.add(call);
                try {
                    reply = upstream.answer(call);
                }
                catch (IOException | RuntimeException e) {
                    reply = Reply.json(502, "{\"message\":\"upstream failed: " + String.valueOf(e.getMessage()).replace("\"", "'") + "\"}");
                }
            }
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            boolean noBody = method.equals("HEAD") || reply.body().length == 0;
            exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        }
    }

    /** Why the request's signature is not the one the SDK's signer computes for it, or null when it is. */
    private String problem(HttpExchange exchange, String method, String path, String query, byte[] body)
    {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return "request is not signed: no Authorization header";
        }
        Matcher parsed = AUTHORIZATION.matcher(authorization);
        if (!parsed.matches()) {
            return "Authorization is not an AWS4-HMAC-SHA256 signature";
        }
        if (!parsed.group(1).equals(ACCESS_KEY_ID) || !parsed.group(3).equals(REGION) || !parsed.group(4).equals(SERVICE)) {
            return "credential scope " + parsed.group(1) + "/" + parsed.group(3) + "/" + parsed.group(4) + " is not " + ACCESS_KEY_ID + "/" + REGION + "/" + SERVICE;
        }
        String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate == null ? "" : amzDate));
        }
        catch (DateTimeParseException e) {
            return "X-Amz-Date missing or malformed";
        }
        if (Duration.between(signedAt, Instant.now()).abs().compareTo(Duration.ofMinutes(5)) > 0) {
            return "signature expired or not yet valid: signed at " + signedAt;
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(method))
                .uri(URI.create("https://" + host))
                .encodedPath(path);
        for (Map.Entry<String, List<String>> parameter : queryParameters(query).entrySet()) {
            request.putRawQueryParameter(parameter.getKey(), parameter.getValue());
        }
        for (String signedHeader : parsed.group(5).split(";")) {
            List<String> values = exchange.getRequestHeaders().get(signedHeader);
            if (values == null) {
                return "signed header " + signedHeader + " missing from the request";
            }
            request.putHeader(signedHeader, values);
        }
        SignedRequest expected = AwsV4HttpSigner.create().sign(sign -> sign
                .identity(AwsCredentialsIdentity.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY))
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        String wanted = expected.request().firstMatchingHeader("Authorization").orElse("");
        return wanted.equals(authorization) ? null : "The request signature we calculated does not match the signature you provided";
    }

    private static Map<String, List<String>> queryParameters(String rawQuery)
    {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static byte[] decoded(HttpExchange exchange, byte[] body)
            throws IOException
    {
        if (!"gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            return body;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private static X509Certificate selfSigned(KeyPair keys)
            throws GeneralSecurityException
    {
        try {
            X500Name name = new X500Name("CN=127.0.0.1");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        }
        catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException("cannot make the test server's certificate", e);
        }
    }
}
