package io.dragnet.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.PublishedRuns;
import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.sparkjobs.lake.ZeekLakeImporter;
import org.junit.jupiter.api.Assumptions;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dragnet backfill} on a week of real Zeek logs (the Trickbot capture), through the real workflow and a real
 * OpenSearch node: a new IoC rule, whose indicators were only fetched after the days it is run over, becomes searchable
 * behind the aliases of past days in one execution and one cluster, while the published documents of the other rules
 * keep their counts (no duplicates of a rule both runs ran); a second backfill replaces the first one's hits; a later
 * daily run of a day replaces the day with its own rule set, as it always does.
 */
@Tag("integration")
class TestBackfillRuns
{
    private static final Path REPOSITORY = NodeRuns.REPOSITORY;
    private static final Path TRICKBOT = REPOSITORY.resolve("../shared/datasets/zeek/trickbot-2018-11").normalize();
    private static final List<LocalDate> PUBLISHED_DAYS = List.of(LocalDate.parse("2018-11-02"), LocalDate.parse("2018-11-03"));
    private static final String FEODO = "c2-feodo-ip-sweep";
    private static final String TLS = "c2-trickbot-tls-449";
    private static final String NEW = "c2-new-trickbot-hosts";
    /** Trickbot C2 addresses of the capture (port 449 peers on 11-02, 11-03 and 11-05), in a feed snapshot of 11-20. */
    private static final String NEW_HOSTS = "190.145.74.84\n24.119.69.70\n72.189.124.41\n";

    @TempDir
    Path temp;

    @Test
    void aNewIocRuleBecomesSearchableOverPastDaysInOneRunWithoutTouchingOtherRules()
            throws IOException
    {
        Assumptions.assumeTrue(Files.isDirectory(TRICKBOT), "the real Zeek capture is not beside the checkout at " + TRICKBOT + "; this test needs it");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        DragnetHome home = new DragnetHome(temp.resolve("home"));
        new ZeekLakeImporter(Map.of()).importLogs(TRICKBOT, home.lake(),
                new ZeekLakeImporter.Selection(java.util.Set.of("zeek_conn", "zeek_ssl"), LocalDate.parse("2018-11-02"), LocalDate.parse("2018-11-05")));
        io.dragnet.storage.FileTrees.copyRecursively(REPOSITORY.resolve("samples/iocs"), temp.resolve("iocs"));
        Path snapshot = Files.createDirectories(temp.resolve("iocs/snapshots/new-trickbot-hosts/dt=2018-11-20"));
        Files.writeString(snapshot.resolve("101500.000Z.txt"), NEW_HOSTS);
        Path full = rulesFolder("full", FEODO, TLS);
        Path backfill = rulesFolder("backfill", TLS);
        Files.writeString(backfill.resolve(NEW + ".yaml"), """
                id: c2-new-trickbot-hosts
                title: Connections to Trickbot hosts from the new feed
                topic: c2
                owner: c2-research@dragnet.example
                severity: high
                sources: [zeek_conn]
                match:
                  known:
                    ioc: ip
                    files: [feed:new-trickbot-hosts]
                  condition: known
                """);
        Path onlyNew = Files.createDirectories(temp.resolve("only-new"));
        Files.copy(backfill.resolve(NEW + ".yaml"), onlyNew.resolve(NEW + ".yaml"));

        try (DailyRunNode node = DailyRunNode.start(home)) {
            OpenSearchClient client = node.client();
            Map<String, Long> feodo = new java.util.TreeMap<>();
            Map<String, Long> tls = new java.util.TreeMap<>();
            for (LocalDate day : PUBLISHED_DAYS) {
                daily(home, full, day, "full-" + day.getDayOfMonth());
                feodo.put(day.toString(), count(client, IndexNames.dayAlias("c2", day), FEODO));
                tls.put(day.toString(), count(client, IndexNames.dayAlias("c2", day), TLS));
            }
            assertThat(tls.values()).as("the daily runs published TLS hits on both days").allMatch(count -> count > 0);
            assertThat(count(client, IndexNames.dayAlias("c2", LocalDate.parse("2018-11-02")), NEW)).isZero();

            long clustersBefore = clusters(home);
            StringWriter out = new StringWriter();
            int exit = backfill(home, backfill, out);
            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString()).contains("backfilled dragnet-c2-2018.11.05-backfill2018110220181105")
                    .contains(NEW + ": 565 hits on 3 of 4 days\n    2018-11-02  104\n");
            assertThat(clusters(home)).as("one cluster for every day and source").isEqualTo(clustersBefore + 1);

            Map<String, Long> added = new java.util.TreeMap<>();
            for (String day : List.of("2018-11-02", "2018-11-03", "2018-11-04", "2018-11-05")) {
                String alias = IndexNames.dayAlias("c2", LocalDate.parse(day));
                added.put(day, count(client, alias, NEW));
                assertThat(count(client, alias, FEODO)).as("feodo on " + day + " is as its daily run published it").isEqualTo(feodo.getOrDefault(day, 0L));
                if (tls.containsKey(day)) {
                    assertThat(count(client, alias, TLS)).as("TLS on " + day + ": ran by both runs, shown once").isEqualTo(tls.get(day));
                }
            }
            // the capture's conn.log has 104, 206, 0 and 255 connections to or from the three addresses on those days
            assertThat(added).as("the new indicators' hits per day").isEqualTo(Map.of("2018-11-02", 104L, "2018-11-03", 206L, "2018-11-04", 0L, "2018-11-05", 255L));
            assertThat(count(client, IndexNames.dayAlias("c2", LocalDate.parse("2018-11-04")), TLS)).as("TLS hits of a day no daily run published").isPositive();
            // the day's record of published runs says the same as the aliases, for the files history readers take
            PublishedRuns recorded = published(home, "2018-11-02");
            assertThat(recorded.runs()).extracting(PublishedRuns.Contribution::runId).hasSize(2).startsWith("full-2");
            String firstBackfill = recorded.runs().get(1).runId();
            assertThat(firstBackfill).startsWith("backfill-20181102-20181105-");
            assertThat(recorded.runs().get(0).excluded()).containsExactly(NEW, TLS);
            assertThat(recorded.runs().get(1).rules()).containsExactly(NEW, TLS);
            assertThat(runFolders(home, "2018-11-04")).containsExactly("run=" + firstBackfill);
            long topicTotal = count(client, IndexNames.topicAlias("c2"), NEW);
            assertThat(topicTotal).as("the topic alias sees the backfilled days too").isEqualTo(added.values().stream().mapToLong(Long::longValue).sum());

            // a second backfill of the new rule alone replaces the first one's hits of it and keeps the first one's TLS hits
            StringWriter again = new StringWriter();
            assertThat(backfill(home, onlyNew, again)).as(again.toString()).isZero();
            for (String day : List.of("2018-11-02", "2018-11-03", "2018-11-04", "2018-11-05")) {
                String alias = IndexNames.dayAlias("c2", LocalDate.parse(day));
                assertThat(count(client, alias, NEW)).as("new rule on " + day + " after the second backfill").isEqualTo(added.get(day));
                assertThat(count(client, alias, FEODO)).isEqualTo(feodo.getOrDefault(day, 0L));
            }
            assertThat(count(client, IndexNames.dayAlias("c2", LocalDate.parse("2018-11-02")), TLS)).isEqualTo(tls.get("2018-11-02"));
            PublishedRuns afterSecond = published(home, "2018-11-02");
            assertThat(afterSecond.runs()).extracting(PublishedRuns.Contribution::runId).hasSize(3).startsWith("full-2", firstBackfill);
            assertThat(afterSecond.runs().get(1).rules()).as("the first backfill keeps only TLS").containsExactly(TLS);
            assertThat(afterSecond.runs().get(2).rules()).containsExactly(NEW);

            // a daily run of the whole rule set replaces the day, backfills included
            LocalDate first = PUBLISHED_DAYS.get(0);
            daily(home, full, first, "full-again");
            assertThat(count(client, IndexNames.dayAlias("c2", first), NEW)).isZero();
            assertThat(count(client, IndexNames.dayAlias("c2", first), FEODO)).isEqualTo(feodo.get(first.toString()));
            assertThat(count(client, IndexNames.dayAlias("c2", first), TLS)).isEqualTo(tls.get(first.toString()));
            assertThat(OpenSearchRest.require(client, "GET", "/_cat/indices/dragnet-c2-2018.11.02-*?h=index&format=json", null))
                    .as("the day holds one index again").isEqualTo("[{\"index\":\"" + IndexNames.runIndex("c2", first, "full-again") + "\"}]");
            assertThat(published(home, first.toString())).isEqualTo(PublishedRuns.ofRun(first.toString(), "full-again"));
            assertThat(runFolders(home, first.toString())).as("the day's other runs' documents swept").containsExactly("run=full-again");
            assertThat(published(home, "2018-11-03").runs()).as("other days keep their runs").hasSize(3);
        }
    }

    private int backfill(DragnetHome home, Path rules, StringWriter out)
    {
        return Main.run(new String[] {"backfill", "--from", "2018-11-02", "--to", "2018-11-05", "--rules", rules.toString(), "--feeds-as-of", "2018-11-20",
                "--home", home.root().toString(), "--definition", REPOSITORY.resolve("statemachine/daily-run.asl.json").toString(),
                "--input", "enrichmentLocation=" + REPOSITORY.resolve("samples/enrichment").toUri()}, new PrintWriter(out, true), new PrintWriter(out, true));
    }

    private static void daily(DragnetHome home, Path rules, LocalDate day, String runId)
    {
        assertThat(NodeRuns.daily(home, rules, day, runId).complete()).isTrue();
    }

    private Path rulesFolder(String name, String... rules)
            throws IOException
    {
        return NodeRuns.rulesFolder(temp, name, rules);
    }

    private static PublishedRuns published(DragnetHome home, String day)
            throws IOException
    {
        Path record = Path.of(java.net.URI.create(PublishedRuns.location(home.results().toUri().toString(), day)));
        return PublishedRuns.parse(Files.readAllBytes(record), record.toString());
    }

    /** The run folders of a day's record documents. */
    private static List<String> runFolders(DragnetHome home, String day)
            throws IOException
    {
        try (java.util.stream.Stream<Path> folders = Files.list(home.results().resolve("documents").resolve("dt=" + day))) {
            return folders.map(folder -> folder.getFileName().toString()).sorted().toList();
        }
    }

    private static long clusters(DragnetHome home)
            throws IOException
    {
        try (java.util.stream.Stream<Path> files = Files.list(home.results().resolve("clusters"))) {
            return files.filter(file -> file.toString().endsWith(".json")).count();
        }
    }

    private static long count(OpenSearchClient client, String index, String ruleId)
    {
        return NodeRuns.count(client, index, ruleId);
    }
}
