package io.dragnet.rules.internal;

import io.dragnet.contracts.IocEntry;
import io.dragnet.rules.Problem;
import io.dragnet.rules.model.IocFileReference;
import io.dragnet.rules.model.IocKind;
import io.dragnet.rules.model.SourcePosition;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

public class TestIocLoader
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");

    private final List<Problem> problems = new ArrayList<>();

    private IocLoader.Loaded load(String name, String content, IocKind kind)
    {
        return load(name, content, kind, null);
    }

    private IocLoader.Loaded load(String name, String content, IocKind kind, String column)
    {
        return IocLoader.load(new IocFileReference(name, null, column, null, new SourcePosition("r.yaml", 1, 1)), name, content, kind, DAY, problems::add);
    }

    @Test
    public void plainTextSkipsCommentsAndBlankLines()
    {
        IocLoader.Loaded loaded = load("c2.txt", "# list\n\n 1.2.3.4 \r\n5.6.7.8\n", IocKind.IP);
        assertThat(loaded.entries()).extracting(IocEntry::value).containsExactly("1.2.3.4", "5.6.7.8");
        assertThat(loaded.entries()).extracting(IocEntry::feed).containsOnly("c2");
        assertThat(problems).isEmpty();
    }

    @Test
    public void csvAbuseChLayoutWithBannerAndCrLf()
    {
        String feodo = "#####\r\n# banner\r\n#\r\n\"first_seen_utc\",\"dst_ip\",\"dst_port\",\"c2_status\",\"last_online\",\"malware\"\r\n"
                + "\"2021-01-18 09:17:45\",\"103.150.68.124\",\"449\",\"online\",\"2021-12-20\",\"TrickBot\"\r\n# END 1 entries";
        IocLoader.Loaded loaded = load("feodo.csv", feodo, IocKind.IP);
        assertThat(loaded.entries()).containsExactly(new IocEntry("103.150.68.124", "feodo", null, "2021-01-18T09:17:45Z", "TrickBot"));
    }

    @Test
    public void csvConfidenceIsANumberOrTheValueIsSkippedWithAWarningAtItsLine()
    {
        IocLoader.Loaded loaded = load("scored.csv", "value,confidence\n1.2.3.4,75\n5.6.7.8,high\n9.9.9.9,\n", IocKind.IP);
        assertThat(loaded.entries()).containsExactly(new IocEntry("1.2.3.4", "scored", 75.0, null, null), new IocEntry("9.9.9.9", "scored", null, null, null));
        assertThat(problems).isEmpty();
        assertThat(loaded.warnings()).extracting(Problem::toString)
                .containsExactly("scored.csv:3:1: confidence: expected a number (the feed's 0-100 score) or nothing; value skipped");
    }

    @Test
    public void csvNamedColumnAndErrorsWithLine()
    {
        IocLoader.Loaded loaded = load("hosts.csv", "name,address\na,1.2.3.4\nb,nope\n", IocKind.IP, "address");
        assertThat(loaded.entries()).extracting(IocEntry::value).containsExactly("1.2.3.4");
        assertThat(problems).isEmpty();
        assertThat(loaded.warnings()).extracting(Problem::toString).containsExactly("hosts.csv:3:1: value is not an IPv4 or IPv6 address (ioc: ip); value skipped");
        assertThat(loaded.skipped()).containsEntry("invalid", 1);
        load("hosts.csv", "name,address\na,1.2.3.4\n", IocKind.IP, "adress");
        assertThat(problems).extracting(Problem::toString)
                .containsExactly("hosts.csv:1:1: CSV header has no column 'adress'; expected one of [value, indicator, ioc, dst_ip, ip, ip_address, url, domain, "
                        + "hostname, md5, sha1, sha256, ja3, user_agent, keyword] or 'column' naming one of the header's columns");
    }

    @Test
    public void csvUnterminatedQuoteNamesFileAndLine()
    {
        IocLoader.Loaded loaded = load("feed.csv", "# banner\nvalue,comment\n1.2.3.4,ok\n5.6.7.8,\"never closed\n9.9.9.9,x\n", IocKind.IP);
        assertThat(loaded.entries()).extracting(IocEntry::value).containsExactly("1.2.3.4");
        assertThat(problems).extracting(Problem::toString)
                .containsExactly("feed.csv:4:1: CSV quote opened here is never closed; expected a closing '\"' before the end of the file");
    }

    @Test
    public void byteOrderMarkIsNotPartOfTheFirstValueOrColumn()
    {
        assertThat(load("c2.txt", "\uFEFF1.2.3.4\n5.6.7.8\n", IocKind.IP).entries()).extracting(IocEntry::value).containsExactly("1.2.3.4", "5.6.7.8");
        assertThat(load("c2.csv", "\uFEFFdst_ip,malware\n1.2.3.4,x\n", IocKind.IP).entries()).extracting(IocEntry::value).containsExactly("1.2.3.4");
        assertThat(load("c2.csv", "\uFEFF\"dst_ip\",malware\n1.2.3.4,x\n", IocKind.IP).entries()).extracting(IocEntry::value).containsExactly("1.2.3.4");
        assertThat(problems).isEmpty();
    }

    @Test
    public void stixValidityRevocationAndEscapes()
    {
        String bundle = """
                {"type": "bundle", "id": "bundle--1", "objects": [
                  {"type": "identity", "id": "identity--1", "name": "x"},
                  {"type": "indicator", "id": "indicator--1", "pattern": "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'it\\\\'s \\\\\\\\ bad']",
                   "pattern_type": "stix", "valid_from": "2018-11-01T00:00:00Z", "confidence": 60, "name": "ua"},
                  {"type": "indicator", "id": "indicator--2", "pattern": "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'gone']",
                   "pattern_type": "stix", "valid_from": "2018-11-01T00:00:00Z", "revoked": true},
                  {"type": "indicator", "id": "indicator--3", "pattern": "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'old']",
                   "pattern_type": "stix", "valid_from": "2018-01-01T00:00:00Z", "valid_until": "2018-11-01T23:59:59Z"},
                  {"type": "indicator", "id": "indicator--4", "pattern": "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'last day']",
                   "pattern_type": "stix", "valid_from": "2018-01-01T00:00:00Z", "valid_until": "2018-11-02T00:00:01Z"},
                  {"type": "indicator", "id": "indicator--5", "pattern": "alert tcp any any", "pattern_type": "snort", "valid_from": "2018-01-01T00:00:00Z"},
                  {"type": "indicator", "id": "indicator--6", "pattern": "[url:value = 'http://x']"}
                ]}
                """;
        IocLoader.Loaded loaded = load("intel.json", bundle, IocKind.USER_AGENT);
        assertThat(loaded.entries()).extracting(IocEntry::value).containsExactly("it's \\ bad", "last day");
        assertThat(loaded.entries().get(0)).isEqualTo(new IocEntry("it's \\ bad", "intel", 60.0, "2018-11-01T00:00:00Z", "ua"));
        assertThat(loaded.skipped()).isEqualTo(Map.of("revoked", 1, "expired", 1, "unsupported_pattern", 1));
        assertThat(problems).extracting(Problem::toString)
                .containsExactly("intel.json:12:3: STIX indicator lacks 'valid_from'; expected id, pattern and valid_from (STIX 2.1 requires them)");
    }

    @Test
    public void notABundle()
    {
        load("x.json", "{\"type\": \"indicator\"}", IocKind.IP);
        assertThat(problems).extracting(Problem::toString).containsExactly("x.json:1:1: not a STIX 2.1 bundle; expected {\"type\": \"bundle\", \"objects\": [...]}");
    }

    @Test
    public void mispToIdsAndComposites()
    {
        String event = """
                {"Event": {"info": "event", "Attribute": [
                  {"type": "ip-dst|port", "value": "190.145.74.84|449", "to_ids": true},
                  {"type": "ip-src", "value": "10.9.9.9", "to_ids": false},
                  {"type": "domain", "value": "evil.example", "to_ids": true}
                ], "Object": [{"Attribute": [{"type": "ip-dst", "value": "2001:db8::1", "to_ids": "1", "comment": "v6"}]}]}}
                """;
        IocLoader.Loaded loaded = load("event.json", event, IocKind.IP);
        assertThat(loaded.entries()).extracting(IocEntry::value).containsExactly("190.145.74.84", "2001:db8::1");
        assertThat(loaded.entries()).extracting(IocEntry::description).containsExactly("event", "v6");
        assertThat(loaded.skipped()).isEqualTo(Map.of("not_to_ids", 1, "other_kind", 1));
    }

    @Test
    public void mispDomainIpPairsGiveTheDomainToDomainSetsAndTheAddressToAddressSets()
    {
        String event = """
                {"Event": {"info": "pairs", "Attribute": [
                  {"type": "domain|ip", "value": "pair.example|203.0.113.9", "to_ids": true, "comment": "pair"},
                  {"type": "domain|ip", "value": "v6.example|2001:db8::9", "to_ids": true},
                  {"type": "domain|ip", "value": "net.example|198.51.100.0/24", "to_ids": true}
                ]}}
                """;
        IocLoader.Loaded domains = load("pairs.json", event, IocKind.DOMAIN);
        assertThat(domains.entries()).extracting(IocEntry::value).containsExactly("pair.example", "v6.example", "net.example");
        assertThat(domains.entries().get(0).description()).isEqualTo("pair");

        IocLoader.Loaded addresses = load("pairs.json", event, IocKind.IP);
        assertThat(addresses.entries()).extracting(IocEntry::value).containsExactly("203.0.113.9", "2001:db8::9");
        assertThat(addresses.entries().get(0).description()).isEqualTo("pair");
        assertThat(addresses.skipped()).as("a network is not an address").isEqualTo(Map.of("other_kind", 1));

        IocLoader.Loaded networks = load("pairs.json", event, IocKind.CIDR);
        assertThat(networks.entries()).extracting(IocEntry::value).contains("198.51.100.0/24").hasSize(3);
        assertThat(problems).isEmpty();
    }

    @Test
    public void samplesOfEveryFormatLoad()
            throws Exception
    {
        java.nio.file.Path iocs = io.dragnet.storage.RepositoryPaths.root().resolve("samples/iocs");
        assertThat(load("feodo.csv", java.nio.file.Files.readString(iocs.resolve("feodotracker_ipblocklist_2021-12-20.csv")), IocKind.IP).entries())
                .as("the 94 of 160 rows whose c2_status is online").hasSize(94);
        assertThat(load("urlhaus.csv", java.nio.file.Files.readString(iocs.resolve("urlhaus_online_sample.csv")), IocKind.DOMAIN).skipped()).isEqualTo(Map.of("other_kind", 60));
        assertThat(load("t.json", java.nio.file.Files.readString(iocs.resolve("trickbot-2018-11.stix.json")), IocKind.DOMAIN).entries())
                .extracting(IocEntry::value).containsExactly("bespokeutilitysolutions.co.uk", "aseprom.com");
        assertThat(load("m.json", java.nio.file.Files.readString(iocs.resolve("trickbot-2018-11.misp.json")), IocKind.USER_AGENT).entries())
                .extracting(IocEntry::value).containsExactly("WinHTTP loader/1.0", "WinHTTP sender/1.0");
        assertThat(problems).isEmpty();
    }
}
