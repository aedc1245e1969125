package io.dragnet.opensearch.client;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.OpenSearchConnection;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Builds opensearch-java clients for an {@link OpenSearchEndpoint}: basic and JWT over the Apache HTTP client 5
 * transport with a fixed {@code Authorization} header; SigV4 over opensearch-java's {@link AwsSdk2Transport}, which
 * signs every request with the AWS SDK's signer and the SDK's default credentials chain. TLS trusts the endpoint's PEM
 * CA when it names one (else the JVM trust store). Closing the client's transport releases its connections.
 */
public final class OpenSearchClients
{
    private OpenSearchClients() {}

    /** A client for the endpoint, authenticating as its {@link OpenSearchAuth} says. */
    public static OpenSearchClient create(OpenSearchEndpoint endpoint)
    {
        requireNonNull(endpoint, "endpoint is null");
        OpenSearchAuth auth = endpoint.auth();
        if (auth instanceof OpenSearchAuth.SigV4 sigV4) {
            return createSigned(endpoint.url(), endpoint.caCertificatePath(), sigV4);
        }
        return create(endpoint.url(), endpoint.caCertificatePath(), authorization(auth));
    }

    /** A client authenticating with the local connection file's user and password. */
    public static OpenSearchClient create(OpenSearchConnection connection)
    {
        return create(OpenSearchEndpoint.basic(requireNonNull(connection, "connection is null")));
    }

    /** A client sending {@code Authorization: Bearer <token>}: how analysts' Cognito ID tokens reach the node. */
    public static OpenSearchClient createWithBearerToken(OpenSearchConnection connection, String token)
    {
        return create(OpenSearchEndpoint.basic(requireNonNull(connection, "connection is null")).withToken(requireNonNull(token, "token is null")));
    }

    private static OpenSearchClient createSigned(URI endpoint, Optional<Path> caCertificate, OpenSearchAuth.SigV4 sigV4)
    {
        if (!"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
            throw DragnetException.user("OpenSearch endpoint " + endpoint + ": SigV4 needs an https://host[:port] endpoint");
        }
        ApacheHttpClient.Builder http = ApacheHttpClient.builder();
        if (caCertificate.isPresent()) {
            TrustManager[] trustManagers = trustManagers(caCertificate.get());
            http.tlsTrustManagersProvider(() -> trustManagers);
        }
        String host = endpoint.getHost() + (endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort());
        AwsSdk2TransportOptions options = AwsSdk2TransportOptions.builder()
                .setCredentials(DefaultCredentialsProvider.create())
                .setMapper(new JacksonJsonpMapper())
                .build();
        return new OpenSearchClient(new AwsSdk2Transport(http.build(), host, sigV4.service(), Region.of(sigV4.region()), options));
    }

    /** The fixed {@code Authorization} header of basic and JWT auth (SigV4 signs each request instead). */
    public static String authorization(OpenSearchAuth auth)
    {
        if (auth instanceof OpenSearchAuth.Basic basic) {
            return basicAuthorization(basic.username(), basic.password());
        }
        if (auth instanceof OpenSearchAuth.Jwt jwt) {
            return "Bearer " + jwt.token();
        }
        throw DragnetException.user("OpenSearch auth " + auth.mode() + " signs each request; it has no fixed Authorization header");
    }

    /** The value of an HTTP basic {@code Authorization} header. */
    public static String basicAuthorization(String username, String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An SSL context trusting the PEM CA certificate(s) in the file, or the JVM defaults when empty. */
    public static SSLContext sslContext(Optional<Path> caCertificate)
    {
        try {
            if (caCertificate.isEmpty()) {
                return SSLContext.getDefault();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(caCertificate.get()), null);
            return context;
        }
        catch (GeneralSecurityException e) {
            throw DragnetException.user("cannot use CA certificate " + caCertificate.get() + ": " + e.getMessage());
        }
    }

    private static TrustManager[] trustManagers(Path caCertificate)
    {
        try {
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            int index = 0;
            for (Certificate certificate : readCertificates(caCertificate)) {
                trustStore.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trustStore);
            return trustManagers.getTrustManagers();
        }
        catch (GeneralSecurityException | IOException e) {
            throw DragnetException.user("cannot use CA certificate " + caCertificate + ": expected a PEM X.509 certificate (" + e.getMessage() + ")");
        }
    }

    private static List<? extends Certificate> readCertificates(Path pem)
            throws IOException, GeneralSecurityException
    {
        if (!Files.isRegularFile(pem)) {
            throw new IOException("file not found");
        }
        try (InputStream in = Files.newInputStream(pem)) {
            List<? extends Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new IOException("no certificate in file");
            }
            return certificates;
        }
    }

    private static OpenSearchClient create(URI endpoint, Optional<Path> caCertificate, String authorization)
    {
        HttpHost host = httpHost(endpoint);
        SSLContext sslContext = "https".equals(host.getSchemeName()) ? sslContext(caCertificate) : null;
        OpenSearchTransport transport = ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(new JacksonJsonpMapper())
                .setDefaultHeaders(new BasicHeader[] {new BasicHeader(HttpHeaders.AUTHORIZATION, authorization)})
                .setHttpClientConfigCallback(httpClient -> {
                    PoolingAsyncClientConnectionManagerBuilder connections = PoolingAsyncClientConnectionManagerBuilder.create();
                    if (sslContext != null) {
                        connections.setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(sslContext).build());
                    }
                    PoolingAsyncClientConnectionManager manager = connections.build();
                    return httpClient.setConnectionManager(manager);
                })
                .build();
        return new OpenSearchClient(transport);
    }

    private static HttpHost httpHost(URI endpoint)
    {
        String scheme = endpoint.getScheme() == null ? "https" : endpoint.getScheme();
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw DragnetException.user("OpenSearch endpoint " + endpoint + ": expected an http:// or https:// URI");
        }
        if (endpoint.getHost() == null) {
            throw DragnetException.user("OpenSearch endpoint " + endpoint + ": expected a host name");
        }
        int port = endpoint.getPort() != -1 ? endpoint.getPort() : scheme.equals("https") ? 443 : 80;
        try {
            return new HttpHost(scheme, endpoint.getHost(), port);
        }
        catch (IllegalArgumentException e) {
            throw DragnetException.user("OpenSearch endpoint " + endpoint + ": " + e.getMessage());
        }
    }

    /**
     * A failed call's message for a step's error: its own message, the HTTP status when OpenSearch answered with an
     * error, and the root cause when the request never got an answer (refused connection, TLS, DNS).
     */
    public static String failureMessage(Throwable failure)
    {
        StringBuilder message = new StringBuilder(String.valueOf(failure.getMessage()));
        Throwable root = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OpenSearchException answered) {
                message.append(" (HTTP ").append(answered.status()).append(')');
            }
            root = cause;
        }
        if (root != failure && !(root instanceof OpenSearchException)) {
            message.append(" (").append(root).append(')');
        }
        return message.toString();
    }

    /**
     * Releases the client's connections. Called when its work is done (or failed), so a failure to close cannot lose
     * anything and must not hide the error that ended the work.
     */
    public static void close(OpenSearchClient client)
    {
        try {
            client._transport().close();
        }
        catch (IOException | RuntimeException ignored) {
            // nothing left to lose; see the Javadoc
        }
    }
}
