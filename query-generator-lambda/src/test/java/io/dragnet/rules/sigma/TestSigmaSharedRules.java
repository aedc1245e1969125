package io.dragnet.rules.sigma;

import io.dragnet.rules.Compilation;
import io.dragnet.rules.CompileContext;
import io.dragnet.rules.RuleCompiler;
import io.dragnet.rules.RuleSet;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SigmaHQ's 73 network and web rules (../shared/datasets/sigma, DRL 1.1) through the built-in pipeline: the whole
 * {@code dragnet sigma check} table is pinned, so a rule that stops converting, or a new refusal reason, shows.
 */
class TestSigmaSharedRules
{
    private static final Path SHARED_RULES = RepositoryPaths.datasets().orElse(Path.of("no-datasets-configured")).resolve("sigma");

    @Test
    void everySharedRuleIsConvertedOrRefusedWithAReason()
            throws IOException
    {
        assertThat(SHARED_RULES).as("SigmaHQ rules beside the repository").isDirectory();
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        RuleSet ruleSet = compiler.load(SHARED_RULES.toString());
        Compilation compilation = compiler.compile(ruleSet, new CompileContext(LocalDate.parse("2018-11-02"), "run", "file:///lake", "file:///work",
                "file:///results", "file:///enrichment"));
        SigmaReport report = SigmaReport.of(ruleSet, compilation);
        assertThat(ruleSet.sigmaRules()).hasSize(73);
        assertThat(report.converted().size() + report.refusedCount()).isEqualTo(73);
        assertThat(report.table()).isEqualTo(Files.readString(Path.of("src/test/resources/sigma/shared-rules-check.txt")));
        // Sigma's test and experimental rules run in each source's sandbox job
        assertThat(compilation.jobs()).extracting(job -> job.spec().source().name()).containsOnly("zeek_dns", "zeek_http");
        assertThat(compilation.jobs().stream().mapToInt(job -> job.spec().rules().size()).sum()).isEqualTo(report.converted().size());
        // every refusal names its file and position
        report.problemsByRule().values().forEach(problems -> assertThat(problems).allSatisfy(problem -> {
            assertThat(problem.position().file()).endsWith(".yml");
            assertThat(problem.position().line()).isPositive();
        }));
    }
}
