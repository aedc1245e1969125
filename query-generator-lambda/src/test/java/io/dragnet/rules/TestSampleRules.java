package io.dragnet.rules;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.storage.LocalObjectStore;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped samples must always compile cleanly: they are the demo and the documentation's examples. */
public class TestSampleRules
{

    @Test
    public void samplesCompileWithoutProblems()
    {
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        RuleSet rules = compiler.load(io.dragnet.storage.RepositoryPaths.samples().resolve("rules").toString());
        Compilation compilation = compiler.compile(rules, new CompileContext(LocalDate.parse("2018-11-02"), "test-run",
                "file:///lake", "file:///work", "file:///results", "file:///enrichment"));
        compilation.problems().forEach(System.out::println);
        compilation.notes().forEach(System.out::println);
        assertThat(compilation.problems()).isEmpty();
        assertThat(rules.rules()).hasSizeGreaterThanOrEqualTo(8);
        List<String> sources = compilation.jobs().stream().map(job -> job.spec().source().name()).toList();
        // dns-dga-like-names has status: test, so zeek_dns has a sandbox job beside its published one
        assertThat(sources).containsExactly("nids_verdicts", "zeek_conn", "zeek_dns", "zeek_dns", "zeek_files", "zeek_http", "zeek_ssl");
        assertThat(compilation.jobs()).filteredOn(Compilation.Job::sandbox).singleElement()
                .satisfies(job -> assertThat(job.spec().rules()).extracting(JobSpec.RuleSpec::id).containsExactly("dns-dga-like-names"));
        for (Compilation.Job job : compilation.jobs()) {
            System.out.println(job.specLocation() + " " + job.spec().rules().stream().map(JobSpec.RuleSpec::id).toList());
        }
        System.out.println(Json.write(compilation.jobs().get(1).spec()));
    }
}
