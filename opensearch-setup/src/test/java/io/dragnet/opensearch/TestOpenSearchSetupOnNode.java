package io.dragnet.opensearch;

import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.opensearch.client.RestCaller;
import io.dragnet.opensearch.client.SigV4VerifyingServer;
import io.dragnet.opensearch.client.IndexAliases;
import io.dragnet.opensearch.client.RetentionSweep;
import io.dragnet.contracts.DragnetHome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class TestOpenSearchSetupOnNode
{
    @Test
    void appliesIdempotentlyAndTypesDocumentsAndSwitchesAliases(@TempDir Path root)
            throws Exception
    {
        LocalOpenSearchNode node = LocalOpenSearchNode.startOrReuse(new DragnetHome(root));
        OpenSearchClient client = OpenSearchClients.create(node.connection());
        try {
            OpenSearchSetup setup = new OpenSearchSetup(client, OpenSearchSetup.Options.local());
            List<OpenSearchSetup.Change> first = setup.apply();
            assertThat(first).filteredOn(change -> change.kind().equals("index_template"))
                    .hasSize(10)
                    .allMatch(change -> change.action() == OpenSearchSetup.Action.CREATED);
            List<OpenSearchSetup.Change> second = setup.apply();
            assertThat(second).filteredOn(change -> change.kind().equals("index_template"))
                    .allMatch(change -> change.action() == OpenSearchSetup.Action.UNCHANGED);
            // No ISM plugin in the integ-test distribution: reported, not faked.
            assertThat(second).filteredOn(change -> change.kind().equals("ism_policy"))
                    .singleElement()
                    .satisfies(change -> assertThat(change.action()).isIn(OpenSearchSetup.Action.SKIPPED, OpenSearchSetup.Action.UNCHANGED));

            OpenSearchRest.require(client, "PUT", "/dragnet-c2-2018.11.02-run1/_doc/a?refresh=true",
                    "{\"@timestamp\":\"2018-11-02T10:00:00Z\",\"source\":{\"ip\":\"10.0.0.5\",\"geo\":{\"location\":{\"lat\":1.5,\"lon\":2.5}}},\"rule\":{\"id\":\"r1\"}}");
            String mapping = OpenSearchRest.require(client, "GET", "/dragnet-c2-2018.11.02-run1/_mapping/field/source.ip,source.geo.location", null);
            assertThat(mapping).contains("\"type\":\"ip\"").contains("\"type\":\"geo_point\"");
            String settings = OpenSearchRest.require(client, "GET", "/dragnet-c2-2018.11.02-run1/_settings", null);
            assertThat(settings).contains("\"number_of_replicas\":\"0\"");

            assertThat(IndexAliases.publish(client, "c2", LocalDate.of(2018, 11, 2), "dragnet-c2-2018.11.02-run1")).isEmpty();
            OpenSearchRest.require(client, "PUT", "/dragnet-c2-2018.11.02-run2/_doc/a?refresh=true", "{\"@timestamp\":\"2018-11-02T11:00:00Z\",\"rule\":{\"id\":\"r2\"}}");
            assertThat(IndexAliases.publish(client, "c2", LocalDate.of(2018, 11, 2), "dragnet-c2-2018.11.02-run2")).containsExactly("dragnet-c2-2018.11.02-run1");
            String hits = OpenSearchRest.require(client, "GET", "/dragnet-c2/_search", null);
            assertThat(hits).contains("\"r2\"").doesNotContain("\"r1\"");
            assertThat(OpenSearchRest.require(client, "GET", "/dragnet-c2-2018.11.02/_search", null)).contains("\"r2\"");

            // Without ISM, retention is enforced by dragnet: nothing is old yet; 91 days on, the result index goes, the ledger stays.
            OpenSearchRest.require(client, "PUT", "/dragnet-runs/_doc/run1?refresh=true", "{\"run_id\":\"run1\"}");
            RetentionSweep sweep = new RetentionSweep(client, OpenSearchSetup.Options.local().retention());
            assertThat(sweep.enforceWhereIsmMissing(Instant.now())).isEmpty();
            assertThat(sweep.enforceWhereIsmMissing(Instant.now().plus(Duration.ofDays(91)))).containsExactly("dragnet-c2-2018.11.02-run1", "dragnet-c2-2018.11.02-run2");
            assertThat(OpenSearchRest.call(client, "GET", "/dragnet-runs/_count", null).status()).isEqualTo(200);
        }
        finally {
            OpenSearchClients.close(client);
            node.stop();
        }
    }

    /** {@code opensearch setup} reaches a domain only through a front door that checks every SigV4 signature. */
    @Test
    void setupReachesADomainWithSigV4(@TempDir Path root)
            throws Exception
    {
        LocalOpenSearchNode node = LocalOpenSearchNode.startOrReuse(new DragnetHome(root));
        try (SigV4VerifyingServer domain = SigV4VerifyingServer.start(SigV4VerifyingServer.proxyTo(node.connection()), root);
                AutoCloseable credentials = SigV4VerifyingServer.processCredentials(SigV4VerifyingServer.SECRET_ACCESS_KEY)) {
            StringWriter out = new StringWriter();
            int exit = new CommandLine(new OpenSearchCommand()).setOut(new PrintWriter(out)).execute("setup", "--topics", "c2",
                    "--endpoint", domain.endpoint().toString(), "--region", SigV4VerifyingServer.REGION, "--ca-certificate", domain.caCertificate().toString(),
                    "--saved-objects-out", root.resolve("saved-objects.ndjson").toString());

            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString()).contains(domain.endpoint() + " (sigv4)");
            assertThat(domain.verdicts()).isNotEmpty().allSatisfy(verdict -> assertThat(verdict.accepted()).as(verdict.toString()).isTrue());
            assertThat(domain.accepted()).anyMatch(call -> call.method().equals("PUT") && call.path().startsWith("/_index_template/"));
            assertThat(RestCaller.asAdmin(node.connection()).require("GET", "/_index_template/dragnet-c2*", null)).contains("dragnet-c2");
        }
        finally {
            node.stop();
        }
    }
}
