package io.dragnet.opensearch.client;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.OpenSearchConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestOpenSearchEnvironment
{
    @Test
    void sigV4FromEndpointAndRegion()
    {
        OpenSearchEndpoint endpoint = OpenSearchEnvironment.resolve(Map.of(
                "OPENSEARCH_AUTH", "sigv4", "OPENSEARCH_ENDPOINT", "search-dragnet-abc.eu-west-1.es.amazonaws.com", "AWS_REGION", "eu-west-1"), null).orElseThrow();

        assertThat(endpoint.url()).isEqualTo(URI.create("https://search-dragnet-abc.eu-west-1.es.amazonaws.com"));
        assertThat(endpoint.auth()).isEqualTo(new OpenSearchAuth.SigV4("eu-west-1", "es"));
        assertThat(endpoint.describe()).isEqualTo("https://search-dragnet-abc.eu-west-1.es.amazonaws.com (sigv4)");
    }

    @Test
    void sigV4NamesWhatIsMissing()
    {
        assertThatThrownBy(() -> OpenSearchEnvironment.resolve(Map.of("OPENSEARCH_AUTH", "sigv4", "OPENSEARCH_ENDPOINT", "https://domain"), null))
                .isInstanceOf(DragnetException.class)
                .hasMessage("OPENSEARCH_AUTH=sigv4 needs AWS_REGION");
        assertThatThrownBy(() -> OpenSearchEnvironment.resolve(Map.of("OPENSEARCH_AUTH", "sigv4", "AWS_REGION", "us-east-1"), null))
                .hasMessage("OPENSEARCH_AUTH=sigv4 needs OPENSEARCH_ENDPOINT");
        assertThatThrownBy(() -> OpenSearchEnvironment.resolve(Map.of("OPENSEARCH_AUTH", "kerberos"), null))
                .hasMessage("OPENSEARCH_AUTH='kerberos': expected basic, jwt, sigv4 or disabled");
    }

    @Test
    void onlyAnExplicitDisableSkipsOpenSearch(@TempDir Path home)
    {
        assertThat(OpenSearchEnvironment.resolve(Map.of("OPENSEARCH_AUTH", "disabled", "OPENSEARCH_ENDPOINT", "https://domain"), null)).isEmpty();
        assertThat(OpenSearchEnvironment.resolve(Map.of("OPENSEARCH_AUTH", "DISABLED"), null)).isEmpty();

        Map<String, String> nothing = Map.of("DRAGNET_OPENSEARCH_CONNECTION", home.resolve("absent.json").toString());
        assertThatThrownBy(() -> OpenSearchEnvironment.resolve(nothing, null))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("absent.json does not exist");
        assertThatThrownBy(() -> OpenSearchEnvironment.resolve(Map.of("OPENSEARCH_ENDPOINT", "https://domain"), null))
                .hasMessage("OPENSEARCH_ENDPOINT is set but OPENSEARCH_AUTH is not: expected OPENSEARCH_AUTH=sigv4 (AWS), jwt, basic or disabled");
    }

    @Test
    void basicAndJwtFromTheLocalConnectionFile(@TempDir Path home)
            throws IOException
    {
        Path file = home.resolve("connection.json");
        Files.writeString(file, Json.write(new OpenSearchConnection(URI.create("https://127.0.0.1:9200"), "admin", "s3cret", "/ca.pem")));
        Map<String, String> environment = Map.of("DRAGNET_OPENSEARCH_CONNECTION", file.toString());

        OpenSearchEndpoint basic = OpenSearchEnvironment.resolve(environment, null).orElseThrow();
        assertThat(basic).isEqualTo(new OpenSearchEndpoint(URI.create("https://127.0.0.1:9200"), new OpenSearchAuth.Basic("admin", "s3cret"), "/ca.pem"));
        assertThat(basic.toString()).doesNotContain("s3cret");

        OpenSearchEndpoint jwt = OpenSearchEnvironment.resolve(Map.of("DRAGNET_OPENSEARCH_CONNECTION", file.toString(), "OPENSEARCH_AUTH", "jwt", "OPENSEARCH_TOKEN", "eyJ.x.y"), null).orElseThrow();
        assertThat(jwt.auth()).isEqualTo(new OpenSearchAuth.Jwt("eyJ.x.y"));
        assertThat(jwt.caCertificate()).isEqualTo("/ca.pem");
        assertThat(jwt.toString()).doesNotContain("eyJ.x.y");

        // a file the caller names explicitly wins over the environment
        OpenSearchEndpoint explicit = OpenSearchEnvironment.resolve(Map.of("OPENSEARCH_AUTH", "disabled"), file.toString()).orElseThrow();
        assertThat(explicit.auth()).isEqualTo(new OpenSearchAuth.Basic("admin", "s3cret"));
    }
}
