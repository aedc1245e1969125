package io.dragnet.cleanup.aws;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dragnet.cleanup.ActiveCluster;
import io.dragnet.cleanup.CleanupRunClustersHandler;
import io.dragnet.cleanup.FindRunClusterHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emr.EmrClient;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cleanup Lambda and the look-before-create Lambda over the real AWS SDK EMR client, talking HTTP to
 * {@link RecordedEmrServer}. The recordings follow EMR's response shapes (JSON 1.1, epoch-second timestamps); the
 * scenario: four clusters listed over two pages, two of them active and tagged with the timed-out execution, one of
 * another execution, one that began terminating between ListClusters and DescribeCluster.
 */
final class TestAwsEmrClusters
{
    private static final String TIMED_OUT = "arn:aws:states:us-east-1:123456789012:execution:dragnet-prod-daily-run:3f1c2b7e-run-20181102";
    private static final String OTHER = "arn:aws:states:us-east-1:123456789012:execution:dragnet-prod-daily-run:9a0d4c11-run-20181101";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedEmrServer server;
    private EmrClient emr;

    @BeforeEach
    void start()
            throws IOException
    {
        server = new RecordedEmrServer();
        emr = EmrClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDRECORDEDTEST", "recorded-test-secret")))
                .build();
    }

    @AfterEach
    void stop()
    {
        emr.close();
        server.close();
    }

    @Test
    void listsEveryPageAndReadsTagsOfClustersStillActive()
    {
        assertThat(new AwsEmrClusters(emr).activeClusters())
                .extracting(ActiveCluster::id)
                .containsExactly("j-2AXXXXXXGAPLF", "j-3BYYYYYYHBQMG", "j-4CZZZZZZICRNH");
        assertThat(server.requests("ListClusters")).hasSize(2);
        assertThat(server.requests("ListClusters").get(0).body().get("ClusterStates"))
                .extracting(JsonNode::asText).containsExactlyInAnyOrder("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING");
        assertThat(server.requests("ListClusters").get(1).body().path("Marker").asText()).isEqualTo("AAEAAWNsdXN0ZXJzLXBhZ2UtMg==");
    }

    @Test
    void timedOutExecutionTerminatesExactlyItsActiveClusters()
            throws IOException
    {
        Map<String, Object> result = new CleanupRunClustersHandler(new AwsEmrClusters(emr)).handleRequest(event("/execution-timed-out.json"), null);

        assertThat(result).containsEntry("status", "TIMED_OUT").containsEntry("executionArn", TIMED_OUT);
        assertThat(result.get("terminated")).asList().containsExactly("j-2AXXXXXXGAPLF", "j-4CZZZZZZICRNH");
        assertThat(server.requests("TerminateJobFlows")).singleElement()
                .satisfies(request -> assertThat(request.body().get("JobFlowIds")).extracting(JsonNode::asText)
                        .containsExactly("j-2AXXXXXXGAPLF", "j-4CZZZZZZICRNH"));
    }

    @Test
    void succeededExecutionTerminatesNothing()
            throws IOException
    {
        Map<String, Object> event = event("/execution-timed-out.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) event.get("detail");
        detail.put("status", "SUCCEEDED");

        Map<String, Object> result = new CleanupRunClustersHandler(new AwsEmrClusters(emr)).handleRequest(event, null);

        assertThat(result.get("terminated")).asList().isEmpty();
        assertThat(server.requests("ListClusters")).isEmpty();
        assertThat(server.requests("TerminateJobFlows")).isEmpty();
    }

    @Test
    void findsTheExecutionsClusterOrNone()
    {
        FindRunClusterHandler find = new FindRunClusterHandler(new AwsEmrClusters(emr));

        assertThat(find.handleRequest(Map.of("executionId", OTHER), null)).containsEntry("clusterId", "j-3BYYYYYYHBQMG");
        assertThat(find.handleRequest(Map.of("executionId", TIMED_OUT + "-never-created"), null)).containsEntry("clusterId", null);
        assertThat(server.requests("TerminateJobFlows")).isEmpty();
    }

    private static Map<String, Object> event(String resource)
            throws IOException
    {
        try (InputStream in = TestAwsEmrClusters.class.getResourceAsStream(resource)) {
            return JSON.readValue(in, new TypeReference<>() {});
        }
    }
}
