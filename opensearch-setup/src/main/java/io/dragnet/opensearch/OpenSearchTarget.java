package io.dragnet.opensearch;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.opensearch.client.OpenSearchAuth;
import io.dragnet.opensearch.client.OpenSearchEndpoint;
import io.dragnet.opensearch.client.OpenSearchEnvironment;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The options by which a command that administers or reads OpenSearch ({@code opensearch setup}, {@code access apply},
 * {@code export}, {@code notify}) is pointed at a domain, as a picocli mixin. In order:
 * <ol>
 *   <li>{@code --connection FILE}: a local node's connection file (basic auth as its administrator);</li>
 *   <li>{@code --endpoint URL}: an OpenSearch Service domain, signed with SigV4 for {@code --region} (default
 *   {@code AWS_REGION}) with the AWS SDK's default credentials; {@code --ca-certificate} only for a private CA;</li>
 *   <li>the environment contract ({@link OpenSearchEnvironment}) when {@code OPENSEARCH_AUTH} or
 *   {@code OPENSEARCH_ENDPOINT} is set, as the Lambdas and the EMR step read it;</li>
 *   <li>otherwise the embedded node of {@code DRAGNET_HOME}, started if it is not running.</li>
 * </ol>
 */
public final class OpenSearchTarget
{
    @Option(names = "--connection", description = "OpenSearchConnection JSON of a local node (default: the local node's, starting it if needed)")
    private Path connectionFile;

    @Option(names = "--endpoint", description = "https://host of an OpenSearch Service domain, reached with SigV4 and the AWS SDK's default credentials")
    private String endpoint;

    @Option(names = "--region", description = "signing region for --endpoint (default: AWS_REGION)")
    private String region;

    @Option(names = "--ca-certificate", description = "with --endpoint: PEM of a private CA to trust (default: the JVM trust store)")
    private Path caCertificate;

    /** The endpoint the options, else the environment, else the local node name. */
    public OpenSearchEndpoint resolve(DragnetHome home, Map<String, String> environment)
    {
        if (connectionFile != null && endpoint != null) {
            throw DragnetException.user("--connection and --endpoint name two domains: give one");
        }
        if (connectionFile != null) {
            return OpenSearchEndpoint.basic(LocalOpenSearchNode.connection(home, connectionFile));
        }
        if (endpoint != null) {
            String signingRegion = region != null ? region : environment.get(OpenSearchEnvironment.REGION);
            if (signingRegion == null || signingRegion.isBlank()) {
                throw DragnetException.user("--endpoint " + endpoint + " needs --region or " + OpenSearchEnvironment.REGION + " (the domain's region, for SigV4)");
            }
            URI uri = URI.create(endpoint.contains("://") ? endpoint : "https://" + endpoint);
            if (uri.getHost() == null || !uri.getScheme().equals("https")) {
                throw DragnetException.user("--endpoint " + endpoint + ": expected https://host[:port] of the domain");
            }
            return new OpenSearchEndpoint(uri, new OpenSearchAuth.SigV4(signingRegion), caCertificate == null ? null : caCertificate.toString());
        }
        if (region != null || caCertificate != null) {
            throw DragnetException.user("--region and --ca-certificate go with --endpoint");
        }
        if (present(environment, OpenSearchEnvironment.AUTH) || present(environment, OpenSearchEnvironment.ENDPOINT)) {
            return OpenSearchEnvironment.resolve(environment, null).orElseThrow(() -> DragnetException.user(
                    "this command needs OpenSearch, but " + OpenSearchEnvironment.AUTH + "=disabled: unset it, or give --endpoint or --connection"));
        }
        return OpenSearchEndpoint.basic(LocalOpenSearchNode.connection(home, null));
    }

    /** This process's endpoint: {@link #resolve} over {@link System#getenv()}. */
    public OpenSearchEndpoint resolve(DragnetHome home)
    {
        return resolve(home, System.getenv());
    }

    private static boolean present(Map<String, String> environment, String name)
    {
        String value = environment.get(name);
        return value != null && !value.isBlank();
    }
}
