package io.dragnet.rules.internal;

import io.dragnet.contracts.IocEntry;
import io.dragnet.rules.Problem;
import io.dragnet.rules.model.IocFileReference;
import io.dragnet.rules.model.IocKind;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feed hygiene over the real abuse.ch exports and STIX examples of ../shared/datasets: malformed values are skipped with
 * a positioned warning, offline and stale rows are left out, the latest version of a STIX object stands, confidence
 * floors apply, and first_seen is ISO-8601 UTC. Expected counts are the files' own, counted independently with
 * {@code python3 -c "import csv…"} over the same files (the commands are beside each figure).
 */
final class TestFeedHygiene
{
    private static final Path DATASETS = RepositoryPaths.root().resolveSibling("shared").resolve("datasets");
    private static final Path FEODO = DATASETS.resolve("ioc/feodotracker_ipblocklist_2021-12-20.csv");
    private static final Path URLHAUS = DATASETS.resolve("ioc/urlhaus_online_2025-04-21.csv");
    private static final Path STIX_C2 = DATASETS.resolve("stix2.1-schemas/examples/indicator-for-c2-ip-address.json");

    private final List<Problem> problems = new ArrayList<>();

    private IocLoader.Loaded load(Path file, String content, IocKind kind, LocalDate day, IocFileReference.Freshness freshness, Integer minConfidence)
    {
        String name = file.getFileName().toString();
        return IocLoader.load(new IocFileReference(name, null, null, null, freshness, new SourcePosition("r.yaml", 1, 1)), name, content, kind, day, minConfidence,
                problems::add);
    }

    private static String read(Path file)
            throws IOException
    {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void feodoTrackerRowsMarkedOfflineAreLeftOut()
            throws IOException
    {
        // c2_status: 434 offline, 316 online (csv.DictReader over the rows after the '#' banner; SOURCES.md says the same)
        IocLoader.Loaded loaded = load(FEODO, read(FEODO), IocKind.IP, LocalDate.parse("2021-12-20"), IocFileReference.Freshness.WELL_KNOWN, null);

        assertThat(problems).isEmpty();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.skipped()).containsEntry("offline", 434).doesNotContainKey("not_seen_recently");
        assertThat(loaded.entries()).hasSize(316);
        // first_seen_utc "2021-01-17 07:44:46" (UTC) becomes ISO-8601 UTC
        assertThat(loaded.entries().get(0).firstSeen()).isEqualTo("2021-01-17T07:44:46Z");
    }

    @Test
    void feedColumnsAreConfigurablePerFeed()
            throws IOException
    {
        // status switched off, last_online at most 7 days before 2021-12-20: 425 of 750 rows (last_online >= 2021-12-13)
        IocLoader.Loaded lastWeek = load(FEODO, read(FEODO), IocKind.IP, LocalDate.parse("2021-12-20"),
                new IocFileReference.Freshness(IocFileReference.Freshness.NONE, List.of("online"), "last_online", 7), null);
        assertThat(lastWeek.entries()).hasSize(425);
        assertThat(lastWeek.skipped()).containsEntry("not_seen_recently", 325).doesNotContainKey("offline");

        IocLoader.Loaded everything = load(FEODO, read(FEODO), IocKind.IP, LocalDate.parse("2021-12-20"),
                new IocFileReference.Freshness(IocFileReference.Freshness.NONE, List.of(), IocFileReference.Freshness.NONE, 0), null);
        assertThat(everything.entries()).hasSize(750);
        assertThat(everything.skipped()).isEmpty();

        // URLhaus: url_status is honoured too (every row of this export is online, so asking for 'offline' keeps none)
        IocLoader.Loaded urlhaus = load(URLHAUS, read(URLHAUS), IocKind.DOMAIN, LocalDate.parse("2025-04-21"),
                new IocFileReference.Freshness(null, List.of("offline"), null, 30), null);
        assertThat(urlhaus.entries()).isEmpty();
        assertThat(urlhaus.skipped()).containsEntry("offline", 11_125);

        IocLoader.Loaded missingColumn = load(FEODO, read(FEODO), IocKind.IP, LocalDate.parse("2021-12-20"),
                new IocFileReference.Freshness("status", List.of("online"), null, 30), null);
        assertThat(problems).singleElement().satisfies(problem -> assertThat(problem.message())
                .contains("no column 'status' named by status_column"));
        assertThat(missingColumn.skipped()).doesNotContainKey("offline");
    }

    @Test
    void aMalformedValueIsSkippedWithAPositionedWarningAndTheRestLoads()
            throws IOException
    {
        // line 10 of the file is the first data row: 51.178.161.32; make it malformed
        String text = read(FEODO);
        assertThat(text.split("\r\n")[9]).startsWith("\"2021-01-17 07:44:46\",\"51.178.161.32\"");
        String broken = text.replaceFirst("\"51\\.178\\.161\\.32\"", "\"51.178.161.3x\"");

        IocLoader.Loaded loaded = load(FEODO, broken, IocKind.IP, LocalDate.parse("2021-12-20"), IocFileReference.Freshness.WELL_KNOWN, null);

        assertThat(problems).isEmpty();
        assertThat(loaded.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.position().line()).isEqualTo(10);
            assertThat(warning.message()).contains("(ioc: ip); value skipped").doesNotContain("51.178.161.3x");
        });
        assertThat(loaded.skipped()).containsEntry("invalid", 1).containsEntry("offline", 434);
        assertThat(loaded.entries()).hasSize(315);
    }

    @Test
    void onlyTheLatestVersionOfAStixObjectIsUsed()
            throws IOException
    {
        // the OASIS example indicator, and a later version of it (same id, later modified) that changes its pattern
        String original = read(STIX_C2);
        assertThat(original).contains("\"id\": \"indicator--33fe3b22-0201-47cf-85d0-97c02164528d\"").contains("[ipv4-addr:value = '10.0.0.0']");
        int objectStart = original.indexOf("{", original.indexOf("\"objects\""));
        int objectEnd = original.lastIndexOf("}", original.lastIndexOf("]"));
        String object = original.substring(objectStart, objectEnd + 1);
        String newer = object.replace("\"modified\": \"2014-05-08T09:00:00.000Z\"", "\"modified\": \"2014-06-01T00:00:00.000Z\"")
                .replace("10.0.0.0", "198.51.100.7");
        assertThat(newer).isNotEqualTo(object);
        // the newer version first: order in the bundle does not decide, modified does
        String bundle = original.substring(0, objectStart) + newer + ",\n" + object + original.substring(objectEnd + 1);

        IocLoader.Loaded loaded = load(STIX_C2, bundle, IocKind.IP, LocalDate.parse("2014-06-02"), IocFileReference.Freshness.WELL_KNOWN, null);

        assertThat(problems).isEmpty();
        assertThat(loaded.entries()).extracting(IocEntry::value).containsExactly("198.51.100.7");
        assertThat(loaded.skipped()).containsEntry("superseded_version", 1);
        assertThat(loaded.entries().get(0).firstSeen()).isEqualTo("2014-05-08T09:00:00Z");
    }

    @Test
    void minConfidenceLeavesOutIndicatorsBelowItOrWithoutOne()
            throws IOException
    {
        // the sample bundle's domain indicator (bespokeutilitysolutions.co.uk, aseprom.com) has confidence 85
        Path stix = RepositoryPaths.samples().resolve("iocs/trickbot-2018-11.stix.json");
        LocalDate day = LocalDate.parse("2018-11-02");
        IocLoader.Loaded atFifty = load(stix, read(stix), IocKind.DOMAIN, day, IocFileReference.Freshness.WELL_KNOWN, 50);
        IocLoader.Loaded atNinety = load(stix, read(stix), IocKind.DOMAIN, day, IocFileReference.Freshness.WELL_KNOWN, 90);

        assertThat(atFifty.entries()).extracting(IocEntry::value).containsExactly("bespokeutilitysolutions.co.uk", "aseprom.com");
        assertThat(atNinety.entries()).isEmpty();
        assertThat(atNinety.skipped()).containsEntry("below_min_confidence", 2);

        // a feed without confidences gives nothing to a rule that asks for one, and says so
        IocLoader.Loaded feodo = load(FEODO, read(FEODO), IocKind.IP, LocalDate.parse("2021-12-20"), IocFileReference.Freshness.WELL_KNOWN, 50);
        assertThat(feodo.entries()).isEmpty();
        assertThat(feodo.skipped()).containsEntry("no_confidence", 316);
    }

    @Test
    void mispEpochSecondsBecomeIsoUtc()
    {
        String misp = """
                {"Event": {"info": "trickbot", "Attribute": [
                  {"type": "ip-dst", "value": "190.145.74.84", "to_ids": true, "timestamp": "1541116800"},
                  {"type": "ip-dst", "value": "185.62.188.30", "to_ids": true, "first_seen": "2018-11-02T10:00:00.000000+02:00"}
                ]}}
                """;
        IocLoader.Loaded loaded = IocLoader.load(new IocFileReference("t.misp.json", "misp", null, null, new SourcePosition("r.yaml", 1, 1)), "t.misp.json", misp,
                IocKind.IP, LocalDate.parse("2018-11-02"), problems::add);

        assertThat(loaded.entries()).extracting(IocEntry::firstSeen).containsExactly("2018-11-02T00:00:00Z", "2018-11-02T08:00:00Z");
    }
}
