package io.dragnet.sharing.daily;

import io.dragnet.anonymization.SharingKeys;
import io.dragnet.sharing.ExportTrail;
import io.dragnet.sharing.Exporter;
import io.dragnet.sharing.HitSource;
import io.dragnet.sharing.SharingPolicy;
import io.dragnet.sharing.SharingPolicyParser;
import io.dragnet.sharing.StixValidator;
import io.dragnet.sharing.alert.DeliveryLog;
import io.dragnet.sharing.alert.Notifier;
import io.dragnet.sharing.alert.RuleSubscriptions;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDailySharing
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final String POLICY = """
            version: 1
            internal_networks: [10.0.0.0/8]
            recipients:
              partner-cert:
                topics: [c2]
                max_tlp: amber
              tiny:
                topics: [c2]
                max_tlp: amber
                row_limit: 1
            channels:
              soc-chat:
                webhook: http://127.0.0.1:9/hook
                recipient: partner-cert
                rules: ["*"]
            schedule:
              - {recipient: partner-cert, format: stix}
              - {recipient: tiny, format: csv}
              - {recipient: partner-cert, format: misp}
            """;

    @TempDir
    Path folder;

    private final SharingKeys keys = SharingKeys.of(HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));
    private final Clock clock = Clock.fixed(Instant.parse("2018-11-03T06:00:00Z"), ZoneOffset.UTC);

    @Test
    void alertsThenMakesEveryScheduledExportAndReportsRefusalsWithoutFailing()
            throws IOException
    {
        SharingPolicy policy = SharingPolicyParser.parse(POLICY, "sharing.yaml");
        ObjectFolder results = new ObjectFolder(new LocalObjectStore(), folder.toString());
        HitSource hits = (topics, from, to) -> from.equals(DAY) ? List.of(hit("10.1.2.3", "203.0.113.9"), hit("10.1.2.4", "203.0.113.10")) : List.of();
        Notifier notifier = new Notifier(policy, RuleSubscriptions.NONE, keys, hits, Map.of("webhook", (channel, alert) -> {
            throw new IOException("connection refused");
        }), pause -> {}, new DeliveryLog(results.child("notifications/deliveries")), clock);
        ExportTrail trail = new ExportTrail(results.child("exports/trail"));
        DailySharing sharing = new DailySharing(policy, notifier, new Exporter(policy, keys, hits, trail, new LocalObjectStore(), clock), results.child("exports"));

        DailySharing.Outcome outcome = sharing.share(DAY, "workflow run r1");

        assertThat(outcome.deliveries()).singleElement().satisfies(delivery -> {
            assertThat(delivery.status()).isEqualTo("failed");
            assertThat(delivery.attempts()).isEqualTo(3);
        });
        assertThat(outcome.exports()).extracting(DailySharing.Shared::recipient, DailySharing.Shared::format, DailySharing.Shared::rows)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("partner-cert", "stix", 2), org.assertj.core.groups.Tuple.tuple("partner-cert", "misp", 2));
        assertThat(outcome.refused()).singleElement().satisfies(refused -> {
            assertThat(refused.recipient()).isEqualTo("tiny");
            assertThat(refused.reason()).contains("row limit of 1");
        });
        Path stix = folder.resolve("exports/2018-11-02/partner-cert.stix.json");
        assertThat(new StixValidator().violations(Files.readString(stix))).isEmpty();
        assertThat(Files.readString(stix)).doesNotContain("10.1.2.3", "10.1.2.4");
        assertThat(folder.resolve("exports/2018-11-02/partner-cert.misp.json")).exists();
        assertThat(folder.resolve("exports/2018-11-02/tiny.csv.csv")).doesNotExist();
        assertThat(trail.read()).extracting(ExportTrail.Entry::operator).containsExactly("workflow run r1", "workflow run r1");
    }

    @Test
    void scheduleNamesKnownRecipientsAndFormatsWithPositions()
    {
        assertThatThrownBy(() -> SharingPolicyParser.parse(POLICY.replace("{recipient: tiny, format: csv}", "{recipient: tinny, format: pdf}"), "sharing.yaml"))
                .hasMessageContaining("sharing.yaml:18:17:")
                .hasMessageContaining("no recipient 'tinny'")
                .hasMessageContaining("did you mean 'tiny'")
                .hasMessageContaining("format 'pdf'; expected stix, misp or csv");
    }

    private static Map<String, Object> hit(String source, String destination)
    {
        Map<String, Object> hit = new LinkedHashMap<>();
        hit.put("@timestamp", "2018-11-02T10:00:00Z");
        hit.put("rule.id", "c2-feodo");
        hit.put("rule.name", "Feodo C2");
        hit.put("dragnet.topic", "c2");
        hit.put("source.ip", source);
        hit.put("destination.ip", destination);
        hit.put("threat.indicator.type", "ip");
        hit.put("threat.indicator.value", destination);
        return hit;
    }
}
