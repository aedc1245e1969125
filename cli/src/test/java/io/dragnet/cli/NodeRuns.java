package io.dragnet.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.statemachine.DailyRun;
import io.dragnet.statemachine.ExecutionResult;
import io.dragnet.storage.RepositoryPaths;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test helper for daily workflow runs against the real OpenSearch node of a home ({@link DailyRunNode}): copies sample
 * rules into folders, runs days and counts a rule's documents behind an index or alias.
 */
final class NodeRuns
{
    static final Path REPOSITORY = RepositoryPaths.root();

    private NodeRuns() {}

    /** A daily run of the deployed definition over {@code rules}; fails the test unless it succeeded. */
    static ExecutionResult daily(DragnetHome home, Path rules, LocalDate day, String runId)
    {
        StringWriter timeline = new StringWriter();
        Map<String, Object> input = Map.of("runId", runId, "rulesLocation", rules.toUri().toString(),
                "enrichmentLocation", REPOSITORY.resolve("samples/enrichment").toUri().toString());
        ExecutionResult result = new DailyRun(new PrintWriter(timeline, true), false).run(home, day, REPOSITORY.resolve("statemachine/daily-run.asl.json"), input);
        assertThat(result.status()).as(timeline.toString()).isEqualTo("SUCCEEDED");
        return result;
    }

    /** A folder {@code <parent>/<name>} holding copies of the named sample rules. */
    static Path rulesFolder(Path parent, String name, String... rules)
            throws IOException
    {
        Path folder = Files.createDirectories(parent.resolve(name));
        for (String rule : rules) {
            Files.copy(REPOSITORY.resolve("samples/rules").resolve(rule + ".yaml"), folder.resolve(rule + ".yaml"));
        }
        return folder;
    }

    /** Documents of one rule behind an index, alias or pattern. */
    static long count(OpenSearchClient client, String index, String ruleId)
    {
        String body = OpenSearchRest.require(client, "GET", "/" + index + "/_count?q=rule.id:" + ruleId, null);
        return Long.parseLong(body.replaceAll(".*\"count\":(\\d+).*", "$1"));
    }
}
