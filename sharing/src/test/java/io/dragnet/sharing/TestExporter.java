package io.dragnet.sharing;

import io.dragnet.anonymization.IndexPseudonyms;
import io.dragnet.anonymization.Network;
import io.dragnet.anonymization.SharingKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dragnet.contracts.DragnetException;
import io.dragnet.rules.Problem;
import io.dragnet.contracts.IocEntry;
import io.dragnet.rules.internal.IocLoader;
import io.dragnet.rules.model.IocFileReference;
import io.dragnet.rules.model.IocKind;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestExporter
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final String POLICY = """
            version: 1
            producer: {name: Example CERT research, identity_class: organization}
            default_tlp: amber
            internal_networks: [10.0.0.0/8, 192.168.0.0/16]
            recipients:
              partner-cert:
                topics: [c2]
                max_tlp: amber
                row_limit: 100
                pseudonymize: [asset.owner]
                fields: ["@timestamp", rule.id, rule.name, tags, source.ip, destination.ip, destination.port, url.full, asset.owner,
                         threat.indicator.type, threat.indicator.value, threat.indicator.provider, threat.indicator.confidence, threat.indicator.first_seen]
              community:
                topics: [c2]
                rules: ["c2-*"]
                max_tlp: amber
                row_limit: 2
              leaky:
                topics: [c2]
                max_tlp: red
                pseudonymize: [asset.owner]
                fields: [rule.id, asset.owner, event.original]
            """;

    @TempDir
    Path folder;

    private final SharingKeys keys = SharingKeys.of(HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));

    @Test
    void stixBundleValidatesAndCarriesNoInternalAddress()
            throws Exception
    {
        ExportTrail.Entry entry = exporter().export(request("partner-cert", ExportFormat.STIX, folder.resolve("out.json")));
        String bundle = Files.readString(folder.resolve("out.json"));

        assertThat(new StixValidator().violations(bundle)).isEmpty();
        assertThat(bundle).doesNotContain("10.1.2.3", "10.1.2.4", "192.168.7.9", "alice");
        JsonNode root = new ObjectMapper().readTree(bundle);
        List<String> types = new ArrayList<>();
        root.get("objects").forEach(object -> types.add(object.get("type").asText()));
        assertThat(types).contains("identity", "marking-definition", "indicator", "sighting", "observed-data");
        JsonNode sighting = find(root, "sighting", "count");
        assertThat(sighting.get("count").asInt()).isEqualTo(2);
        assertThat(sighting.get("first_seen").asText()).isEqualTo("2018-11-02T10:00:00.000Z");
        assertThat(sighting.get("last_seen").asText()).isEqualTo("2018-11-02T11:30:00.000Z");
        assertThat(find(root, "marking-definition", "name").get("name").asText()).isEqualTo("TLP:AMBER");
        assertThat(entry.rowsExported()).isEqualTo(3);
        assertThat(entry.rowsWithheld()).containsEntry("tlp_above_amber", 1);
    }

    @Test
    void internalAddressesKeepTheirSharedPrefixes()
            throws Exception
    {
        exporter().export(request("partner-cert", ExportFormat.CSV, folder.resolve("out.csv")));
        List<String> lines = Files.readAllLines(folder.resolve("out.csv"));
        Anonymizer anonymizer = new Anonymizer(SharingPolicyParser.parse(POLICY, "sharing.yaml").recipient("partner-cert").orElseThrow(), keys);
        String first = anonymizer.address("10.1.2.3");
        String second = anonymizer.address("10.1.2.4");
        assertThat(String.join("\n", lines)).contains(first, second, "203.0.113.9");
        // 10.1.2.3 and 10.1.2.4 share 29 bits, and so do their images.
        assertThat(commonPrefix(Network.address(first).orElseThrow(), Network.address(second).orElseThrow())).isEqualTo(29);
        assertThat(String.join("\n", lines)).contains("owner-");
        // The documents' index-time pseudonyms are the same images: a SOC matches an export's host to its documents.
        IndexPseudonyms indexed = new IndexPseudonyms(keys);
        assertThat(indexed.address("10.1.2.3")).contains(first);
        assertThat(indexed.address("10.1.2.4")).contains(second);
    }

    @Test
    void stixAndMispExportsReimportWithTheSameIndicators()
            throws Exception
    {
        exporter().export(request("partner-cert", ExportFormat.STIX, folder.resolve("out.json")));
        exporter().export(request("partner-cert", ExportFormat.MISP, folder.resolve("out.misp.json")));
        for (String file : List.of("out.json", "out.misp.json")) {
            List<Problem> problems = new ArrayList<>();
            IocLoader.Loaded loaded = IocLoader.load(new IocFileReference(file, null, null, null, new SourcePosition("rule.yaml", 1, 1)),
                    file, Files.readString(folder.resolve(file)), IocKind.IP, DAY, problems::add);
            assertThat(problems).as(file).isEmpty();
            assertThat(loaded.entries()).extracting(IocEntry::value).as(file).containsExactly("203.0.113.9");
        }
    }

    @Test
    void refusesAnExportThatWouldCarryAnInternalValueInClear()
    {
        Path out = folder.resolve("leak.csv");
        assertThatThrownBy(() -> exporter().export(request("leaky", ExportFormat.CSV, out)))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("refused")
                .hasMessageContaining("alice (a value of asset.owner)");
        assertThat(out).doesNotExist();
        assertThat(trail().read()).isEmpty();
    }

    @Test
    void refusesMoreRowsThanTheLimitAndWithholdsByRuleAndTlp()
    {
        assertThatThrownBy(() -> exporter().export(request("community", ExportFormat.CSV, folder.resolve("c.csv"))))
                .hasMessageContaining("exceed its row limit of 2");
        assertThatThrownBy(() -> exporter().export(new ExportRequest(DAY, DAY, Set.of("nids"), List.of(), "community", ExportFormat.CSV, folder.resolve("c.csv").toString(), "tester")))
                .hasMessageContaining("may not receive topic 'nids'");
        assertThatThrownBy(() -> exporter().export(request("partner", ExportFormat.CSV, folder.resolve("c.csv"))))
                .hasMessageContaining("did you mean 'partner-cert'");
    }

    @Test
    void recordsEveryExportInAnOwnerOnlyTrail()
            throws Exception
    {
        Path out = folder.resolve("out.json");
        ExportTrail.Entry first = exporter().export(request("partner-cert", ExportFormat.STIX, out));
        ExportTrail.Entry second = exporter().export(request("partner-cert", ExportFormat.STIX, out));
        List<ExportTrail.Entry> entries = trail().read();
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).sha256()).isEqualTo(Exporter.sha256(Files.readAllBytes(out))).isEqualTo(second.sha256()).isEqualTo(first.sha256());
        assertThat(entries.get(0).operator()).isEqualTo("tester");
        assertThat(entries.get(0).recipient()).isEqualTo("partner-cert");
        assertThat(entries.get(0).policyVersion()).hasSize(64);
        assertThat(entries.get(0).time()).isEqualTo("2018-11-03T08:00:00Z");
        try (var files = Files.list(folder.resolve("trail"))) {
            assertThat(files.toList()).hasSize(2).allSatisfy(file -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    private Exporter exporter()
    {
        return new Exporter(SharingPolicyParser.parse(POLICY, "sharing.yaml"), keys, (topics, from, to) -> hits(),
                trail(), new LocalObjectStore(), Clock.fixed(Instant.parse("2018-11-03T08:00:00Z"), ZoneOffset.UTC));
    }

    private ExportTrail trail()
    {
        return new ExportTrail(new ObjectFolder(new LocalObjectStore(), folder.resolve("trail").toString()));
    }

    private static ExportRequest request(String recipient, ExportFormat format, Path out)
    {
        return new ExportRequest(DAY, DAY, Set.of(), List.of(), recipient, format, out.toString(), "tester");
    }

    private static List<Map<String, Object>> hits()
    {
        return List.of(
                hit("2018-11-02T10:00:00Z", "c2-feodo", "10.1.2.3", "203.0.113.9", List.of("attack.t1571"), "ip", "203.0.113.9", "alice"),
                hit("2018-11-02T11:30:00Z", "c2-feodo", "10.1.2.4", "203.0.113.9", List.of("attack.t1571"), "ip", "203.0.113.9", "alice"),
                hit("2018-11-02T12:00:00Z", "c2-beacon", "192.168.7.9", "198.51.100.20", List.of(), null, null, "bob"),
                hit("2018-11-02T12:10:00Z", "c2-secret", "10.9.9.9", "198.51.100.21", List.of("tlp:red"), null, null, "carol"));
    }

    private static Map<String, Object> hit(String time, String rule, String source, String destination, List<String> tags, String kind, String value, String owner)
    {
        Map<String, Object> hit = new LinkedHashMap<>();
        hit.put("@timestamp", time);
        hit.put("rule.id", rule);
        hit.put("rule.name", rule + " rule");
        hit.put("tags", tags);
        hit.put("dragnet.topic", "c2");
        hit.put("source.ip", source);
        hit.put("destination.ip", destination);
        hit.put("destination.port", 449);
        hit.put("url.full", "http://" + source + "/gate.php");
        hit.put("asset.owner", owner);
        hit.put("event.original", "{\"id.orig_h\":\"" + source + "\",\"owner\":\"" + owner + "\"}");
        if (kind != null) {
            hit.put("threat.indicator.type", kind);
            hit.put("threat.indicator.value", value);
            hit.put("threat.indicator.provider", "feodotracker");
            hit.put("threat.indicator.confidence", "80");
            hit.put("threat.indicator.first_seen", "2018-10-30T00:00:00Z");
        }
        return hit;
    }

    private static JsonNode find(JsonNode bundle, String type, String property)
    {
        for (JsonNode object : bundle.get("objects")) {
            if (object.get("type").asText().equals(type) && object.has(property)) {
                return object;
            }
        }
        throw new AssertionError("no " + type + " with " + property);
    }

    private static int commonPrefix(byte[] a, byte[] b)
    {
        for (int bit = 0; bit < a.length * 8; bit++) {
            if (((a[bit / 8] ^ b[bit / 8]) & (0x80 >>> (bit % 8))) != 0) {
                return bit;
            }
        }
        return a.length * 8;
    }
}
