package io.dragnet.rules;

import io.dragnet.contracts.GenerateJobsResult;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.OwnerOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Rule files read only the rules folder and the feed folders, and errors about a feed never show its text. */
public class TestFeedConfinement
{
    private static final String SECRET = "admin_password=hunter2-secret";

    @TempDir
    Path home;

    private RuleFolder folder()
            throws IOException
    {
        Files.writeString(home.resolve("outside.txt"), SECRET + "\n");
        return new RuleFolder(home).file("iocs/good.txt", "1.2.3.4\n");
    }

    private static String sweep(String file)
    {
        return RuleFolder.rule("r1", "[zeek_conn]", "  sel:\n    ioc: ip\n    files: ['" + file + "']\n  condition: sel\n");
    }

    private List<String> problemsFor(String file)
            throws IOException
    {
        return folder().file("rules/r1.yaml", sweep(file)).problems();
    }

    @Test
    public void feedBesideTheRulesFolderIsRead()
            throws IOException
    {
        assertThat(problemsFor("../iocs/good.txt")).isEmpty();
    }

    @Test
    public void pathsLeadingOutAreRefusedWithTheirPosition()
            throws IOException
    {
        Path outside = home.resolve("outside.txt");
        for (String path : List.of("../outside.txt", "../../../../../../" + outside, outside.toString(), outside.toUri().toString(), "file:///proc/self/environ",
                "/etc/passwd", "s3://bucket/iocs/feed.txt", "http://example.com/feed.txt", "../iocs/%2e%2e/outside.txt", "../iocs/../outside.txt")) {
            assertThat(problemsFor(path)).as(path).singleElement().asString()
                    .startsWith("r1.yaml:9:13: rule r1: IoC file path found '" + path + "'")
                    .contains("expected a path inside the rules folder or a feed folder")
                    .doesNotContain(SECRET);
        }
    }

    @Test
    public void symbolicLinkOutOfTheFolderIsRefused()
            throws IOException
    {
        RuleFolder rules = folder();
        Files.createSymbolicLink(home.resolve("iocs/link.txt"), home.resolve("outside.txt"));
        Files.createSymbolicLink(home.resolve("iocs/linked-folder"), home);
        assertThat(rules.file("rules/r1.yaml", sweep("../iocs/link.txt")).problems()).singleElement().asString()
                .startsWith("r1.yaml:9:13: rule r1: IoC file path found '../iocs/link.txt', which leads outside them");
        assertThat(rules.file("rules/r1.yaml", sweep("../iocs/linked-folder/outside.txt")).problems()).singleElement().asString()
                .contains("which leads outside them");
    }

    @Test
    public void ruleFileLinkedFromOutsideIsNotRead()
            throws IOException
    {
        RuleFolder rules = folder().file("rules/r1.yaml", sweep("../iocs/good.txt"));
        Files.writeString(home.resolve("outside.yaml"), "id: [" + SECRET);
        Files.createSymbolicLink(home.resolve("rules/evil.yaml"), home.resolve("outside.yaml"));
        assertThat(rules.problems()).containsExactly("evil.yaml: rule file is a symbolic link leading outside the rules folder; expected files inside it");
    }

    @Test
    public void declaredSourceStaysInTheLake()
            throws IOException
    {
        RuleFolder rules = folder().file("rules/r1.yaml", sweep("../iocs/good.txt"));
        for (String location : List.of("file:///etc", "/etc/{date}", "{lake}/../../etc", "{lake}/%2E%2E/etc", "s3://other-bucket/{source}")) {
            rules.file("rules/sources.yaml", "sources:\n  proxy:\n    format: jsonl\n    location: '" + location + "'\n    time_field: ts\n    fields:\n      ts: timestamp\n      url: string\n");
            assertThat(rules.problems()).as(location).containsExactly("sources.yaml:4:15: location of source 'proxy' leads outside the lake; expected a template starting "
                    + "with '{lake}/' without '..', such as {lake}/{source}/dt={date}");
        }
    }

    @Test
    public void configuredFeedFolderReplacesTheDefault()
            throws IOException
    {
        RuleFolder rules = folder().file("feeds/extra.txt", "5.6.7.8\n").file("rules/r1.yaml", sweep(home.resolve("feeds/extra.txt").toString()));
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        CompileContext base = rules.context();
        CompileContext withFeeds = new CompileContext(base.date(), base.runId(), base.lakeLocation(), base.workLocation(), base.resultsLocation(),
                base.enrichmentLocation(), List.of(home.resolve("feeds").toString()));
        assertThat(compiler.compile(compiler.load(home.resolve("rules").toString()), withFeeds).problems()).isEmpty();
        assertThat(compiler.compile(compiler.load(home.resolve("rules").toString()), base).problems()).singleElement().asString().contains("which leads outside them");
    }

    @Test
    public void errorsAboutFeedContentNameFileLineAndColumnOnly()
            throws IOException
    {
        RuleFolder rules = folder()
                .file("iocs/bad.txt", "1.2.3.4\n" + SECRET + "\n")
                .file("iocs/bad.csv", SECRET + ",other\n1,2\n")
                .file("iocs/bad.json", "{\"type\": " + SECRET + "}")
                .file("iocs/scalar.json", "\"" + SECRET + "\"")
                .file("iocs/stix.json", "{\"type\":\"bundle\",\"objects\":[{\"type\":\"indicator\",\"id\":\"" + SECRET + "\",\"pattern\":\"[ipv4-addr:value = '1.2.3.4']\","
                        + "\"valid_from\":\"" + SECRET + "\"}]}")
                .file("rules/r1.yaml", RuleFolder.rule("r1", "[zeek_conn]", "  sel:\n    ioc: ip\n    files: [../iocs/bad.txt, ../iocs/bad.csv, ../iocs/bad.json, "
                        + "../iocs/scalar.json, ../iocs/stix.json]\n  condition: sel\n"));
        String iocs = home.resolve("iocs") + "/";
        assertThat(rules.problems()).map(problem -> problem.replace(iocs, "")).containsExactly(
                "bad.csv:1:1: rule r1: CSV header has no indicator column; expected one of [value, indicator, ioc, dst_ip, ip, ip_address, url, domain, hostname, md5, sha1, "
                        + "sha256, ja3, user_agent, keyword] or 'column' naming one of the header's columns",
                "bad.json:1:24: rule r1: not valid JSON at this position; expected a well-formed document",
                "scalar.json:1:1: rule r1: expected a JSON object; found a single value",
                "stix.json:1:29: rule r1: STIX indicator's valid_from is not a timestamp; expected an RFC 3339 timestamp such as 2018-11-01T00:00:00Z");
        // a malformed value is skipped with a warning, which names the place and never the value either
        assertThat(rules.warnings()).map(warning -> warning.replace("iocs/", ""))
                .containsExactly("bad.txt:2:1: rule r1: value is not an IPv4 or IPv6 address (ioc: ip); value skipped");
    }

    @Test
    public void generateJobsProblemListNeverQuotesAFeed()
            throws IOException
    {
        folder().file("iocs/bad.txt", SECRET + "\n").file("rules/r1.yaml", sweep("../iocs/bad.txt")).file("rules/r2.yaml",
                RuleFolder.rule("r2", "[zeek_conn]", "  sel:\n    ioc: ip\n    files: [/proc/self/environ]\n  condition: sel\n"));
        GenerateJobsResult result = GenerateJobs.run(new GenerateJobsRequest(RuleFolder.DAY, "run-1", home.resolve("rules").toString(), home.resolve("work").toString(),
                home.resolve("lake").toString(), home.resolve("results").toString(), home.resolve("enrichment").toString(), false));
        // r1's only value is malformed, so its set loads nothing (an error naming why); r2's path is refused
        assertThat(result.problems()).hasSize(2).noneMatch(problem -> problem.contains(SECRET) || problem.contains("PATH="));
        assertThat(result.problems()).anySatisfy(problem -> assertThat(problem).contains("rule r1: IoC set (ioc: ip) loaded no value").contains("skipped 1 invalid"));
    }

    @Test
    public void writtenTablesAreOwnerOnly()
            throws IOException
    {
        StringBuilder keywords = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            keywords.append("keyword-").append(i).append(", ");
        }
        folder().file("rules/r1.yaml", RuleFolder.rule("r1", "[zeek_http]", "  sel:\n    user_agent.original|contains: [" + keywords + "]\n  condition: sel\n"));
        GenerateJobs.run(new GenerateJobsRequest(RuleFolder.DAY, "run-1", home.resolve("rules").toString(), home.resolve("work").toString(),
                home.resolve("lake").toString(), home.resolve("results").toString(), home.resolve("enrichment").toString(), false));
        try (Stream<Path> files = Files.walk(home.resolve("work"))) {
            List<Path> written = files.filter(Files::isRegularFile).toList();
            assertThat(written).anyMatch(file -> file.toString().endsWith(".csv"));
            for (Path file : written) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
            }
        }
    }
}
