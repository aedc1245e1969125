package io.dragnet.sharing;

import io.dragnet.anonymization.SharingKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exports over aggregate hits, shaped as the spark job indexes them ({@code aggregate.group} a JSON text,
 * {@code aggregate.measures} an object of numbers, {@code window.end}) and read back through the hit source's
 * flattening: each becomes a schema-valid STIX observed-data, and no internal address of a group leaves in clear in
 * any format.
 */
class TestAggregateExport
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final String POLICY = """
            version: 1
            internal_networks: [10.0.0.0/8, 172.16.0.0/12]
            recipients:
              soc: {topics: [c2], max_tlp: amber}
            """;
    private static final List<String> INTERNAL = List.of("10.1.2.3", "172.16.9.233", "172.16.9.5");

    @TempDir
    Path folder;

    private final SharingKeys keys = SharingKeys.of(HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));

    @Test
    void aggregateHitsBecomeValidObservedDataWithTheirGroupAnonymized()
            throws Exception
    {
        String bundle = export(ExportFormat.STIX, "out.json");

        assertThat(new StixValidator().violations(bundle)).isEmpty();
        assertNoInternalAddressInClear(bundle);
        JsonNode root = new ObjectMapper().readTree(bundle);
        List<JsonNode> observed = new ArrayList<>();
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        root.get("objects").forEach(object -> {
            byId.put(object.get("id").asText(), object);
            if (object.get("type").asText().equals("observed-data") && object.path("labels").toString().contains("\"aggregate\"")) {
                observed.add(object);
            }
        });
        assertThat(byId).as("every object once").hasSize(root.get("objects").size());
        // the port-only group has no observable STIX could refer to: three of the four hits
        assertThat(observed).hasSize(3);
        JsonNode burst = observed.stream().filter(object -> object.path("labels").toString().contains("conn-port-burst")).findFirst().orElseThrow();
        assertThat(burst.get("x_dragnet_group").get("seen_from").asText()).as("an internal address under any group field").isEqualTo(image("172.16.9.5"));

        String scanner = image("172.16.9.233");
        JsonNode scan = observed.stream().filter(object -> object.path("labels").toString().contains("conn-horizontal-scan")).findFirst().orElseThrow();
        assertThat(scan.get("first_observed").asText()).isEqualTo("2018-11-02T10:00:00.000Z");
        assertThat(scan.get("last_observed").asText()).isEqualTo("2018-11-02T11:00:00.000Z");
        assertThat(scan.get("number_observed").asInt()).isEqualTo(1);
        assertThat(scan.get("x_dragnet_group").get("source.ip").asText()).isEqualTo(scanner);
        assertThat(scan.get("x_dragnet_group").get("destination.port").asInt()).isEqualTo(445);
        assertThat(scan.get("x_dragnet_measures").get("distinct_hosts").asDouble()).isEqualTo(57.0);
        assertThat(scan.get("object_refs")).singleElement().satisfies(ref -> assertThat(byId.get(ref.asText()).get("value").asText()).isEqualTo(scanner));

        JsonNode beacon = observed.stream().filter(object -> object.path("labels").toString().contains("conn-beaconing")).findFirst().orElseThrow();
        List<String> values = new ArrayList<>();
        beacon.get("object_refs").forEach(ref -> values.add(byId.get(ref.asText()).get("value").asText()));
        assertThat(values).as("internal source as its image, external C2 in clear").containsExactlyInAnyOrder(image("10.1.2.3"), "203.0.113.9");
    }

    @Test
    void mispAndCsvOverAggregateHitsCarryNoInternalAddressInClear()
            throws Exception
    {
        assertNoInternalAddressInClear(export(ExportFormat.MISP, "out.misp.json"));
        String csv = export(ExportFormat.CSV, "out.csv");
        assertNoInternalAddressInClear(csv);
        assertThat(csv).contains(image("172.16.9.233"), "distinct_hosts", "57.0");
    }

    private String export(ExportFormat format, String file)
            throws Exception
    {
        Path out = folder.resolve(file);
        new Exporter(SharingPolicyParser.parse(POLICY, "sharing.yaml"), keys, (topics, from, to) -> hits(),
                new ExportTrail(new ObjectFolder(new LocalObjectStore(), folder.resolve("trail").toString())), new LocalObjectStore(),
                Clock.fixed(Instant.parse("2018-11-03T08:00:00Z"), ZoneOffset.UTC))
                .export(new ExportRequest(DAY, DAY, Set.of(), List.of(), "soc", format, out.toString(), "tester"));
        return Files.readString(out);
    }

    private static void assertNoInternalAddressInClear(String text)
    {
        for (String address : INTERNAL) {
            assertThat(text).as("internal address in clear").doesNotContainPattern("(^|[^0-9.])" + address.replace(".", "\\.") + "([^0-9]|$)");
        }
    }

    private String image(String address)
            throws Exception
    {
        return keys.cryptoPan().anonymize(InetAddress.getByName(address)).getHostAddress();
    }

    /** Four aggregate hits as their OpenSearch documents, flattened as the hit source reads them. */
    private static List<Map<String, Object>> hits()
    {
        List<Map<String, Object>> hits = new ArrayList<>();
        for (String source : List.of(
                document("conn-horizontal-scan", "10:00", "11:00", "172.16.9.233", null, "172.16.9.233|445",
                        "{\"source.ip\":\"172.16.9.233\",\"destination.port\":445}", "{\"distinct_hosts\":57.0,\"connections\":120.0}"),
                document("conn-beaconing", "06:00", "12:00", "10.1.2.3", "203.0.113.9", "10.1.2.3|203.0.113.9|449",
                        "{\"source.ip\":\"10.1.2.3\",\"destination.ip\":\"203.0.113.9\",\"destination.port\":449}", "{\"interval_cv\":0.04}"),
                document("conn-port-burst", "12:00", "13:00", null, null, "3389",
                        "{\"destination.port\":3389,\"seen_from\":\"172.16.9.5\"}", "{\"connections\":9000.0}"),
                document("conn-telnet-burst", "13:00", "14:00", null, null, "23",
                        "{\"destination.port\":23}", "{\"connections\":700.0}"))) {
            Map<String, Object> flat = new LinkedHashMap<>();
            try {
                OpenSearchHitSource.flatten("", new ObjectMapper().readValue(source, Map.class), flat);
            }
            catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            hits.add(flat);
        }
        return hits;
    }

    private static String document(String rule, String from, String to, String sourceIp, String destinationIp, String entity, String group, String measures)
    {
        return """
                {"@timestamp":"2018-11-02T%s:00.000Z","window.end":"2018-11-02T%s:00.000Z","rule.id":"%s","rule.name":"%s rule","rule.severity":"medium",
                 "dragnet.topic":"c2","event.dataset":"zeek.conn","source.ip":%s,"destination.ip":%s,"dragnet.entity":"%s",
                 "aggregate.group":"%s","aggregate.measures":%s,"aggregate.samples":["CYtJYz4gNk3t5ZEt2"]}
                """.formatted(from, to, rule, rule, json(sourceIp), json(destinationIp), entity, group.replace("\"", "\\\""), measures);
    }

    private static String json(String value)
    {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
