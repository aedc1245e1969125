package io.dragnet.cost.aws;

import io.dragnet.contracts.Json;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.cost.LedgerRow;
import io.dragnet.cost.ledger.FileRunLedger;
import io.dragnet.cost.ledger.LedgerCsv;
import io.dragnet.cost.ledger.ParquetLedgerFile;
import io.dragnet.testing.LocalS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RecordRunCost's AWS binding end to end: the cluster and prices from the real EMR, EC2 and Pricing SDK clients against
 * the recorded response shapes of {@link RecordedAwsServer}, run metrics read from and the ledger written to S3Proxy
 * (an S3-compatible server with a transient in-memory store on 127.0.0.1, credentials generated per run).
 */
@Tag("integration")
class TestRecordRunCostHandlerOnAws
{
    private static final String BUCKET = "dragnet-results-test";

    @RegisterExtension
    static final LocalS3 S3 = new LocalS3(BUCKET);

    private static RecordedAwsServer aws;
    private static S3Client s3;
    private static EmrClient emr;
    private static Ec2Client ec2;
    private static PricingClient pricing;

    @BeforeAll
    static void start()
            throws Exception
    {
        aws = new RecordedAwsServer();
        StaticCredentialsProvider credentials = S3.credentials();
        s3 = S3.client();
        emr = EmrClient.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials).build();
        ec2 = Ec2Client.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials).build();
        pricing = PricingClient.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials).build();
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        emr.close();
        ec2.close();
        pricing.close();
        aws.close();
    }

    @Test
    void recordsTheRealClusterToTheS3Ledger(@TempDir Path temp)
            throws Exception
    {
        RunMetrics metrics = new RunMetrics("run-20181102", "2018-11-02", "zeek_conn", 9_400_000, 0, 40, 0, null, null, null, 60_000);
        s3.putObject(request -> request.bucket(BUCKET).key("daily/results/runs/dt=2018-11-02/run=run-20181102/zeek_conn.metrics.json"),
                RequestBody.fromString(Json.write(metrics)));
        Map<String, Object> input = new HashMap<>();
        input.put("binding", "aws");
        input.put("runId", "run-20181102");
        input.put("date", "2018-11-02");
        input.put("status", "SUCCEEDED");
        input.put("clusterId", "j-3QA2EXAMPLE1");
        input.put("resultsLocation", "s3://" + BUCKET + "/daily/results");
        input.put("region", "us-east-1");

        Map<String, Object> output = new io.dragnet.cost.RecordRunCostHandlerAccess(new AwsClients(() -> s3, () -> emr, () -> ec2, () -> pricing), Map.of("OPENSEARCH_AUTH", "disabled")).handle(input);

        // figures as computed by hand in TestAwsAdapters.pricesTheRecordedClusterEndToEnd
        assertThat(output).containsEntry("totalCost", "0.41").containsEntry("onDemandCost", "0.68").containsEntry("savingsPercent", "39.7")
                .containsEntry("spotInterruptions", 1).containsEntry("estimate", false)
                .containsEntry("ledgerFile", "s3://" + BUCKET + "/daily/results/ledger/runs/dt=2018-11-02/run=run-20181102.csv");
        String csv = s3.getObjectAsBytes(request -> request.bucket(BUCKET).key("daily/results/ledger/runs/dt=2018-11-02/run=run-20181102.csv")).asUtf8String();
        LedgerRow row = LedgerCsv.read(csv, "s3 run file").get(0);
        // 0.41 / 9.4 M records = 0.043617… per million
        assertThat(row.costPerMillionRecords()).isEqualByComparingTo("0.0436");
        assertThat(row.priceSource()).contains("AWS Price List API");
        assertThat(row.note()).doesNotContain("ESTIMATE");
        Path parquet = temp.resolve("row.parquet");
        Files.write(parquet, s3.getObjectAsBytes(request -> request.bucket(BUCKET).key("daily/results/ledger/parquet/dt=2018-11-02/run=run-20181102.parquet")).asByteArray());
        assertThat(ParquetLedgerFile.read(parquet).get(0)).containsEntry("total_cost", new BigDecimal("0.41")).containsEntry("spot_interruptions", 1);
        Path combined = temp.resolve("ledger.csv");
        Files.writeString(combined, s3.getObjectAsBytes(request -> request.bucket(BUCKET).key("daily/results/ledger/ledger.csv")).asUtf8String(), StandardCharsets.UTF_8);
        assertThat(FileRunLedger.read(combined)).extracting(LedgerRow::runId).isEqualTo(List.of("run-20181102"));
    }
}
