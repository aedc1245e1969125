package io.dragnet.publish;

import io.dragnet.contracts.PublishedRuns;
import io.dragnet.storage.ObjectStores;
import io.dragnet.testing.LocalS3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The run files of Publish on an S3 API (S3Proxy on 127.0.0.1): the record is written, unpublished run prefixes are deleted whole. */
@Tag("integration")
class TestPublishedRunFilesOnS3
{
    private static final String BUCKET = "dragnet-results";

    @RegisterExtension
    static final LocalS3 S3 = new LocalS3(BUCKET);

    @Test
    void recordsTheRunAndDeletesUnpublishedRunPrefixesWhole()
    {
        S3Client s3 = S3.client();
        for (String key : List.of("results/documents/dt=2018-11-01/run=failed/zeek_conn/part-0.parquet",
                "results/documents/dt=2018-11-01/run=failed/zeek_conn/.part-0.parquet.crc",
                "results/documents/dt=2018-11-01/run=failed/_staging-zeek_dns-failed/scan/part-0.parquet",
                "results/documents/dt=2018-11-01/run=failed2/zeek_conn/part-0.parquet",
                "results/documents/dt=2018-10-31/run=kept/zeek_conn/part-0.parquet",
                "results/summaries/dt=2018-11-01/run=failed/c2/rule.csv")) {
            s3.putObject(builder -> builder.bucket(BUCKET).key(key), RequestBody.fromString(key));
        }
        PublishedRunFiles files = new PublishedRunFiles(ObjectStores.localAndS3(S3::client), "s3://" + BUCKET + "/results");
        files.publish(LocalDate.parse("2018-10-31"), "kept");
        files.publish(LocalDate.parse("2018-11-01"), "this-run");

        // this run wrote no file: everything unpublished written before it published is debris
        assertThat(files.sweepUnpublished("this-run", Instant.now().plusSeconds(3600)))
                .containsExactly("documents/dt=2018-11-01/run=failed", "documents/dt=2018-11-01/run=failed2");

        List<String> left = s3.listObjectsV2Paginator(builder -> builder.bucket(BUCKET)).contents().stream().map(S3Object::key).sorted().toList();
        assertThat(left).containsExactly("results/documents/dt=2018-10-31/run=kept/zeek_conn/part-0.parquet", "results/published/dt=2018-10-31.json",
                "results/published/dt=2018-11-01.json", "results/summaries/dt=2018-11-01/run=failed/c2/rule.csv");
        assertThat(files.read("2018-11-01")).contains(PublishedRuns.ofRun("2018-11-01", "this-run"));
    }
}
