package io.dragnet.rules.sigma;

import io.dragnet.contracts.RunMetrics;
import io.dragnet.rules.Compilation;
import io.dragnet.rules.CompileContext;
import io.dragnet.rules.JobWriter;
import io.dragnet.rules.Locations;
import io.dragnet.rules.RuleCompiler;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * SigmaHQ rules, unchanged, over the real Trickbot Zeek logs (../shared/datasets/zeek, the week's whole http.log and
 * dns.log in one day's partition), through the built-in pipeline and the Spark backend. The expected counts were taken
 * over the raw logs without dragnet:
 * <pre>
 * proxy_ua_susp (1 of selection* and not falsepositives): the only user agents it matches contain 'loader'
 *   grep -v '^#' http.log | awk -F'\t' 'tolower($13) ~ /loader/' | wc -l                        → 10
 *   (a plain Python check of the whole rule — startswith/contains/equals lists, case-insensitive, minus the
 *    Acrobat/Adobe false positives — also gives 10)
 * zeek_dns_susp_zbit_flag: Z set, a dot in the query, none of the exclusions
 *   grep -v '^#' dns.log | awk -F'\t' '$21 != 0' | wc -l                                        → 370
 *   grep -v '^#' dns.log | awk -F'\t' '$21 != 0 &amp;&amp; $10 ~ /\./' | wc -l                         → 0 (NetBIOS-style names)
 * proxy_ua_empty (c-useragent: ''): Zeek writes a missing header as unset ('-'), never as the empty string
 *   grep -v '^#' http.log | awk -F'\t' '$13 == "(empty)"' | wc -l                               → 0 (11 are '-')
 * </pre>
 */
@Tag("integration")
class TestSigmaOnZeekLogs
{
    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    private static final Path ZEEK = RepositoryPaths.datasets().orElse(Path.of("no-datasets-configured")).resolve("zeek/trickbot-2018-11");
    private static final Path SIGMA = RepositoryPaths.datasets().orElse(Path.of("no-datasets-configured")).resolve("sigma/rules");
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");

    @Test
    void sigmaHqRulesFindWhatAPlainScriptFinds(@TempDir Path temp)
            throws IOException
    {
        Path lake = temp.resolve("lake");
        Files.createDirectories(lake.resolve("zeek_http/dt=" + DAY));
        Files.createDirectories(lake.resolve("zeek_dns/dt=" + DAY));
        Files.copy(ZEEK.resolve("http.log"), lake.resolve("zeek_http/dt=" + DAY + "/http.log"));
        Files.copy(ZEEK.resolve("dns.log"), lake.resolve("zeek_dns/dt=" + DAY + "/dns.log"));
        Path rules = Files.createDirectories(temp.resolve("rules"));
        for (String rule : new String[] {"web/proxy_generic/proxy_ua_susp.yml", "network/zeek/zeek_dns_susp_zbit_flag.yml", "web/proxy_generic/proxy_ua_empty.yml"}) {
            Files.copy(SIGMA.resolve(rule), rules.resolve(Path.of(rule).getFileName()));
        }
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(rules.toString()), new CompileContext(DAY, "sigma-zeek", Locations.normalize(lake.toString()),
                Locations.normalize(temp.resolve("work").toString()), Locations.normalize(temp.resolve("results").toString()),
                Locations.normalize(temp.resolve("enrichment").toString())));
        assertThat(compilation.problems()).isEmpty();
        new JobWriter(new LocalObjectStore()).write(compilation);
        Map<String, Long> matched = new TreeMap<>();
        Map<String, Long> read = new TreeMap<>();
        List<Row> uuids;
        for (Compilation.Job job : compilation.jobs()) {
            RunMetrics metrics = new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), job.spec());
            matched.putAll(metrics.matchedPerRule());
            read.put(job.spec().source().name(), metrics.recordsRead());
        }
        String httpDocuments = compilation.jobs().stream().filter(job -> job.spec().source().name().equals("zeek_http")).findFirst().orElseThrow()
                .spec().outputs().documents();
        uuids = SPARK.session().read().parquet(httpDocuments)
                .groupBy("`rule.id`", "`rule.uuid`").count().collectAsList();
        assertThat(read).isEqualTo(Map.of("zeek_dns", 1534L, "zeek_http", 1149L));
        assertThat(matched).containsEntry("sigma.proxy_ua_susp", 10L);
        assertThat(matched.getOrDefault("sigma.zeek_dns_susp_zbit_flag", 0L)).isZero();
        assertThat(matched.getOrDefault("sigma.proxy_ua_empty", 0L)).isZero();
        // every document of a Sigma rule carries its Sigma id (proxy_ua_susp.yml's 'id:' line) as rule.uuid
        assertThat(uuids).extracting(row -> row.getString(0), row -> row.getString(1), row -> row.getLong(2))
                .containsExactly(tuple("sigma.proxy_ua_susp", "7195a772-4b3f-43a4-a210-6a003d65caa1", 10L));
    }
}
