package io.dragnet.opensearch;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.opensearch.client.OpenSearchAuth;
import io.dragnet.opensearch.client.OpenSearchEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestOpenSearchTarget
{
    @TempDir
    Path home;

    @Command(name = "probe")
    static final class Probe
    {
        @Mixin
        OpenSearchTarget target;
    }

    private OpenSearchEndpoint resolve(Map<String, String> environment, String... arguments)
    {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(arguments);
        return probe.target.resolve(new DragnetHome(home), environment);
    }

    @Test
    void anEndpointOptionIsAnOpenSearchServiceDomainSignedForItsRegion()
    {
        OpenSearchEndpoint endpoint = resolve(Map.of(), "--endpoint", "search-dragnet.eu-west-1.es.amazonaws.com", "--region", "eu-west-1");
        assertThat(endpoint.url()).isEqualTo(URI.create("https://search-dragnet.eu-west-1.es.amazonaws.com"));
        assertThat(endpoint.auth()).isEqualTo(new OpenSearchAuth.SigV4("eu-west-1"));
        assertThat(endpoint.caCertificate()).isNull();

        assertThat(resolve(Map.of("AWS_REGION", "us-east-2"), "--endpoint", "https://domain.example:9200").auth()).isEqualTo(new OpenSearchAuth.SigV4("us-east-2"));
    }

    @Test
    void theEnvironmentContractIsReadWhenNoOptionNamesADomain()
    {
        OpenSearchEndpoint endpoint = resolve(Map.of("OPENSEARCH_AUTH", "sigv4", "OPENSEARCH_ENDPOINT", "search-d.eu-west-1.es.amazonaws.com", "AWS_REGION", "eu-west-1"));
        assertThat(endpoint.url()).isEqualTo(URI.create("https://search-d.eu-west-1.es.amazonaws.com"));
        assertThat(endpoint.auth()).isEqualTo(new OpenSearchAuth.SigV4("eu-west-1"));
    }

    @Test
    void contradictionsAndMissingRegionsAreUsageErrors()
    {
        assertThatThrownBy(() -> resolve(Map.of(), "--endpoint", "https://d.example"))
                .isInstanceOf(DragnetException.class).hasMessageContaining("needs --region or AWS_REGION");
        assertThatThrownBy(() -> resolve(Map.of(), "--endpoint", "http://d.example", "--region", "eu-west-1"))
                .hasMessageContaining("expected https://host");
        assertThatThrownBy(() -> resolve(Map.of(), "--endpoint", "https://d.example", "--region", "eu-west-1", "--connection", "c.json"))
                .hasMessageContaining("give one");
        assertThatThrownBy(() -> resolve(Map.of(), "--region", "eu-west-1")).hasMessageContaining("go with --endpoint");
        assertThatThrownBy(() -> resolve(Map.of("OPENSEARCH_AUTH", "disabled"))).hasMessageContaining("OPENSEARCH_AUTH=disabled");
        assertThatThrownBy(() -> resolve(Map.of("OPENSEARCH_ENDPOINT", "d.example"))).hasMessageContaining("OPENSEARCH_AUTH is not");
    }
}
