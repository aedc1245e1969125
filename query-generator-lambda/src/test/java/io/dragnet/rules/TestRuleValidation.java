package io.dragnet.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.dragnet.rules.RuleFolder.rule;
import static org.assertj.core.api.Assertions.assertThat;

/** One test per kind of validation error: the exact message and where it points. */
public class TestRuleValidation
{
    @TempDir
    Path temp;

    private RuleFolder folder()
    {
        return new RuleFolder(temp);
    }

    private static final String SIMPLE_MATCH = "  sel:\n    destination.port: 449\n  condition: sel\n";

    @Test
    public void validRuleHasNoProblems()
    {
        Compilation compilation = folder().file("rules/a.yaml", rule("ok", "[zeek_conn]", SIMPLE_MATCH)).compile();
        assertThat(compilation.problems()).isEmpty();
        assertThat(compilation.jobs()).hasSize(1);
    }

    @Test
    public void unknownKeyWithSuggestion()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH) + "sevrity: high\n").problems())
                .containsExactly("a.yaml:10:1: rule r: unknown key 'sevrity' in rule; expected one of [id, title, description, topic, owner, tags, status, severity, "
                        + "sources, match, window, enrich, output, references, falsepositives, aggregate, correlation, uuid, notify]; did you mean 'severity'?");
    }

    @Test
    public void notifyNamesChannelsOnceEach()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH) + "notify: [soc-chat, 7, Soc Chat, soc-chat]\n").problems())
                .containsExactly(
                        "a.yaml:10:20: rule r: 'notify' lists number 7; expected channel names of the sharing policy (lower-case letters, digits, '-' and '_', starting with a letter)",
                        "a.yaml:10:23: rule r: 'notify' lists string 'Soc Chat'; expected channel names of the sharing policy (lower-case letters, digits, '-' and '_', starting with a letter)",
                        "a.yaml:10:33: rule r: channel 'soc-chat' is named twice in 'notify'; expected each channel once");
        Compilation valid = new RuleFolder(temp.resolve("valid")).file("rules/b.yaml", rule("s", "[zeek_conn]", SIMPLE_MATCH) + "notify: soc-chat\n").compile();
        assertThat(valid.problems()).isEmpty();
    }

    @Test
    public void missingKey()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH).replace("owner: tests\n", "")).problems())
                .containsExactly("a.yaml:1:1: rule r: missing key 'owner'");
    }

    @Test
    public void wrongTypeOfValue()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH).replace("title: Test rule", "title: [a, b]")).problems())
                .containsExactly("a.yaml:2:8: rule r: 'title' must be a non-empty string; found a list");
    }

    @Test
    public void unknownTopic()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH).replace("topic: c2", "topic: dsn")).problems())
                .containsExactly("a.yaml:3:8: rule r: unknown topic 'dsn'; expected one of [c2, dns, web, nids]; did you mean 'dns'?");
    }

    @Test
    public void badEnumeration()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH) + "severity: hihg\n").problems())
                .containsExactly("a.yaml:10:11: rule r: 'severity' is string 'hihg'; expected one of [informational, low, medium, high, critical]; did you mean 'high'?");
    }

    @Test
    public void badRuleId()
    {
        assertThat(folder().file("rules/a.yaml", rule("Bad Id!", "[zeek_conn]", SIMPLE_MATCH)).problems())
                .containsExactly("a.yaml:1:5: rule Bad Id!: rule id 'Bad Id!' is not allowed; expected lower-case letters, digits, '.', '_' or '-' (at most 80, starting with a letter or digit)");
    }

    @Test
    public void unknownSource()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_con]", SIMPLE_MATCH)).problems())
                .containsExactly("a.yaml:5:11: rule r: unknown source 'zeek_con'; expected one of [zeek_conn, zeek_dns, zeek_http, zeek_ssl, nids_verdicts] "
                        + "or a source declared in sources.yaml; did you mean 'zeek_conn'?");
    }

    @Test
    public void emptySources()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[]", SIMPLE_MATCH)).problems())
                .containsExactly("a.yaml:5:10: rule r: 'sources' is empty; expected at least one source");
    }

    @Test
    public void unknownModifier()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    destination.ip|cidrr: 10.0.0.0/8\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:5: rule r: unknown modifier 'cidrr' on field 'destination.ip'; expected one of "
                        + "[contains, startswith, endswith, re, cidr, gt, gte, lt, lte, all, exists, cased, entropy]; did you mean 'cidr'?");
    }

    @Test
    public void conflictingModifiers()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_http]", "  sel:\n    url.path|contains|endswith: x\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:5: rule r: modifiers [contains, endswith] on field 'url.path' cannot be combined; expected at most one comparison modifier "
                        + "(use two selections for two comparisons)");
    }

    @Test
    public void repeatedModifier()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_http]", "  sel:\n    url.path|contains|contains: x\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:5: rule r: modifier 'contains' is written twice on field 'url.path'; expected each modifier once");
    }

    @Test
    public void unknownField()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_dns]", "  sel:\n    dns.question.nam: evil.example\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:5: rule r: source zeek_dns has no field 'dns.question.nam'; expected a field of zeek_dns or an ECS name mapped to one; "
                        + "did you mean 'dns.question.name'?");
    }

    @Test
    public void fieldOfAnotherSource()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_dns, zeek_http]", "  sel:\n    url.domain: evil.example\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:5: rule r: source zeek_dns has no field 'url.domain'; expected a field of zeek_dns or an ECS name mapped to one");
    }

    @Test
    public void numberExpected()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    destination.port: [443, '4x9']\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:29: rule r: field 'destination.port' (id.resp_p in zeek_conn, long): found string '4x9'; expected an integer");
    }

    @Test
    public void ipExpected()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    destination.ip: 10.0.0.0/8\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:21: rule r: field 'destination.ip' (id.resp_h in zeek_conn, ip): found string '10.0.0.0/8'; "
                        + "expected an IPv4 or IPv6 address (use '|cidr' for networks)");
    }

    @Test
    public void badCidr()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    source.ip|cidr: 10.0.0.0/33\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:21: rule r: field 'source.ip' (id.orig_h in zeek_conn, ip): found '10.0.0.0/33'; expected a CIDR such as 10.0.0.0/8 or 2001:db8::/32");
    }

    @Test
    public void badRegularExpression()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_http]", "  sel:\n    url.path|re: '([a-z'\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:18: rule r: field 'url.path' (uri in zeek_http, string): regular expression is not RE2 syntax "
                        + "(missing closing ]); expected an RE2 regular expression (no backreferences, lookahead, lookbehind or possessive quantifiers)");
    }

    @Test
    public void regularExpressionsOutsideRe2AreRefused()
    {
        for (String pattern : List.of("(a)\\1", "a(?=b)", "(?<!x)a", "a++", "(?>ab)")) {
            assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_http]", "  sel:\n    url.path|re: '" + pattern + "'\n  condition: sel\n")).problems())
                    .as(pattern).singleElement().asString().startsWith("a.yaml:8:18: rule r: field 'url.path' (uri in zeek_http, string): regular expression is not RE2 syntax");
        }
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_http]", "  sel:\n    url.path|re: '(.*a){12}x'\n  condition: sel\n")).problems()).isEmpty();
    }

    @Test
    public void textModifierOnNumber()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    destination.port|contains: 44\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:32: rule r: field 'destination.port' (id.resp_p in zeek_conn, long): 'contains' expects a string field "
                        + "(compare numbers with gt/gte/lt/lte)");
    }

    @Test
    public void comparisonOnString()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_http]", "  sel:\n    url.path|gt: 5\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:18: rule r: field 'url.path' (uri in zeek_http, string): 'gt' expects a long, double or timestamp field");
    }

    @Test
    public void casedOnNumber()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    destination.port|cased: 449\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:5: rule r: modifier 'cased' on field 'destination.port' (long) has no effect; expected it only on text comparisons of string fields");
    }

    @Test
    public void existsNeedsBoolean()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_ssl]", "  sel:\n    tls.server.name|exists: yes please\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:29: rule r: 'tls.server.name|exists' needs true or false; found string 'yes please'");
    }

    @Test
    public void nullMixedWithValues()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_ssl]", "  sel:\n    tls.server.name: [a.example, null]\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:5: rule r: null in the values of 'tls.server.name'; expected null alone and without modifiers (it means the field is unset)");
    }

    @Test
    public void emptyValueList()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_ssl]", "  sel:\n    tls.server.name: []\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:22: rule r: field 'tls.server.name' has an empty list of values; expected at least one value");
    }

    @Test
    public void unknownIocKind()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    ioc: ipv4\n    values: [1.2.3.4]\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:10: rule r: unknown IoC kind 'ipv4'; expected one of [ip, cidr, domain, url, md5, sha1, sha256, ja3, user_agent, keyword]; did you mean 'ip'?");
    }

    @Test
    public void iocWithoutIndicators()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    ioc: ip\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:5: rule r: IoC selection has no indicators; expected 'values', 'files' or both");
    }

    @Test
    public void invalidInlineIndicator()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    ioc: ip\n    values: [1.2.3.4, 300.1.1.1]\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:9:23: rule r: '300.1.1.1' is not an IPv4 or IPv6 address; expected a valid ip indicator");
    }

    @Test
    public void unknownKeyInIocSelection()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    ioc: ip\n    value: [1.2.3.4]\n  condition: sel\n")).problems())
                .containsExactly(
                        "a.yaml:8:5: rule r: IoC selection has no indicators; expected 'values', 'files' or both",
                        "a.yaml:9:5: rule r: unknown key 'value' in ioc selection; expected one of [ioc, values, files, fields, cased, min_confidence]; did you mean 'values'?");
    }

    @Test
    public void iocKindWithoutFieldInSource()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_http]", "  sel:\n    ioc: url\n    values: ['http://evil.example/a']\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:5: rule r: source zeek_http has none of the fields 'ioc: url' is matched against by default [url.full]; expected 'fields' naming "
                        + "fields of zeek_http (Zeek http.log splits URLs into host and uri: sweep URL feeds with 'ioc: domain', which takes the host of each URL)");
    }

    @Test
    public void keywordsNeedFields()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_http]", "  sel:\n    ioc: keyword\n    values: [mimikatz]\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:5: rule r: 'ioc: keyword' needs 'fields'; expected the fields to search for the keywords, e.g. [user_agent.original]");
    }

    @Test
    public void missingIocFile()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    ioc: ip\n    files: [../iocs/none.txt]\n  condition: sel\n")).problems())
                .singleElement().asString()
                .startsWith("a.yaml:9:13: rule r: IoC file '../iocs/none.txt' cannot be read (")
                .endsWith("iocs/none.txt does not exist); expected a file relative to the rule file");
    }

    @Test
    public void invalidValueInIocFile()
    {
        RuleFolder folder = folder()
                .file("iocs/c2.txt", "# C2\n1.2.3.4\nnot-an-ip\n")
                .file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    ioc: ip\n    files: [../iocs/c2.txt]\n  condition: sel\n"));
        // the bad value is skipped with its position; the rule runs with the rest
        assertThat(folder.problems()).isEmpty();
        assertThat(folder.warnings()).containsExactly("iocs/c2.txt:3:1: rule r: value is not an IPv4 or IPv6 address (ioc: ip); value skipped");
        assertThat(folder.compile().jobs()).singleElement().satisfies(job -> assertThat(job.spec().iocTables()).singleElement()
                .satisfies(table -> assertThat(table.entries()).isEqualTo(1)));
    }

    @Test
    public void iocSetThatLoadsNothingIsAnErrorNamingWhy()
    {
        RuleFolder folder = folder()
                .file("iocs/nets.txt", "# C2 networks\n10.0.0.0/8\n192.0.2.0/24\n")
                .file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    ioc: ip\n    files: [../iocs/nets.txt]\n  condition: sel\n"));
        assertThat(folder.problems()).singleElement().asString()
                .isEqualTo("a.yaml:8:5: rule r: IoC set (ioc: ip) loaded no value from [../iocs/nets.txt]: skipped 2 other_kind (other_kind: values of another kind, "
                        + "e.g. CIDRs in an 'ioc: ip' set, which 'ioc: cidr' takes); expected at least one ip indicator");
    }

    @Test
    public void conditionSyntax()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    destination.port: 449\n  condition: sel and (sel or\n")).problems())
                .containsExactly("a.yaml:9:29: rule r: condition ends early; expected a selection name, 'not', '(' or '1 of'/'all of'");
    }

    @Test
    public void conditionUnknownSelection()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  selection:\n    destination.port: 449\n  condition: selection and not filtr\n")).problems())
                .containsExactly("a.yaml:9:32: rule r: condition refers to 'filtr', which is not a selection; expected one of [selection]");
    }

    @Test
    public void conditionTypoSuggestion()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  selection:\n    destination.port: 449\n  condition: selecton\n")).problems())
                .containsExactly("a.yaml:9:14: rule r: condition refers to 'selecton', which is not a selection; expected one of [selection]; did you mean 'selection'?");
    }

    @Test
    public void quantifierMatchesNothing()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    destination.port: 449\n  condition: sel or 1 of filter_*\n")).problems())
                .containsExactly("a.yaml:9:26: rule r: 'filter_*' matches no selection; expected a pattern matching one of [sel]");
    }

    @Test
    public void unusedSelection()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    destination.port: 449\n  other:\n    destination.port: 447\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:9:3: rule r: selection 'other' is not used by the condition; expected every selection to be referenced (remove it or use it)");
    }

    @Test
    public void missingCondition()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", "  sel:\n    destination.port: 449\n")).problems())
                .containsExactly("a.yaml:7:3: rule r: missing key 'condition' in 'match'; expected an expression over the selections, e.g. 'all of them'");
    }

    /** Who may read a hit depends on its asset's criticality: with an inventory, every job looks assets up, asked or not. */
    @Test
    public void everyJobLooksAssetsUpWhenAnInventoryExists()
            throws java.io.IOException
    {
        RuleFolder folder = folder().file("rules/a.yaml", rule("no-enrichment", "[zeek_conn]", SIMPLE_MATCH));
        RuleCompiler compiler = new RuleCompiler(new io.dragnet.storage.LocalObjectStore());
        Path enrichment = temp.resolve("enrichment");
        CompileContext context = new CompileContext(RuleFolder.DAY, "run-1", "file:///lake", temp.resolve("work").toUri().toString(),
                "file:///results", enrichment.toUri().toString());
        Compilation without = compiler.compile(compiler.load(folder.root().resolve("rules").toString()), context);
        assertThat(without.jobs()).singleElement().satisfies(job -> assertThat(job.spec().enrichmentData()).doesNotContainKey("asset_inventory"));

        java.nio.file.Files.createDirectories(enrichment);
        java.nio.file.Files.writeString(enrichment.resolve(RuleCompiler.ASSET_INVENTORY_FILE), "cidr,owner,criticality,description\n10.0.0.0/8,it,restricted,lab\n");
        Compilation with = compiler.compile(compiler.load(folder.root().resolve("rules").toString()), context);
        assertThat(with.jobs()).singleElement().satisfies(job -> {
            assertThat(job.spec().rules()).singleElement().satisfies(rule -> assertThat(rule.enrich()).isEmpty());
            assertThat(job.spec().enrichmentData()).containsEntry("asset_inventory", enrichment.resolve(RuleCompiler.ASSET_INVENTORY_FILE).toUri().toString());
        });
    }

    @Test
    public void unknownEnrichment()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH) + "enrich: [geo, asset_ownr]\n").problems())
                .containsExactly("a.yaml:10:15: rule r: unknown enrichment 'asset_ownr'; expected one of [ioc_metadata, asset_owner, geo, first_last_seen, nids_verdict]; "
                        + "did you mean 'asset_owner'?");
    }

    @Test
    public void badWindow()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH) + "window:\n  from: '8am'\n  to: '18:00'\n").problems())
                .containsExactly("a.yaml:11:9: rule r: window from '8am' is not a time; expected HH:mm in UTC, e.g. '08:00' (quoted)");
    }

    @Test
    public void emptyWindow()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH) + "window:\n  from: '08:00'\n  to: '08:00'\n").problems())
                .containsExactly("a.yaml:11:3: rule r: window from 08:00 to 08:00 is empty; expected two different times (from > to wraps past midnight)");
    }

    @Test
    public void windowWrapsPastMidnightAndEndsAt2400()
    {
        Compilation night = folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH) + "window:\n  from: '22:00'\n  to: '06:00'\n").compile();
        assertThat(night.problems()).isEmpty();
        assertThat(night.jobs().get(0).spec().rules().get(0).timeWindow()).isEqualTo(new io.dragnet.contracts.JobSpec.TimeWindow("22:00", "06:00"));
        Compilation evening = folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH) + "window:\n  from: '18:00'\n  to: '24:00'\n").compile();
        assertThat(evening.jobs().get(0).spec().rules().get(0).timeWindow()).isEqualTo(new io.dragnet.contracts.JobSpec.TimeWindow("18:00", "00:00"));
    }

    @Test
    public void outputFieldNotInSources()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH) + "output:\n  fields: [destination.ipp]\n").problems())
                .containsExactly("a.yaml:1:1: rule r: output field 'destination.ipp' is in none of the rule's sources [zeek_conn]; expected a field of one of them; "
                        + "did you mean 'destination.ip'?");
    }

    @Test
    public void duplicateYamlKey()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH) + "title: Again\n").problems())
                .containsExactly("a.yaml:10:1: duplicate key 'title' (first written at line 2); expected each key once");
    }

    @Test
    public void invalidYaml()
    {
        assertThat(folder().file("rules/a.yaml", "id: r\ntitle: [unclosed\n").problems())
                .singleElement().asString().startsWith("a.yaml:2:17: not valid YAML: while parsing a flow sequence");
    }

    @Test
    public void duplicateRuleIds()
    {
        RuleFolder folder = folder()
                .file("rules/a.yaml", rule("same", "[zeek_conn]", SIMPLE_MATCH))
                .file("rules/b.yaml", rule("same", "[zeek_conn]", SIMPLE_MATCH));
        assertThat(folder.problems()).containsExactly(
                "a.yaml:1:1: rule same: duplicate rule id 'same' (also at b.yaml:1:1); expected every rule id once",
                "b.yaml:1:1: rule same: duplicate rule id 'same' (also at a.yaml:1:1); expected every rule id once");
        assertThat(folder.compile().jobs()).isEmpty();
    }

    @Test
    public void nulCharacterRefused()
    {
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_http]", "  sel:\n    url.path: \"/a\\0b\"\n  condition: sel\n")).problems())
                .containsExactly("a.yaml:8:15: rule r: value of field 'url.path' contains a NUL character at offset 2; expected text without NUL "
                        + "(write \\x00 to match Zeek's escaped form)");
    }

    @Test
    public void tenMegabyteValueRefused()
    {
        String huge = "A".repeat(10 * 1024 * 1024);
        assertThat(folder().file("rules/a.yaml", rule("r", "[zeek_http]", "  sel:\n    url.path: '" + huge + "'\n  condition: sel\n")).problems())
                .containsExactly("a.yaml: file has 10485875 characters; expected at most 1048576 (put long value lists in an IoC file and reference it with 'files')");
    }

    @Test
    public void longValueInIocFileRefused()
    {
        RuleFolder folder = folder()
                .file("iocs/ua.txt", "curl/8.0\n" + "B".repeat(10 * 1024 * 1024) + "\n")
                .file("rules/a.yaml", rule("r", "[zeek_http]", "  sel:\n    ioc: user_agent\n    files: [../iocs/ua.txt]\n  condition: sel\n"));
        assertThat(folder.problems()).isEmpty();
        assertThat(folder.warnings()).containsExactly("iocs/ua.txt:2:1: rule r: indicator has 10485760 characters; expected at most 65536; value skipped");
    }

    @Test
    public void brokenRuleDoesNotStopGoodOnes()
    {
        Compilation compilation = folder()
                .file("rules/good.yaml", rule("good", "[zeek_conn]", SIMPLE_MATCH))
                .file("rules/bad.yaml", rule("bad", "[zeek_conn]", "  sel:\n    destination.prt: 449\n  condition: sel\n"))
                .compile();
        assertThat(compilation.problems()).hasSize(1);
        assertThat(compilation.jobs()).singleElement().satisfies(job -> assertThat(job.spec().rules()).extracting(rule -> rule.id()).containsExactly("good"));
    }

    @Test
    public void sourcesFileProblems()
    {
        RuleFolder folder = folder()
                .file("rules/sources.yaml", """
                        sources:
                          proxy:
                            format: jsonlines
                            time_field: url
                            fields:
                              url: text
                              client: ip
                            mapping:
                              url.full: uri
                        """)
                .file("rules/a.yaml", rule("r", "[zeek_conn]", SIMPLE_MATCH));
        assertThat(folder.problems()).containsExactly(
                "sources.yaml:3:13: unknown format 'jsonlines' for source 'proxy'; expected one of [zeek_tsv, zeek_json, parquet, csv, jsonl]; did you mean 'jsonl'?",
                "sources.yaml:6:12: field 'url' of source 'proxy' has unknown type 'text'; expected one of [string, long, double, boolean, timestamp, ip]",
                "sources.yaml:9:17: mapping of 'url.full' names field 'uri', which source 'proxy' does not have; expected one of its fields; did you mean 'url'?");
    }

    @Test
    public void problemsAreSortedByFileAndLine()
    {
        RuleFolder folder = folder()
                .file("rules/b.yaml", rule("b", "[zeek_conn]", SIMPLE_MATCH).replace("topic: c2", "topic: x") + "sevrity: high\n")
                .file("rules/a.yaml", rule("a", "[zeek_con]", SIMPLE_MATCH));
        assertThat(folder.problems()).extracting(problem -> problem.substring(0, problem.indexOf(": "))).containsExactly("a.yaml:5:11", "b.yaml:3:8", "b.yaml:10:1");
    }
}
