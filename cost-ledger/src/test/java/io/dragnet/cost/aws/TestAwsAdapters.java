package io.dragnet.cost.aws;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.cost.ClusterCost;
import io.dragnet.cost.CostCalculator;
import io.dragnet.cost.ObservedCluster;
import io.dragnet.cost.PriceTable;
import io.dragnet.cost.internal.FleetEstimate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.pricing.PricingClient;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EMR, EC2 and Pricing adapters against the real AWS SDK clients talking HTTP to {@link RecordedAwsServer}.
 * The files in src/test/resources/aws-recordings are recorded shapes: each follows the real response shape of its API
 * (EMR and Pricing JSON 1.1 with epoch-second timestamps and PriceList items as JSON strings; EC2 query-protocol XML),
 * with identifiers, prices and times written for this scenario: a one-hour cluster in us-east-1a, an on-demand master,
 * a spot core fleet of m5.xlarge and m5a.xlarge, one m5.xlarge reclaimed at 03:45 and replaced at 03:50.
 */
class TestAwsAdapters
{
    private static RecordedAwsServer server;
    private static EmrClient emr;
    private static Ec2Client ec2;
    private static PricingClient pricing;

    @BeforeAll
    static void start()
            throws IOException
    {
        server = new RecordedAwsServer();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDRECORDEDTEST", "recorded-test-secret"));
        emr = EmrClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials).build();
        ec2 = Ec2Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials).build();
        pricing = PricingClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials).build();
    }

    @AfterAll
    static void stop()
    {
        emr.close();
        ec2.close();
        pricing.close();
        server.close();
    }

    @Test
    void readsTheClusterFromEmr()
    {
        ObservedCluster observed = new EmrClusterSource(emr, "run-20181102", "2018-11-02").read("j-3QA2EXAMPLE1").orElseThrow();
        ClusterRecord record = observed.record();

        assertThat(observed.availabilityZone()).isEqualTo("us-east-1a");
        assertThat(record.state()).isEqualTo("TERMINATED");
        assertThat(record.createdAt()).isEqualTo("2018-11-02T03:00:00Z");
        assertThat(record.terminatedAt()).isEqualTo("2018-11-02T04:00:00Z");
        assertThat(record.estimate()).isFalse();
        assertThat(record.instances()).extracting(ClusterRecord.Instance::instanceId, ClusterRecord.Instance::fleetType, ClusterRecord.Instance::market, ClusterRecord.Instance::endReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("i-0a1b2c3d4e5f60001", "MASTER", "ON_DEMAND", "CLUSTER_TERMINATED"),
                        org.assertj.core.groups.Tuple.tuple("i-0a1b2c3d4e5f60002", "CORE", "SPOT", EmrClusterSource.SPOT_INSTANCE_TERMINATION),
                        org.assertj.core.groups.Tuple.tuple("i-0a1b2c3d4e5f60003", "CORE", "SPOT", "CLUSTER_TERMINATED"),
                        org.assertj.core.groups.Tuple.tuple("i-0a1b2c3d4e5f60004", "CORE", "SPOT", "CLUSTER_TERMINATED"));
        assertThat(record.steps()).extracting(ClusterRecord.Step::name).containsExactly("zeek_conn", "zeek_dns");
        assertThat(server.requests()).extracting(RecordedAwsServer.Request::target).contains("ElasticMapReduce.DescribeCluster", "ElasticMapReduce.ListInstances");
        assertThat(server.requests().stream().filter(request -> request.target().equals("ElasticMapReduce.DescribeCluster")).findFirst().orElseThrow().body())
                .contains("\"ClusterId\":\"j-3QA2EXAMPLE1\"");
    }

    @Test
    void pricesTheRecordedClusterEndToEnd()
    {
        ObservedCluster observed = new EmrClusterSource(emr, "run-20181102", "2018-11-02").read("j-3QA2EXAMPLE1").orElseThrow();
        Set<String> types = observed.record().instances().stream().map(ClusterRecord.Instance::instanceType).collect(Collectors.toSet());
        Set<String> volumeTypes = FleetEstimate.read(observed.record().requested()).volumeTypes();
        assertThat(volumeTypes).as("emr-7.2.0 boots from gp3; the core fleet's volumes are gp2").containsExactly("gp2", "gp3");
        PriceTable prices = new AwsPriceSource(pricing, ec2).priceTable("us-east-1", types, volumeTypes, observed.availabilityZone(),
                Instant.parse(observed.record().createdAt()), Instant.parse(observed.record().terminatedAt()));

        assertThat(prices.onDemand("m5a.xlarge")).isEqualByComparingTo("0.172");
        assertThat(prices.emr("m5.xlarge")).isEqualByComparingTo("0.048");
        assertThat(prices.ebsGbMonth("gp2")).isEqualByComparingTo("0.10");
        assertThat(prices.ebsGbMonth("gp3")).isEqualByComparingTo("0.08");
        assertThat(prices.spotHistory()).hasSize(3);
        String spotRequest = server.requests().stream().filter(request -> request.target().equals("EC2.DescribeSpotPriceHistory")).findFirst().orElseThrow().body();
        assertThat(spotRequest).contains("AvailabilityZone=us-east-1a", "ProductDescription.1=Linux/UNIX", "StartTime=2018-11-02T03:00:00Z");

        ClusterCost cost = CostCalculator.compute(observed.record(), prices, observed.availabilityZone(), List.of(), Instant.parse("2018-11-02T05:00:00Z"));

        // EC2: master 0.192 + the m5.xlarge spot EC2 reclaimed after 45 minutes, free in its first hour + m5a.xlarge spot 3600 s × 0.069 = 0.069
        //      + replacement m5a.xlarge spot 600 s × 0.069 = 0.0115; sum 0.2725 → 0.27; EMR: 0.048 + 0.036 + 0.043 + 0.0071667 = 0.1341667 → 0.13;
        // EBS (emr-7.2.0, so gp3 roots): roots 15 GiB × (3600 + 2700 + 3600 + 600) s × 0.08 = 12,600 and the cores' gp2 32 GiB ×
        //      (2700 + 3600 + 600) s × 0.10 = 22,080, over 2,628,000 s-per-month: 0.004795 + 0.008402 = 0.013196 → 0.01; total 0.41.
        // On-demand: 0.192 + 0.144 + 0.172 + 0.0286667 = 0.5366667 → 0.54 + 0.13 + 0.01 = 0.68; savings 0.27 / 0.68 = 39.7 %.
        assertThat(cost.ec2Cost()).isEqualByComparingTo("0.27");
        assertThat(cost.emrCost()).isEqualByComparingTo("0.13");
        assertThat(cost.ebsCost()).isEqualByComparingTo("0.01");
        assertThat(cost.totalCost()).isEqualByComparingTo("0.41");
        assertThat(cost.onDemandCost()).isEqualByComparingTo("0.68");
        assertThat(cost.savingsPercent()).isEqualByComparingTo("39.7");
        assertThat(cost.spotInterruptions()).isEqualTo(1);
        assertThat(cost.estimate()).isFalse();
        assertThat(cost.steps()).extracting(ClusterCost.StepDuration::seconds).containsExactly(1320L, 1500L);
    }

    @Test
    void aClusterEmrDoesNotKnowIsAbsent()
    {
        assertThat(new EmrClusterSource(emr, "run-x", "2018-11-02").read("j-GONE")).isEmpty();
    }

    @Test
    void anInstanceTypeThePriceListDoesNotKnowIsAnExternalError()
    {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AwsPriceSource(pricing, ec2).priceTable("us-east-1", Set.of("z9.huge"), Set.of(), "us-east-1a",
                        Instant.parse("2018-11-02T03:00:00Z"), Instant.parse("2018-11-02T04:00:00Z")))
                .isInstanceOf(io.dragnet.contracts.DragnetException.class)
                .hasMessageContaining("z9.huge");
    }
}
