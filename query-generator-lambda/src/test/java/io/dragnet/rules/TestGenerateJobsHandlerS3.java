package io.dragnet.rules;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.testing.LocalS3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler's s3:// path against S3Proxy (an S3-compatible server, transient in-memory blob store) bound to
 * 127.0.0.1 with credentials generated for this run: rules and IoC files read from S3, specs and tables written to S3.
 */
@Tag("integration")
public class TestGenerateJobsHandlerS3
{
    private static final String BUCKET = "dragnet-test";

    @RegisterExtension
    static final LocalS3 S3 = new LocalS3(BUCKET);

    private static S3Client s3;

    @TempDir
    Path home;

    @BeforeAll
    public static void putConfigAndLake()
            throws Exception
    {
        s3 = S3.client();
        for (String source : List.of("nids_verdicts", "zeek_conn", "zeek_dns", "zeek_http", "zeek_ssl")) {
            s3.putObject(builder -> builder.bucket(BUCKET).key("lake/" + source + "/dt=2018-11-02/part-0"), RequestBody.fromString("data"));
        }
        Path samples = io.dragnet.storage.RepositoryPaths.root().resolve("samples");
        try (Stream<Path> files = Files.walk(samples)) {
            for (Path file : files.filter(Files::isRegularFile).filter(file -> file.startsWith(samples.resolve("rules")) || file.startsWith(samples.resolve("iocs"))).toList()) {
                s3.putObject(builder -> builder.bucket(BUCKET).key("config/" + samples.relativize(file)), RequestBody.fromFile(file));
            }
        }
    }

    @Test
    public void compilesRulesFromS3AndWritesJobsToS3()
    {
        Map<String, Object> input = new HashMap<>();
        input.put("date", "2018-11-02");
        input.put("runId", "exec-1");
        input.put("rulesLocation", "s3://" + BUCKET + "/config/rules");
        input.put("workLocation", "s3://" + BUCKET + "/work/");
        input.put("lakeLocation", "s3://" + BUCKET + "/lake");
        input.put("resultsLocation", "s3://" + BUCKET + "/results");
        input.put("enrichmentLocation", "s3://" + BUCKET + "/enrichment");
        GenerateJobsHandler handler = new GenerateJobsHandler(() -> s3, new DragnetHome(home));

        Map<String, Object> result = handler.handleRequest(input, null);

        // Five published jobs and one sandbox job for the sample rule with status: test.
        assertThat(result).containsEntry("jobCount", 6).containsEntry("problems", List.of("source zeek_files has no data for 2018-11-02 at s3://" + BUCKET
                + "/lake/zeek_files/dt=2018-11-02; its job was skipped (rules web-hash-sightings)"));
        assertThat(result.get("sandbox")).asList().singleElement().asString().startsWith("rule dns-dga-like-names (status: test) ran into the sandbox index");
        String run = "work/jobs/dt=2018-11-02/run=exec-1/";
        List<String> keys = s3.listObjectsV2Paginator(builder -> builder.bucket(BUCKET).prefix(run)).contents().stream().map(S3Object::key).toList();
        assertThat(keys).contains(run + "zeek_conn.json", run + "zeek_http.json", run + "nids_verdicts.json", run + GenerateJobs.MANIFEST)
                .doesNotContain(run + "zeek_files.json");
        JobSpec conn = read(run + "zeek_conn.json");
        assertThat(conn.source().location()).isEqualTo("s3://" + BUCKET + "/lake/zeek_conn/dt=2018-11-02");
        assertThat(conn.outputs().documents()).isEqualTo("s3://" + BUCKET + "/results/documents/dt=2018-11-02/run=exec-1/zeek_conn");
        String tableLocation = conn.iocTables().get(0).location();
        assertThat(tableLocation).startsWith("s3://" + BUCKET + "/" + run + "iocs/ip-");
        String table = s3.getObjectAsBytes(builder -> builder.bucket(BUCKET).key(tableLocation.substring(("s3://" + BUCKET + "/").length()))).asUtf8String();
        assertThat(table).startsWith("value,feed,confidence,first_seen,description\n").contains("\n199.227.126.250,");

        byte[] before = s3.getObjectAsBytes(builder -> builder.bucket(BUCKET).key(run + "zeek_http.json")).asByteArray();
        assertThat(handler.handleRequest(input, null)).isEqualTo(result);
        assertThat(s3.getObjectAsBytes(builder -> builder.bucket(BUCKET).key(run + "zeek_http.json")).asByteArray()).isEqualTo(before);
    }

    @Test
    public void missingRulesPrefixIsReportedAsAProblem()
    {
        Map<String, Object> input = new HashMap<>();
        input.put("date", "2018-11-02");
        input.put("runId", "exec-2");
        input.put("rulesLocation", "s3://" + BUCKET + "/nothing-here");
        input.put("workLocation", "s3://" + BUCKET + "/work");
        Map<String, Object> result = new GenerateJobsHandler(() -> s3, new DragnetHome(home)).handleRequest(input, null);
        assertThat(result).containsEntry("jobCount", 0).containsEntry("problems", List.of("s3://" + BUCKET + "/nothing-here: no rule files; expected *.yaml files in the rules folder"));
    }

    private static JobSpec read(String key)
    {
        try {
            return Json.mapper().readValue(s3.getObjectAsBytes(builder -> builder.bucket(BUCKET).key(key)).asString(StandardCharsets.UTF_8), JobSpec.class);
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
