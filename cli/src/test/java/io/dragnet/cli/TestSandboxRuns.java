package io.dragnet.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.IndexNames;
import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.sparkjobs.lake.ZeekLakeImporter;
import io.dragnet.statemachine.ExecutionResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A researcher's folder with part of a topic's rules, run through the real daily workflow (GenerateJobs, Spark,
 * Publish) against a real OpenSearch node: it writes the topic's sandbox and leaves every published document of the
 * other rules where it was. Before sandbox runs, the partial run's index replaced the topic's published day. Also runs
 * {@code dragnet rules try} over the same lake, which indexes nothing.
 */
@Tag("integration")
class TestSandboxRuns
{
    private static final Path REPOSITORY = NodeRuns.REPOSITORY;
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final String FEODO = "c2-feodo-ip-sweep";
    private static final String TLS = "c2-trickbot-tls-449";

    @TempDir
    Path temp;

    @Test
    void aPartialFolderRunsIntoTheSandboxAndLeavesOtherRulesPublishedDocumentsUntouched()
            throws IOException
    {
        // the node runs unprivileged and must be able to reach its folder under the home
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        DragnetHome home = new DragnetHome(temp.resolve("home"));
        new ZeekLakeImporter(Map.of()).importLogs(REPOSITORY.resolve("samples/zeek"), home.lake(), ZeekLakeImporter.Selection.ALL);
        io.dragnet.storage.FileTrees.copyRecursively(REPOSITORY.resolve("samples/iocs"), temp.resolve("iocs"));
        Path full = rulesFolder("full", FEODO, TLS);
        Path partial = rulesFolder("partial", TLS);
        try (DailyRunNode node = DailyRunNode.start(home)) {
            OpenSearchClient client = node.client();
            String dayAlias = IndexNames.dayAlias("c2", DAY);

            ExecutionResult published = daily(home, full, "full-1");
            assertThat(published.complete()).as(published.toString()).isTrue();
            long feodo = count(client, dayAlias, FEODO);
            long tls = count(client, dayAlias, TLS);
            assertThat(feodo).as("the full run published feodo hits").isPositive();
            assertThat(tls).as("the full run published TLS hits").isPositive();

            ExecutionResult sandboxed = daily(home, partial, "partial-1");
            assertThat(sandboxed.status()).isEqualTo("SUCCEEDED");
            assertThat(sandboxed.sandbox()).singleElement().asString().startsWith("topic c2: this rules folder lacks " + FEODO);
            // the published day still holds every document of both rules, from the full run's index
            assertThat(count(client, dayAlias, FEODO)).isEqualTo(feodo);
            assertThat(count(client, dayAlias, TLS)).isEqualTo(tls);
            assertThat(OpenSearchRest.require(client, "GET", "/" + dayAlias + "/_alias", null)).contains(IndexNames.runIndex("c2", DAY, "full-1"));
            // the partial run's hits are in its sandbox index only
            String sandboxIndex = IndexNames.sandboxRunIndex("c2", DAY, "partial-1");
            assertThat(count(client, sandboxIndex, TLS)).isEqualTo(tls);
            assertThat(count(client, sandboxIndex, FEODO)).isZero();
            assertThat(OpenSearchRest.call(client, "GET", "/" + IndexNames.runIndex("c2", DAY, "partial-1"), null).ok()).isFalse();
            // each run's summaries stay apart
            assertThat(home.results().resolve("summaries/dt=2018-11-02/run=full-1/c2/" + FEODO + ".csv")).isRegularFile();
            assertThat(home.results().resolve("sandbox/summaries/dt=2018-11-02/run=partial-1/c2/" + TLS + ".csv")).isRegularFile();
            assertThat(home.results().resolve("summaries/dt=2018-11-02/run=partial-1")).doesNotExist();

            // the full folder again publishes and replaces the day as before
            ExecutionResult again = daily(home, full, "full-2");
            assertThat(again.sandbox()).isEmpty();
            assertThat(count(client, dayAlias, FEODO)).isEqualTo(feodo);
            assertThat(OpenSearchRest.require(client, "GET", "/" + dayAlias + "/_alias", null)).contains(IndexNames.runIndex("c2", DAY, "full-2"));

            StringWriter out = new StringWriter();
            int exit = Main.run(new String[] {"rules", "try", partial.toString(), "--date", DAY.toString(), "--source", "zeek_ssl", "--home", home.root().toString(),
                    "--enrichment", REPOSITORY.resolve("samples/enrichment").toString()}, new PrintWriter(out, true), new PrintWriter(out, true));
            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString()).containsPattern(TLS + " +" + String.format("%,d", tls) + " hits  -> sandbox dragnet_sandbox-c2-2018.11.02-<run> \\(this folder lacks " + FEODO)
                    .contains("destination.port=449");
            assertThat(OpenSearchRest.require(client, "GET", "/_cat/indices?h=index", null)).doesNotContain("try");
        }
    }

    private static ExecutionResult daily(DragnetHome home, Path rules, String runId)
    {
        return NodeRuns.daily(home, rules, DAY, runId);
    }

    private Path rulesFolder(String name, String... rules)
            throws IOException
    {
        return NodeRuns.rulesFolder(temp, name, rules);
    }

    private static long count(OpenSearchClient client, String index, String ruleId)
    {
        return NodeRuns.count(client, index, ruleId);
    }
}
