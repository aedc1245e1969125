package io.dragnet.rules;

import io.dragnet.contracts.VerdictColumns;
import org.junit.jupiter.api.Test;

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
