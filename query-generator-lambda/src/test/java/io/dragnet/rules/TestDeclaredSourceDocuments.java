package io.dragnet.rules;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A source declared in a rules folder's sources.yaml, with field names no built-in source uses, gets its documents' ECS
 * fields from its own {@code mapping}: from the rules folder through the compiler's job spec to the Spark job's documents.
 * The log also holds fields named as other sources name theirs ({@code src_ip}, {@code query}); the mapping does not
 * name them, so they feed no document field.
 */
@Tag("integration")
public class TestDeclaredSourceDocuments
{
    private static final String SOURCES = """
            sources:
              sensor_flows:
                format: zeek_json
                time_field: seen_at
                dataset: sensor.flows
                fields:
                  seen_at: timestamp
                  flow_ref: string
                  initiator_addr: ip
                  initiator_port: long
                  responder_addr: ip
                  responder_port: long
                  l4: string
                  tls_name: string
                  src_ip: ip
                  query: string
                mapping:
                  "@timestamp": seen_at
                  event.id: flow_ref
                  source.ip: initiator_addr
                  source.port: initiator_port
                  destination.ip: responder_addr
                  destination.port: responder_port
                  network.transport: l4
                  tls.server.name: tls_name
            """;
    private static final String RULE = """
            id: flows-to-449
            title: Flows to port 449
            topic: c2
            owner: tests
            sources: [sensor_flows]
            match:
              port:
                destination.port: 449
              condition: port
            output:
              fields: [initiator_addr, responder_port]
            """;

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @Test
    public void documentsTakeTheDeclaredSourcesMapping(@TempDir Path temp)
            throws IOException
    {
        Path rules = Files.createDirectories(temp.resolve("rules"));
        Files.writeString(rules.resolve(SourceCatalog.SOURCES_FILE), SOURCES);
        Files.writeString(rules.resolve("flows.yaml"), RULE);
        Path day = Files.createDirectories(temp.resolve("lake/sensor_flows/dt=2018-11-02"));
        Files.write(day.resolve("flows.json"), List.of(
                "{\"seen_at\":1541117137.5,\"flow_ref\":\"F1\",\"initiator_addr\":\"172.16.9.233\",\"initiator_port\":52031,\"responder_addr\":\"76.181.182.166\","
                        + "\"responder_port\":449,\"l4\":\"TCP\",\"tls_name\":\"c2.example\",\"src_ip\":\"192.0.2.99\",\"query\":\"not-a-dns-query.example\"}",
                "{\"seen_at\":1541117200.0,\"flow_ref\":\"F2\",\"initiator_addr\":\"172.16.9.233\",\"initiator_port\":52032,\"responder_addr\":\"8.8.8.8\","
                        + "\"responder_port\":53,\"l4\":\"UDP\",\"src_ip\":\"192.0.2.99\"}"));

        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(rules.toString()), new CompileContext(LocalDate.parse("2018-11-02"), "run-0001",
                Locations.normalize(temp.resolve("lake").toString()), Locations.normalize(temp.resolve("work").toString()),
                Locations.normalize(temp.resolve("results").toString()), Locations.normalize(temp.resolve("enrichment").toString())));
        assertThat(compilation.problems()).isEmpty();
        JobSpec spec = compilation.jobs().get(0).spec();
        assertThat(spec.source().mapping()).containsEntry("source.ip", "initiator_addr").doesNotContainKey("dns.question.name");

        RunMetrics metrics = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), spec);
        assertThat(metrics.matchedPerRule()).containsEntry("flows-to-449", 1L);
        List<Row> documents = SPARK.session().read().parquet(spec.outputs().documents()).collectAsList();
        assertThat(documents).hasSize(1);
        Row document = documents.get(0);
        assertThat(document.<String>getAs("event.dataset")).isEqualTo("sensor.flows");
        assertThat(document.<String>getAs("event.id")).isEqualTo("F1");
        assertThat(document.<java.sql.Timestamp>getAs("@timestamp").toInstant()).isEqualTo(Instant.ofEpochMilli(1_541_117_137_500L));
        assertThat(document.<String>getAs("source.ip")).isEqualTo("172.16.9.233");
        assertThat(document.<Long>getAs("source.port")).isEqualTo(52031L);
        assertThat(document.<String>getAs("destination.ip")).isEqualTo("76.181.182.166");
        assertThat(document.<Long>getAs("destination.port")).isEqualTo(449L);
        assertThat(document.<String>getAs("network.transport")).isEqualTo("tcp");
        assertThat(document.<String>getAs("tls.server.name")).isEqualTo("c2.example");
        assertThat(document.<String>getAs("dragnet.entity")).isEqualTo("c2.example");
        assertThat(document.<String>getAs("dns.question.name")).isNull();
        assertThat(document.<String>getAs("event.original")).isEqualTo("{\"initiator_addr\":\"172.16.9.233\",\"responder_port\":449}");
    }
}
