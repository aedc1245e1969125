package io.dragnet.rules.sigma;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Predicate;
import io.dragnet.rules.Compilation;
import io.dragnet.rules.CompileContext;
import io.dragnet.rules.Problem;
import io.dragnet.rules.RuleCompiler;
import io.dragnet.rules.RuleSet;
import io.dragnet.rules.model.Correlation;
import io.dragnet.rules.model.Rule;
import io.dragnet.rules.model.Severity;
import io.dragnet.storage.LocalObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Sigma rules in a rules folder: inline YAML in, the dragnet rule or the positioned refusal out. */
class TestSigmaConverter
{
    @TempDir
    Path temp;

    private record Loaded(RuleSet ruleSet, Compilation compilation) {}

    private Loaded load(String... namesAndContents)
            throws IOException
    {
        Path rules = Files.createDirectories(temp.resolve("rules"));
        for (int i = 0; i < namesAndContents.length; i += 2) {
            Files.writeString(rules.resolve(namesAndContents[i]), namesAndContents[i + 1]);
        }
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        RuleSet ruleSet = compiler.load(rules.toString());
        Compilation compilation = compiler.compile(ruleSet, new CompileContext(LocalDate.parse("2018-11-02"), "run", "file:///lake", temp.resolve("work").toUri().toString(),
                "file:///results", "file:///enrichment"));
        return new Loaded(ruleSet, compilation);
    }

    private static String sigma(String logsource, String detection)
    {
        return "title: test rule\nid: 5f6b3a2c-0000-4000-8000-000000000001\nstatus: experimental\nlevel: high\nauthor: Someone\n"
                + "references: [https://example.org/a]\nfalsepositives: [none]\ntags: [attack.t1071]\nlogsource:\n" + logsource + "detection:\n" + detection;
    }

    private static Predicate predicate(Compilation compilation, String ruleId)
    {
        return compilation.jobs().stream().flatMap(job -> job.spec().rules().stream()).filter(rule -> rule.id().equals(ruleId))
                .map(JobSpec.RuleSpec::predicate).findFirst().orElseThrow();
    }

    private List<String> problems(Loaded loaded)
    {
        String prefix = temp.resolve("rules") + "/";
        return loaded.compilation().problems().stream().map(Problem::toString).map(text -> text.replace(prefix, "")).toList();
    }

    @Test
    void metadataIdAndFusedJob()
            throws IOException
    {
        Loaded loaded = load("proxy_ua.yml", sigma("  category: proxy\n", "  selection:\n    c-useragent|contains: evil\n  condition: selection\n"),
                "dragnet.yaml", "id: own\ntitle: own\ntopic: web\nowner: me\nsources: [zeek_http]\nmatch:\n  sel:\n    http.request.method: PUT\n  condition: sel\n");
        assertThat(problems(loaded)).isEmpty();
        SigmaRule sigma = loaded.ruleSet().sigmaRules().get(0);
        assertThat(sigma.id()).isEqualTo("sigma.proxy_ua");
        assertThat(sigma.metadata().uuid()).isEqualTo("5f6b3a2c-0000-4000-8000-000000000001");
        assertThat(sigma.metadata().references()).containsExactly("https://example.org/a");
        // the Sigma rule's status test sends it to the source's sandbox job, beside the published job of the active rule
        assertThat(loaded.compilation().jobs()).hasSize(2);
        assertThat(loaded.compilation().jobs().get(0).spec().rules()).extracting(JobSpec.RuleSpec::id).containsExactly("own");
        assertThat(loaded.compilation().jobs().get(1).sandbox()).isTrue();
        JobSpec.RuleSpec spec = loaded.compilation().jobs().get(1).spec().rules().stream().filter(rule -> rule.id().equals("sigma.proxy_ua")).findFirst().orElseThrow();
        assertThat(spec.topic()).isEqualTo("web");
        assertThat(spec.severity()).isEqualTo("high");
        assertThat(spec.tags()).containsExactly("attack.t1071", "status:test");
        assertThat(spec.predicate()).isEqualTo(new Predicate.FieldMatch("user_agent", "contains", List.of("evil"), false, false));
    }

    @Test
    void wildcardsBecomeTheSimplestComparison()
            throws IOException
    {
        Loaded loaded = load("a.yml", sigma("  category: proxy\n", """
                  sel_equals:
                    cs-method: post
                  sel_starts:
                    c-uri: ['/admin*', '/login*']
                  sel_pattern:
                    cs-host: ['ex?mple.*', '*.com']
                  sel_escaped:
                    c-uri: '/a\\*b'
                  sel_regex:
                    c-uri|re|i: '^/x'
                  sel_cased_regex:
                    c-uri|re: '^/Y'
                  condition: all of them
                """));
        assertThat(problems(loaded)).isEmpty();
        Predicate predicate = predicate(loaded.compilation(), "sigma.a");
        assertThat(predicate).isEqualTo(new Predicate.And(List.of(
                new Predicate.FieldMatch("method", "equals", List.of("post"), false, false),
                new Predicate.FieldMatch("uri", "startswith", List.of("/admin", "/login"), false, false),
                new Predicate.FieldMatch("host", "regex", List.of("(?s)^ex.mple\\..*$", "(?s)^.*\\.com$"), false, false),
                new Predicate.FieldMatch("uri", "equals", List.of("/a*b"), false, false),
                new Predicate.FieldMatch("uri", "regex", List.of("^/x"), false, false),
                new Predicate.FieldMatch("uri", "regex", List.of("^/Y"), false, true))));
    }

    @Test
    void pipelineTransformsAnchorToThePartOfTheField()
            throws IOException
    {
        Loaded loaded = load("w.yml", sigma("  category: webserver\n", """
                  query:
                    cs-uri-query: 'a=1'
                  stem:
                    cs-uri-stem|endswith: '.php'
                  condition: query or stem
                """), "d.yml", sigma("  category: dns\n", """
                  answer:
                    answer: '1.2.3.4'
                  contained:
                    answer|contains: '6.6'
                  condition: answer and contained
                """));
        assertThat(problems(loaded)).isEmpty();
        assertThat(predicate(loaded.compilation(), "sigma.w")).isEqualTo(new Predicate.Or(List.of(
                new Predicate.FieldMatch("uri", "regex", List.of("(?s)^[^?]*\\?a=1$"), false, false),
                new Predicate.FieldMatch("uri", "regex", List.of("(?s)^[^?]*\\.php(?:\\?.*)?$"), false, false))));
        assertThat(predicate(loaded.compilation(), "sigma.d")).isEqualTo(new Predicate.And(List.of(
                new Predicate.FieldMatch("answers", "regex", List.of("(?s)^(?:.*,)?1\\.2\\.3\\.4(?:,.*)?$"), false, false),
                new Predicate.FieldMatch("answers", "contains", List.of("6.6"), false, false))));
    }

    @Test
    void valueModifiers()
            throws IOException
    {
        Loaded loaded = load("m.yml", sigma("  category: proxy\n", """
                  b64:
                    c-useragent|base64: 'cmd'
                  offsets:
                    c-useragent|base64offset|contains: 'powershell'
                  wide:
                    c-useragent|wide|base64|contains: 'ab'
                  dash:
                    c-uri|windash|contains: ' -enc'
                  condition: 1 of them
                """));
        assertThat(problems(loaded)).isEmpty();
        assertThat(predicate(loaded.compilation(), "sigma.m")).isEqualTo(new Predicate.Or(List.of(
                new Predicate.FieldMatch("user_agent", "equals", List.of("Y21k"), false, false),
                new Predicate.FieldMatch("user_agent", "contains", List.of("cG93ZXJzaGVsb", "Bvd2Vyc2hlbG", "wb3dlcnNoZWxs"), false, false),
                new Predicate.FieldMatch("user_agent", "contains", List.of("YQBiAA=="), false, false),
                new Predicate.FieldMatch("uri", "contains", List.of(" -enc", " /enc", " \u2013enc", " \u2014enc", " \u2015enc"), false, false))));
    }

    @Test
    void keywordsNullThemAndUnderscores()
            throws IOException
    {
        Loaded loaded = load("k.yml", sigma("  category: webserver\n", """
                  keywords:
                    - '../..'
                    - 'etc*passwd'
                  selection:
                    cs-referer: null
                  _helper:
                    cs-method: GET
                  condition: all of them and not _helper
                """));
        assertThat(problems(loaded)).isEmpty();
        Predicate keywords = new Predicate.Or(List.of(
                new Predicate.FieldMatch("host", "regex", List.of("(?s)^.*\\.\\./\\.\\..*$", "(?s)^.*etc.*passwd.*$"), false, false),
                new Predicate.FieldMatch("uri", "regex", List.of("(?s)^.*\\.\\./\\.\\..*$", "(?s)^.*etc.*passwd.*$"), false, false),
                new Predicate.FieldMatch("user_agent", "regex", List.of("(?s)^.*\\.\\./\\.\\..*$", "(?s)^.*etc.*passwd.*$"), false, false),
                new Predicate.FieldMatch("referrer", "regex", List.of("(?s)^.*\\.\\./\\.\\..*$", "(?s)^.*etc.*passwd.*$"), false, false)));
        assertThat(predicate(loaded.compilation(), "sigma.k")).isEqualTo(new Predicate.And(List.of(
                new Predicate.And(List.of(keywords, new Predicate.Not(new Predicate.FieldMatch("referrer", "exists", List.of(), false, false)))),
                new Predicate.Not(new Predicate.FieldMatch("method", "equals", List.of("GET"), false, false)))));
    }

    @Test
    void refusalsArePositionedAndTheOtherRulesRun()
            throws IOException
    {
        Loaded loaded = load("good.yml", sigma("  category: dns\n", "  sel:\n    query|endswith: .onion\n  condition: sel\n"),
                "bad_logsource.yml", sigma("  product: zeek\n  service: dce_rpc\n", "  sel:\n    operation: x\n  condition: sel\n"),
                "bad_field.yml", sigma("  category: proxy\n", "  sel:\n    cs-cookie|contains: x\n  condition: sel\n"),
                "bad_modifier.yml", sigma("  category: proxy\n", "  sel:\n    c-uri|fieldref: cs-host\n    c-useragent|utf16le: x\n  condition: sel\n"),
                "bad_utf16.yml", sigma("  category: proxy\n", "  sel:\n    c-useragent|utf16le: x\n  condition: sel\n"),
                "bad_condition.yml", sigma("  category: proxy\n", "  sel:\n    c-uri: x\n  condition: sel and nope\n"),
                "bad_unknown.yml", sigma("  category: proxy\n", "  sel:\n    c-uri|contians: x\n  condition: sel\n"));
        assertThat(problems(loaded)).containsExactly(
                "bad_condition.yml:14:22: rule sigma.bad_condition: Sigma rule cannot run: condition refers to 'nope', which is not a selection; expected one of [sel]",
                "bad_field.yml:13:5: rule sigma.bad_field: Sigma rule cannot run: Sigma field 'cs-cookie' has no mapping for logsource category: proxy in pipeline "
                        + "built-in sources; expected one of [c-uri, cs-uri, c-uri-query, c-uri-stem, cs-host, r-dns, c-useragent, cs-method, sc-status, cs-referrer, cs-bytes, "
                        + "sc-bytes, c-ip, src_ip, dst_ip]",
                "bad_logsource.yml:10:3: rule sigma.bad_logsource: Sigma rule cannot run: logsource product: zeek, service: dce_rpc has no pipeline entry naming the "
                        + "dragnet source that holds these records; expected a pipeline in the rules folder mapping it (docs/rules.md, Sigma rules)",
                "bad_modifier.yml:13:5: rule sigma.bad_modifier: Sigma rule cannot run: modifier 'fieldref' on 'c-uri' compares two fields of one record; dragnet's "
                        + "comparisons take literal values, so the rule cannot run (expected literal values)",
                "bad_modifier.yml:14:26: rule sigma.bad_modifier: Sigma rule cannot run: modifier 'utf16le' on 'c-useragent' makes UTF-16 bytes, which network logs "
                        + "never hold as text; expected base64 or base64offset after it",
                "bad_unknown.yml:13:5: rule sigma.bad_unknown: Sigma rule cannot run: unknown modifier 'contians' on 'c-uri'; expected one of [contains, startswith, "
                        + "endswith, re, cidr, exists, gt, gte, lt, lte, fieldref], [base64, base64offset, utf16le, utf16be, utf16, wide, windash, expand] or [all, cased, i, m, s]",
                "bad_utf16.yml:13:26: rule sigma.bad_utf16: Sigma rule cannot run: modifier 'utf16le' on 'c-useragent' makes UTF-16 bytes, which network logs never "
                        + "hold as text; expected base64 or base64offset after it");
        assertThat(loaded.compilation().jobs()).extracting(job -> job.spec().rules().get(0).id()).containsExactly("sigma.good");
    }

    @Test
    void userPipelinesOverrideAndExpandPlaceholders()
            throws IOException
    {
        Loaded loaded = load("pipeline.yaml", """
                pipeline: local-proxy
                placeholders:
                  admin_paths: ['/admin', '/manage*']
                logsources:
                  - logsource: {category: proxy}
                    sources: [zeek_http]
                    topic: c2
                    fields:
                      url: uri
                """, "p.yml", sigma("  category: proxy\n", "  sel:\n    url|expand|startswith: '%admin_paths%/'\n  condition: sel\n"));
        assertThat(problems(loaded)).isEmpty();
        assertThat(loaded.compilation().jobs().get(0).spec().rules().get(0).topic()).isEqualTo("c2");
        assertThat(predicate(loaded.compilation(), "sigma.p")).isEqualTo(
                new Predicate.FieldMatch("uri", "regex", List.of("(?s)^/admin/.*$", "(?s)^/manage.*/.*$"), false, false));
    }

    @Test
    void aDeclaredSourceMapsTheSigmaLogsourcesItsRecordsAnswer()
            throws IOException
    {
        Loaded loaded = load("sources.yaml", """
                sources:
                  squid:
                    format: jsonl
                    time_field: ts
                    fields:
                      ts: timestamp
                      url: string
                      agent: string
                    sigma:
                      - logsource: {product: squid, category: proxy}
                        topic: web
                        fields:
                          c-uri: url
                          c-useragent: agent
                        keywords: [url]
                """, "squid_ua.yml", sigma("  product: squid\n  category: proxy\n", "  sel:\n    c-useragent|contains: evil\n  condition: sel\n"),
                "zeek_ua.yml", sigma("  category: proxy\n", "  sel:\n    c-useragent|contains: evil\n  condition: sel\n"));
        assertThat(problems(loaded)).isEmpty();
        // the more specific logsource reads the declared source; the plain category stays on the built-in zeek_http
        assertThat(loaded.compilation().jobs()).extracting(job -> job.spec().source().name() + ":" + job.spec().rules().get(0).id())
                .containsExactlyInAnyOrder("squid:sigma.squid_ua", "zeek_http:sigma.zeek_ua");
        assertThat(predicate(loaded.compilation(), "sigma.squid_ua")).isEqualTo(new Predicate.FieldMatch("agent", "contains", List.of("evil"), false, false));
        assertThat(loaded.ruleSet().sigmaRules()).filteredOn(rule -> rule.id().equals("sigma.squid_ua"))
                .extracting(rule -> rule.metadata().pipeline()).containsExactly("sources.yaml");
    }

    @Test
    void aDeclaredSourcesSigmaEntriesAreCheckedAgainstItsFields()
            throws IOException
    {
        Loaded loaded = load("sources.yaml", """
                sources:
                  squid:
                    format: jsonl
                    time_field: ts
                    fields:
                      ts: timestamp
                      url: string
                    sigma:
                      - logsource: {product: squid}
                        sources: [zeek_http]
                        topic: web
                        fields:
                          c-uri: uri
                """);
        assertThat(problems(loaded)).contains(
                "sources.yaml:10:9: unknown key 'sources' in logsource entry; expected one of [logsource, topic, fields, fields_as_is, keywords]",
                "sources.yaml:13:18: Sigma field 'c-uri' maps to 'uri', which source squid does not have; did you mean 'url'?");
    }

    @Test
    void convertedTextParsesBackToTheSamePredicate()
            throws IOException
    {
        String detection = """
                  sel_a:
                    - c-uri|contains|all: ['a', 'b*c']
                      cs-method: [GET, 200]
                    - c-useragent: null
                  sel_b:
                    sc-status|gte: 400
                    cs-uri|endswith: '.php'
                    cs-uri|contains: 'x'
                    c-uri-query|contains: 'q'
                    c-uri-query|endswith: 'z'
                  condition: 1 of sel_* and not sel_b
                """;
        Loaded sigma = load("t.yml", sigma("  category: proxy\n", detection));
        assertThat(problems(sigma)).isEmpty();
        SigmaRule rule = sigma.ruleSet().sigmaRules().get(0);
        String text = DragnetRuleText.of(rule.rule().orElseThrow(), rule.metadata(), "t.yml");
        Files.delete(temp.resolve("rules/t.yml"));
        Loaded dragnet = load("t.yaml", text);
        assertThat(problems(dragnet)).isEmpty();
        assertThat(dragnet.ruleSet().sigmaRules()).isEmpty();
        assertThat(predicate(dragnet.compilation(), "sigma.t")).isEqualTo(predicate(sigma.compilation(), "sigma.t"));
        assertThat(text).startsWith("# Converted from the Sigma rule t.yml (id 5f6b3a2c-0000-4000-8000-000000000001)\n");
    }
    private static final String CORRELATED_RULES = """
            title: Lookups of .top names
            name: top_lookups
            status: stable
            level: low
            logsource:
              category: dns
            detection:
              selection:
                query|endswith: '.top'
              condition: selection
            ---
            title: Executable downloads
            id: 0e95725d-7320-415d-80f7-004da920fc11
            status: stable
            logsource:
              category: proxy
            detection:
              selection:
                c-uri|endswith: '.exe'
              condition: selection
            ---
            """;

    @Test
    void sigmaCorrelationMapsOntoADragnetCorrelationOneToOne()
            throws IOException
    {
        Loaded loaded = load("pair.yml", CORRELATED_RULES + """
                title: A .top lookup followed by an executable download from the same host
                id: 11111111-2222-4333-8444-555555555555
                level: high
                correlation:
                  type: temporal_ordered
                  rules:
                    - top_lookups
                    - 0e95725d-7320-415d-80f7-004da920fc11
                  group-by:
                    - src_ip
                  timespan: 10m
                """, "count.yml", """
                title: Many distinct .top names per host
                correlation:
                  type: value_count
                  rules: [top_lookups]
                  group-by: [src_ip]
                  timespan: 1h
                  condition:
                    field: query
                    gte: 20
                """);
        assertThat(problems(loaded)).isEmpty();
        Rule ordered = loaded.ruleSet().rules().stream().map(RuleSet.LoadedRule::rule).filter(rule -> rule.id().equals("sigma.pair-3")).findFirst().orElseThrow();
        assertThat(ordered.kind()).isEqualTo(Rule.Kind.CORRELATION);
        assertThat(ordered.uuid()).isEqualTo("11111111-2222-4333-8444-555555555555");
        assertThat(ordered.severity()).isEqualTo(Severity.HIGH);
        assertThat(ordered.topic()).isEqualTo("dns");
        Correlation correlation = ordered.correlation();
        assertThat(correlation.type()).isEqualTo(Correlation.Type.TEMPORAL_ORDERED);
        assertThat(correlation.rules()).containsExactly("sigma.pair", "sigma.pair-2");
        // src_ip maps to id.orig_h in both the dns and the proxy logsource, so no alias is needed
        assertThat(correlation.groupBy()).containsExactly("id.orig_h");
        assertThat(correlation.aliases()).isEmpty();
        assertThat(correlation.timespan()).isEqualTo(java.time.Duration.ofMinutes(10));
        Rule count = loaded.ruleSet().rules().stream().map(RuleSet.LoadedRule::rule).filter(rule -> rule.id().equals("sigma.count")).findFirst().orElseThrow();
        assertThat(count.correlation().condition().field()).isEqualTo("query");
        assertThat(count.correlation().condition().bounds()).containsEntry("gte", 20.0);
        assertThat(DragnetRuleText.of(ordered, loaded.ruleSet().sigmaRules().stream().filter(sigma -> sigma.id().equals("sigma.pair-3")).findFirst().orElseThrow()
                .metadata(), "pair.yml")).contains("correlation:\n  type: temporal_ordered\n  rules:\n  - sigma.pair\n  - sigma.pair-2\n  group_by:\n  - id.orig_h\n  timespan: 10m\n");
    }

    @Test
    void sigmaCorrelationAliasesMapPerRuleThroughEachPipeline()
            throws IOException
    {
        Loaded loaded = load("pair.yml", CORRELATED_RULES + """
                title: The resolved host downloads
                correlation:
                  type: temporal
                  rules: [top_lookups, 0e95725d-7320-415d-80f7-004da920fc11]
                  group-by: [host]
                  timespan: 5m
                  aliases:
                    host:
                      top_lookups: src_ip
                      0e95725d-7320-415d-80f7-004da920fc11: dst_ip
                """);
        assertThat(problems(loaded)).isEmpty();
        Correlation correlation = loaded.ruleSet().rules().stream().map(RuleSet.LoadedRule::rule).filter(rule -> rule.id().equals("sigma.pair-3")).findFirst()
                .orElseThrow().correlation();
        assertThat(correlation.groupBy()).containsExactly("host");
        assertThat(correlation.aliases()).isEqualTo(java.util.Map.of("host", java.util.Map.of("sigma.pair", "id.orig_h", "sigma.pair-2", "id.resp_h")));
    }

    @Test
    void sigmaCorrelationsWithoutAMappingAreRefusedWhereTheyAre()
            throws IOException
    {
        Loaded loaded = load("pair.yml", CORRELATED_RULES + """
                title: Refused
                correlation:
                  type: event_count
                  rules: [top_lookups, no_such_rule]
                  group-by: [c-useragent]
                  timespan: 2d
                  condition: {gte: 3}
                """);
        assertThat(problems(loaded)).containsExactly(
                "pair.yml:25:24: rule sigma.pair-3: Sigma rule cannot run: correlation refers to 'no_such_rule', which is the id or name of no Sigma rule of this folder; "
                        + "expected the id or name of a rule here",
                "pair.yml:26:13: rule sigma.pair-3: Sigma rule cannot run: group-by field 'c-useragent' of rule 'sigma.pair' has no mapping in pipeline built-in sources for "
                        + "logsource category: dns; expected a field the pipeline maps",
                "pair.yml:27:13: rule sigma.pair-3: Sigma rule cannot run: timespan 2d is longer than the one day of hits a dragnet run correlates; expected at most 1d");
        assertThat(loaded.ruleSet().rules()).extracting(loaded2 -> loaded2.rule().id()).containsExactlyInAnyOrder("sigma.pair", "sigma.pair-2");
    }
}
