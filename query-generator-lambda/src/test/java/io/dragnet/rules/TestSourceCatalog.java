package io.dragnet.rules;

import io.dragnet.contracts.VerdictColumns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestSourceCatalog
{
    @Test
    void builtInSourcesComeFromTheResource()
    {
        SourceCatalog catalog = SourceCatalog.builtIn();
        assertThat(catalog.names()).containsExactly("zeek_conn", "zeek_dns", "zeek_http", "zeek_ssl", "nids_verdicts");
        SourceDefinition dns = catalog.find("zeek_dns").orElseThrow();
        assertThat(dns.format()).isEqualTo("zeek_tsv");
        assertThat(dns.timeField()).isEqualTo("ts");
        assertThat(dns.dataset()).isEqualTo("zeek.dns");
        assertThat(dns.location()).isEqualTo(SourceDefinition.DEFAULT_LOCATION);
        assertThat(dns.resolve("dns.question.name")).contains("query");
        assertThat(dns.typeOf("answers")).isEqualTo("string");
        assertThat(dns.typeOf("rtt")).isEqualTo("double");
    }

    @Test
    void declaredDatasetReachesTheJobSpecAndTheDefaultTurnsEveryUnderscore(@TempDir Path temp)
    {
        Compilation compilation = new RuleFolder(temp)
                .file("rules/sources.yaml", """
                        sources:
                          zeek_dns_json:
                            format: zeek_json
                            time_field: ts
                            dataset: zeek.dns_json
                            fields: {ts: timestamp, query: string}
                          corp_proxy_logs:
                            format: jsonl
                            time_field: ts
                            fields: {ts: timestamp, url: string}
                        """)
                .file("rules/dns.yaml", RuleFolder.rule("dns", "[zeek_dns_json]", "  sel:\n    query: x\n  condition: sel\n"))
                .file("rules/proxy.yaml", RuleFolder.rule("proxy", "[corp_proxy_logs]", "  sel:\n    url: x\n  condition: sel\n"))
                .compile();
        assertThat(compilation.problems()).isEmpty();
        assertThat(compilation.jobs()).extracting(job -> job.spec().source().name() + " " + job.spec().source().dataset())
                .containsExactlyInAnyOrder("zeek_dns_json zeek.dns_json", "corp_proxy_logs corp.proxy.logs");
    }

    @Test
    void verdictSourceHasTheVerdictRecordsSchema()
    {
        assertThat(SourceCatalog.builtIn().find("nids_verdicts").orElseThrow().schema()).isEqualTo(VerdictColumns.SCHEMA);
    }

    @Test
    void userSourcesCannotRedeclareBuiltIns()
    {
        List<Problem> problems = new ArrayList<>();
        SourceCatalog catalog = SourceCatalog.builtIn().withDeclarations("sources.yaml", """
                sources:
                  zeek_dns:
                    format: zeek_tsv
                    fields: {ts: timestamp}
                """, problems::add);
        assertThat(problems).extracting(Problem::toString)
                .containsExactly("sources.yaml:2:3: source 'zeek_dns' is built in and cannot be redeclared; expected a new name");
        assertThat(catalog.find("zeek_dns")).isEqualTo(SourceCatalog.builtIn().find("zeek_dns"));
    }
}
