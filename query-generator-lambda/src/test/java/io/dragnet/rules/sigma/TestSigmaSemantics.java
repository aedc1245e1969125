package io.dragnet.rules.sigma;

import io.dragnet.contracts.JobSpec;
import io.dragnet.rules.Compilation;
import io.dragnet.rules.CompileContext;
import io.dragnet.rules.JobWriter;
import io.dragnet.rules.Locations;
import io.dragnet.rules.RuleCompiler;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sigma semantics through the whole path: Sigma rules in a rules folder, compiled into one fused zeek_http job and run by
 * the real Spark backend over hand-written records; each rule must hit exactly the records listed, and no others.
 * Then a property: random Sigma rules and their dragnet equivalents, written by an independent translation here, hit
 * the same records. All rules of the class run in one job.
 */
@Tag("integration")
class TestSigmaSemantics
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final List<String> HTTP_FIELDS = List.of("ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "trans_depth", "method", "host", "uri",
            "referrer", "version", "user_agent", "origin", "request_body_len", "response_body_len", "status_code", "status_msg", "info_code", "info_msg", "tags",
            "username", "password", "proxied", "orig_fuids", "orig_filenames", "orig_mime_types", "resp_fuids", "resp_filenames", "resp_mime_types");
    private static final String HTTP_TYPES = "time\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring\tstring\tstring\tstring\tstring\tcount\tcount\tcount"
            + "\tstring\tcount\tstring\tset[enum]\tstring\tstring\tset[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]";
    /** The records: uid → fields (others unset). */
    private static final Map<String, Map<String, String>> RECORDS = new LinkedHashMap<>();

    static {
        RECORDS.put("H1", Map.of("method", "POST", "host", "example.com", "uri", "/admin/login.php?user=a", "user_agent", "Mozilla/5.0 (Windows NT; Trident/7.0)",
                "status_code", "200", "resp_mime_types", "text/html", "id.resp_h", "10.1.2.3"));
        RECORDS.put("H2", Map.of("method", "get", "host", "exAmple.com", "uri", "/a*b", "user_agent", "curl/7.1", "status_code", "404",
                "referrer", "http://r.example/", "resp_mime_types", "text/html,application/x-dosexec", "id.resp_h", "8.8.8.8"));
        RECORDS.put("H3", Map.of("method", "GET", "host", "evil.org", "uri", "/axxb?q=a=1", "user_agent", "Y21k", "status_code", "301",
                "resp_mime_types", "application/x-dosexec-foo", "id.resp_h", "192.168.1.5"));
        RECORDS.put("H4", Map.of("method", "PUT", "host", "ex1mple.com", "uri", "/Admin/x.php", "user_agent", "x cG93ZXJzaGVsbCAtZW5j", "status_code", "500",
                "id.resp_h", "172.16.0.1"));
        RECORDS.put("H5", Map.of("method", "GET", "host", "data.net", "uri", "/p?a=1", "status_code", "200", "id.resp_h", "1.1.1.1"));
        RECORDS.put("H6", Map.of("method", "GET", "host", "win.net", "uri", "/run /enc x", "user_agent", "AAAA", "status_code", "200", "id.resp_h", "1.1.1.2"));
        RECORDS.put("H7", Map.of("method", "GET", "host", "a.com", "uri", "/x?y=.php", "user_agent", "ok", "status_code", "200", "id.resp_h", "1.1.1.3"));
        RECORDS.put("H8", Map.of("method", "GET", "host", "files.org", "uri", "/etc/passwd", "user_agent", "normal", "status_code", "200", "id.resp_h", "1.1.1.4"));
    }

    /** Sigma rule file name → (logsource, detection, the uids it must hit). */
    private record Case(String logsource, String detection, Set<String> hits) {}

    private static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        String proxy = "  category: proxy\n";
        String webserver = "  category: webserver\n";
        String zeekHttp = "  product: zeek\n  service: http\n";
        // plain values: case-insensitive equality
        CASES.put("eq_ci", new Case(proxy, "  sel:\n    cs-method: post\n  condition: sel\n", Set.of("H1")));
        CASES.put("eq_ci_list", new Case(proxy, "  sel:\n    cs-method: [GET, put]\n  condition: sel\n", Set.of("H2", "H3", "H4", "H5", "H6", "H7", "H8")));
        // wildcards: * any run, ? one character, \* a literal star
        CASES.put("star", new Case(proxy, "  sel:\n    cs-host: 'ex*mple.com'\n  condition: sel\n", Set.of("H1", "H2", "H4")));
        CASES.put("qmark", new Case(proxy, "  sel:\n    cs-host: 'e?ample.com'\n  condition: sel\n", Set.of("H1", "H2")));
        CASES.put("escaped_star", new Case(proxy, "  sel:\n    c-uri: '/a\\*b'\n  condition: sel\n", Set.of("H2")));
        CASES.put("wild_star", new Case(proxy, "  sel:\n    c-uri: '/a*b*'\n  condition: sel\n", Set.of("H2", "H3")));
        // contains / startswith / endswith / all
        CASES.put("contains", new Case(proxy, "  sel:\n    c-useragent|contains: trident\n  condition: sel\n", Set.of("H1")));
        CASES.put("startswith", new Case(proxy, "  sel:\n    c-uri|startswith: /ADMIN\n  condition: sel\n", Set.of("H1", "H4")));
        CASES.put("endswith", new Case(proxy, "  sel:\n    c-uri|endswith: .PHP\n  condition: sel\n", Set.of("H4", "H7")));
        CASES.put("contains_all", new Case(proxy, "  sel:\n    c-useragent|contains|all: [mozilla, trident]\n  condition: sel\n", Set.of("H1")));
        CASES.put("contains_all_miss", new Case(proxy, "  sel:\n    c-useragent|contains|all: [mozilla, curl]\n  condition: sel\n", Set.of()));
        CASES.put("cased", new Case(proxy, "  sel:\n    cs-host|cased: exAmple.com\n  condition: sel\n", Set.of("H2")));
        // re: case-sensitive unless i
        CASES.put("re", new Case(proxy, "  sel:\n    c-uri|re: '^/Admin'\n  condition: sel\n", Set.of("H4")));
        CASES.put("re_i", new Case(proxy, "  sel:\n    c-uri|re|i: '^/Admin'\n  condition: sel\n", Set.of("H1", "H4")));
        // cidr, exists, numbers
        CASES.put("cidr", new Case(proxy, "  sel:\n    dst_ip|cidr: [10.0.0.0/8, 192.168.0.0/16]\n  condition: sel\n", Set.of("H1", "H3")));
        CASES.put("exists", new Case(proxy, "  sel:\n    c-useragent|exists: false\n  condition: sel\n", Set.of("H5")));
        CASES.put("gte", new Case(proxy, "  sel:\n    sc-status|gte: 400\n  condition: sel\n", Set.of("H2", "H4")));
        CASES.put("lt", new Case(proxy, "  sel:\n    sc-status|lt: 300\n  condition: sel\n", Set.of("H1", "H5", "H6", "H7", "H8")));
        CASES.put("number", new Case(proxy, "  sel:\n    sc-status: [301, 404]\n  condition: sel\n", Set.of("H2", "H3")));
        // value modifiers
        CASES.put("base64", new Case(proxy, "  sel:\n    c-useragent|base64: cmd\n  condition: sel\n", Set.of("H3")));
        CASES.put("base64offset", new Case(proxy, "  sel:\n    c-useragent|base64offset|contains: 'powershell -enc'\n  condition: sel\n", Set.of("H4")));
        CASES.put("windash", new Case(proxy, "  sel:\n    c-uri|windash|contains: ' -enc'\n  condition: sel\n", Set.of("H6")));
        // null: the field is unset
        CASES.put("null", new Case(proxy, "  sel:\n    cs-referrer: null\n  condition: sel\n", Set.of("H1", "H3", "H4", "H5", "H6", "H7", "H8")));
        // keywords over the pipeline's keyword fields
        CASES.put("keywords", new Case(webserver, "  keywords:\n    - 'etc*passwd'\n    - 'TRIDENT'\n  condition: keywords\n", Set.of("H1", "H8")));
        // pipeline transforms
        CASES.put("list_element", new Case(zeekHttp, "  sel:\n    resp_mime_types: application/x-dosexec\n  condition: sel\n", Set.of("H2")));
        CASES.put("list_element_contains", new Case(zeekHttp, "  sel:\n    resp_mime_types|contains: dosexec\n  condition: sel\n", Set.of("H2", "H3")));
        CASES.put("uri_query", new Case(webserver, "  sel:\n    cs-uri-query: 'a=1'\n  condition: sel\n", Set.of("H5")));
        CASES.put("uri_path", new Case(webserver, "  sel:\n    cs-uri-stem|endswith: .php\n  condition: sel\n", Set.of("H1", "H4")));
        // conditions
        CASES.put("and_not", new Case(proxy, "  sel_a:\n    cs-method: GET\n  sel_b:\n    cs-host|endswith: .net\n  condition: sel_a and not sel_b\n",
                Set.of("H2", "H3", "H7", "H8")));
        CASES.put("one_of", new Case(proxy, "  sel_x:\n    sc-status: 500\n  sel_y:\n    cs-host: evil.org\n  condition: 1 of sel_*\n", Set.of("H3", "H4")));
        CASES.put("all_of_them", new Case(proxy, "  sel:\n    cs-method: GET\n  _excluded:\n    cs-host: nothing\n  sel2:\n    sc-status: 200\n  condition: all of them\n",
                Set.of("H5", "H6", "H7", "H8")));
        CASES.put("list_of_maps", new Case(proxy, "  sel:\n    - cs-method: PUT\n    - cs-host: a.com\n      sc-status: 200\n  condition: sel\n", Set.of("H4", "H7")));
    }

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();
    private static Map<String, Set<String>> hits;

    @TempDir
    static Path temp;

    @BeforeAll
    static void runAllRulesInOneJob()
            throws IOException
    {
        writeHttpLog(temp.resolve("lake/zeek_http/dt=" + DAY).resolve("http.log"));
        Path rules = Files.createDirectories(temp.resolve("rules"));
        CASES.forEach((name, sigmaCase) -> write(rules.resolve(name + ".yml"), sigma(name, sigmaCase.logsource(), sigmaCase.detection())));
        PropertyRules.generate(new Random(35), 40).forEach((name, pair) -> {
            write(rules.resolve(name + ".yml"), sigma(name, "  category: proxy\n", pair.sigmaDetection()));
            write(rules.resolve(name + "_dragnet.yaml"), "id: " + name + "-dragnet\ntitle: equivalent of " + name + "\ntopic: web\nowner: test\nsources: [zeek_http]\nmatch:\n"
                    + pair.dragnetMatch());
        });
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(rules.toString()), new CompileContext(DAY, "semantics", Locations.normalize(temp.resolve("lake").toString()),
                Locations.normalize(temp.resolve("work").toString()), Locations.normalize(temp.resolve("results").toString()),
                Locations.normalize(temp.resolve("enrichment").toString())));
        assertThat(compilation.problems()).isEmpty();
        assertThat(compilation.jobs()).hasSize(1);
        new JobWriter(new LocalObjectStore()).write(compilation);
        JobSpec spec = compilation.jobs().get(0).spec();
        new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), spec);
        hits = new HashMap<>();
        for (Row row : SPARK.session().read().parquet(spec.outputs().documents()).select(col("`rule.id`"), col("`event.id`")).collectAsList()) {
            hits.computeIfAbsent(row.getString(0), id -> new TreeSet<>()).add(row.getString(1));
        }
    }

    @Test
    void eachRuleHitsExactlyItsRecords()
    {
        Map<String, Set<String>> expected = new TreeMap<>();
        Map<String, Set<String>> actual = new TreeMap<>();
        CASES.forEach((name, sigmaCase) -> {
            expected.put(name, new TreeSet<>(sigmaCase.hits()));
            actual.put(name, hits.getOrDefault("sigma." + name, Set.of()));
        });
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void convertedSigmaRulesHitWhatTheirDragnetEquivalentsHit()
    {
        Map<String, Set<String>> sigma = new TreeMap<>();
        Map<String, Set<String>> dragnet = new TreeMap<>();
        PropertyRules.generate(new Random(35), 40).keySet().forEach(name -> {
            sigma.put(name, hits.getOrDefault("sigma." + name, Set.of()));
            dragnet.put(name, hits.getOrDefault(name + "-dragnet", Set.of()));
        });
        assertThat(sigma).isEqualTo(dragnet);
        long nonTrivial = sigma.values().stream().filter(set -> !set.isEmpty() && set.size() < RECORDS.size()).count();
        assertThat(nonTrivial).as("rules that split the records, so the property is not vacuous").isGreaterThan(15);
    }

    /**
     * Random Sigma detections over the proxy fields and, written independently, the dragnet rule meaning the same:
     * plain values as equality, * and ? as regular expressions, modifiers as dragnet's modifiers of the same name.
     */
    static final class PropertyRules
    {
        record Pair(String sigmaDetection, String dragnetMatch) {}

        private static final String[][] FIELDS = {{"cs-method", "http.request.method"}, {"cs-host", "url.domain"}, {"c-uri", "url.original"},
                {"c-useragent", "user_agent.original"}};
        private static final String[][] WORDS = {{"get", "post", "put", "PUT"}, {"example", "com", "net", "evil", "e?ample", "a.com"},
                {"/admin", "php", "a=1", "/a", "x", "?"}, {"mozilla", "trident", "curl", "y21k", "ok"}};

        static Map<String, Pair> generate(Random random, int count)
        {
            Map<String, Pair> rules = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                StringBuilder sigma = new StringBuilder();
                StringBuilder dragnet = new StringBuilder();
                int selections = 1 + random.nextInt(2);
                for (int s = 0; s < selections; s++) {
                    int field = random.nextInt(FIELDS.length);
                    String word = WORDS[field][random.nextInt(WORDS[field].length)];
                    String mode = List.of("equals", "contains", "startswith", "endswith", "wildcard").get(random.nextInt(5));
                    sigma.append("  sel_").append(s).append(":\n    ").append(FIELDS[field][0]);
                    dragnet.append("  sel_").append(s).append(":\n    ").append(FIELDS[field][1]);
                    String literal = word.replace("?", "");
                    switch (mode) {
                        case "wildcard" -> {
                            sigma.append(": '*").append(word).append("*'\n");
                            dragnet.append("|re: '(?s)^.*").append(java.util.regex.Pattern.quote(word).replace("?", "\\E.\\Q")).append(".*$'\n");
                        }
                        case "equals" -> {
                            sigma.append(": '").append(literal).append("'\n");
                            dragnet.append(": '").append(literal).append("'\n");
                        }
                        default -> {
                            sigma.append('|').append(mode).append(": '").append(literal.isEmpty() ? "x" : literal).append("'\n");
                            dragnet.append('|').append(mode).append(": '").append(literal.isEmpty() ? "x" : literal).append("'\n");
                        }
                    }
                }
                String condition = selections == 1 ? (random.nextBoolean() ? "sel_0" : "not sel_0")
                        : List.of("sel_0 and sel_1", "sel_0 or sel_1", "sel_0 and not sel_1", "1 of sel_*", "all of them").get(random.nextInt(5));
                sigma.append("  condition: ").append(condition).append('\n');
                dragnet.append("  condition: ").append(condition).append('\n');
                rules.put("prop_" + i, new Pair(sigma.toString(), dragnet.toString()));
            }
            return rules;
        }
    }

    private static String sigma(String name, String logsource, String detection)
    {
        return "title: semantics " + name + "\nstatus: stable\nlevel: low\nlogsource:\n" + logsource + "detection:\n" + detection;
    }

    private static void write(Path file, String content)
    {
        try {
            Files.writeString(file, content);
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeHttpLog(Path file)
            throws IOException
    {
        Files.createDirectories(file.getParent());
        StringBuilder log = new StringBuilder("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\thttp\n#open\t2018-11-02-00-00-00\n");
        log.append("#fields\t").append(String.join("\t", HTTP_FIELDS)).append('\n');
        log.append("#types\t").append(HTTP_TYPES).append('\n');
        long start = DAY.atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
        int i = 0;
        for (Map.Entry<String, Map<String, String>> record : RECORDS.entrySet()) {
            List<String> values = new ArrayList<>();
            for (String field : HTTP_FIELDS) {
                values.add(switch (field) {
                    case "ts" -> (start + 60L * i) + ".000000";
                    case "uid" -> record.getKey();
                    case "id.orig_h" -> "10.9.9.9";
                    case "id.orig_p" -> "50000";
                    case "id.resp_p" -> "80";
                    default -> record.getValue().getOrDefault(field, "-");
                });
            }
            log.append(String.join("\t", values)).append('\n');
            i++;
        }
        log.append("#close\t2018-11-03-00-00-00\n");
        Files.writeString(file, log.toString());
    }
}
