package io.dragnet.cli;

import io.dragnet.anonymization.SharingKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.sharing.alert.DeliveryLog;
import io.dragnet.sparkjobs.lake.ZeekLakeImporter;
import io.dragnet.statemachine.DailyRun;
import io.dragnet.statemachine.ExecutionResult;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectFolder;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rule's {@code notify:} key through the real daily workflow on the local executor (GenerateJobs, Spark, Publish,
 * Share) against a real OpenSearch node, two days in a row, with the channel's webhook a real HTTP server on
 * 127.0.0.1: the second day's alert names only the (rule, entity) pairs the first day did not have, and carries the
 * internal addresses of the sample capture only as their Crypto-PAn images.
 */
@Tag("integration")
class TestNotifyInDailyRuns
{
    private static final Path REPOSITORY = RepositoryPaths.root();
    private static final LocalDate PREVIOUS_DAY = LocalDate.parse("2018-11-01");
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final String RULE = "c2-feodo-ip-sweep";
    private static final String KERBEROS = "c2-kerberos-to-dc";
    /** C2 destinations of the sample day that the synthetic previous day already had. */
    private static final Set<String> SEEN_BEFORE = Set.of("47.49.168.50", "68.4.173.10");
    private static final List<String> INTERNAL = List.of("172.16.9.233", "172.16.9.5");

    @TempDir
    Path temp;

    @Test
    void theSecondDaysAlertCarriesOnlyNewEntitiesAnonymized()
            throws IOException
    {
        // the node runs unprivileged and must be able to reach its folder under the home
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        DragnetHome home = new DragnetHome(temp.resolve("home"));
        ZeekLakeImporter importer = new ZeekLakeImporter(Map.of());
        importer.importLogs(REPOSITORY.resolve("samples/zeek"), home.lake(), ZeekLakeImporter.Selection.ALL);
        importer.importLogs(previousDay(), home.lake(), ZeekLakeImporter.Selection.ALL);
        io.dragnet.storage.FileTrees.copyRecursively(REPOSITORY.resolve("samples/iocs"), temp.resolve("iocs"));
        Path rules = Files.createDirectories(temp.resolve("rules"));
        Files.writeString(rules.resolve(RULE + ".yaml"), Files.readString(REPOSITORY.resolve("samples/rules/" + RULE + ".yaml")) + "notify: [soc-chat]\n");
        // a rule without indicators, whose entity is its (internal) destination: the domain controller of the capture
        Files.writeString(rules.resolve(KERBEROS + ".yaml"), """
                id: %s
                title: Kerberos to the domain controller
                topic: c2
                owner: c2-research@dragnet.example
                sources: [zeek_conn]
                match:
                  kerberos: {destination.port: 88}
                  condition: kerberos
                notify: [soc-chat]
                """.formatted(KERBEROS));

        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        Path policy = temp.resolve("sharing.yaml");
        Files.writeString(policy, """
                version: 1
                internal_networks: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]
                recipients:
                  soc: {topics: [c2], max_tlp: amber}
                channels:
                  soc-chat:
                    webhook: http://127.0.0.1:%d/hook
                    recipient: soc
                    dashboards: http://127.0.0.1:5601
                """.formatted(webhook.getAddress().getPort()));
        // the home's key, as dragnet daily --share uses it: the one the index writer's pseudonyms use too
        Path keyFile = SharingKeys.localFile(home);

        try (DailyRunNode node = DailyRunNode.start(home)) {
            daily(home, PREVIOUS_DAY, rules, policy, keyFile, "prev-1");
            assertThat(received).as("the first day's alert").hasSize(1);
            String first = text(received.get(0));
            assertThat(first).contains(RULE).contains(SEEN_BEFORE);

            daily(home, DAY, rules, policy, keyFile, "day-1");
            assertThat(received).as("one alert per day").hasSize(2);
            String second = text(received.get(1));
            assertThat(second).startsWith("dragnet: ").contains(RULE, "199.227.126.250", "185.80.148.19", "http://127.0.0.1:5601/app/discover#/");
            assertThat(second).as("entities the previous day already had").doesNotContain(SEEN_BEFORE);
            // the Kerberos rule's entity is the internal domain controller: new on the second day, sent only as its image
            String image = SharingKeys.loadOrCreate(keyFile).cryptoPan().anonymize(InetAddress.getByName("172.16.9.5")).getHostAddress();
            assertThat(second).contains(KERBEROS + "): 1 new — " + image);
            // the documents carry the same image as their pseudonym, so the alert's host is found in OpenSearch by it
            String byPseudonym = OpenSearchRest.require(node.client(), "POST", "/dragnet-c2/_search",
                    "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"rule.id\":\"" + KERBEROS + "\"}},{\"term\":{\"pseudonym.destination.ip\":\"" + image + "\"}}]}}}");
            assertThat(byPseudonym).contains("\"destination.ip\":\"172.16.9.5\"").doesNotContain("\"total\":{\"value\":0,");
            assertThat(first).doesNotContain(KERBEROS);
            for (String text : List.of(first, second)) {
                for (String address : INTERNAL) {
                    assertThat(text).as("internal address in clear").doesNotContainPattern("(^|[^0-9.])" + address.replace(".", "\\.") + "([^0-9]|$)");
                }
            }
            List<DeliveryLog.Delivery> deliveries = new DeliveryLog(new ObjectFolder(new LocalObjectStore(),
                    home.results().resolve("notifications/deliveries").toString())).read();
            assertThat(deliveries).extracting(DeliveryLog.Delivery::day, DeliveryLog.Delivery::status)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("2018-11-01", "delivered"), org.assertj.core.groups.Tuple.tuple("2018-11-02", "delivered"));
        }
        finally {
            webhook.stop(0);
        }
    }

    private void daily(DragnetHome home, LocalDate day, Path rules, Path policy, Path keyFile, String runId)
    {
        StringWriter timeline = new StringWriter();
        Map<String, Object> input = Map.of("runId", runId, "rulesLocation", rules.toUri().toString(),
                "enrichmentLocation", REPOSITORY.resolve("samples/enrichment").toUri().toString(),
                "sharing", Map.of("policy", policy.toUri().toString(), "keyFile", keyFile.toString()));
        ExecutionResult result = new DailyRun(new PrintWriter(timeline, true), false).run(home, day, REPOSITORY.resolve("statemachine/daily-run.asl.json"), input);
        assertThat(result.status()).as(timeline.toString()).isEqualTo("SUCCEEDED");
        assertThat(result.problems()).as(timeline.toString()).isEmpty();
        assertThat(timeline.toString()).contains("alert to soc-chat: delivered");
    }

    /** The sample capture's connections to two of its C2 servers, a day earlier: the "previous day" of the sample day. */
    private Path previousDay()
            throws IOException
    {
        Path folder = temp.resolve("zeek-previous");
        Path day = Files.createDirectories(folder.resolve(PREVIOUS_DAY.toString()));
        List<String> lines = Files.readAllLines(REPOSITORY.resolve("samples/zeek/conn.log"));
        String shifted = lines.stream()
                .filter(line -> line.startsWith("#") || SEEN_BEFORE.contains(line.split("\t")[4]))
                .map(line -> line.startsWith("#") ? line : shiftOneDayBack(line))
                .collect(Collectors.joining("\n", "", "\n"));
        // in a folder of its own: the importer names a part after the file's path, and conn.log would replace the sample day's
        Files.writeString(day.resolve("conn.log"), shifted);
        return folder;
    }

    private static String shiftOneDayBack(String line)
    {
        int tab = line.indexOf('\t');
        return new java.math.BigDecimal(line.substring(0, tab)).subtract(java.math.BigDecimal.valueOf(86_400)).toPlainString() + line.substring(tab);
    }

    @SuppressWarnings("unchecked")
    private static String text(String body)
            throws IOException
    {
        return (String) new ObjectMapper().readValue(body, Map.class).get("text");
    }
}
