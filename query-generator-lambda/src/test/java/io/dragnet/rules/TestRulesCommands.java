package io.dragnet.rules;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.dragnet.rules.RuleFolder.rule;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code dragnet rules validate|compile|explain} through picocli, output captured from the command's writer. */
public class TestRulesCommands
{
    @TempDir
    Path temp;

    private record Run(int exitCode, String out) {}

    private Run run(String... arguments)
    {
        StringWriter out = new StringWriter();
        CommandLine commandLine = new CommandLine(new RulesCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(out));
        int exitCode = commandLine.execute(arguments);
        return new Run(exitCode, out.toString());
    }

    private Path brokenFolder()
    {
        return new RuleFolder(temp)
                .file("rules/b.yaml", rule("b", "[zeek_conn]", "  sel:\n    destination.port: 449\n  condition: sel\n") + "sevrity: high\n")
                .file("rules/a.yaml", rule("a", "[zeek_dns]", "  sel:\n    dns.question.nam: x\n  condition: sel\n"))
                .file("rules/c.yaml", rule("c", "[zeek_conn]", "  sel:\n    destination.port: 447\n  condition: sel\n"))
                .root().resolve("rules");
    }

    @Test
    public void validateSamplesExitsZero()
    {
        Run run = run("validate", io.dragnet.storage.RepositoryPaths.root().resolve("samples/rules").toString(), "--date", "2018-11-02");
        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).endsWith("20 rules valid in " + io.dragnet.storage.RepositoryPaths.root().resolve("samples/rules") + "\n");
    }

    @Test
    public void validatePrintsEveryProblemSortedAndExitsTwo()
    {
        Path rules = brokenFolder();
        Run run = run("validate", rules.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out().lines().toList()).containsExactly(
                rules + "/a.yaml:8:5: rule a: source zeek_dns has no field 'dns.question.nam'; expected a field of zeek_dns or an ECS name mapped to one; "
                        + "did you mean 'dns.question.name'?",
                rules + "/b.yaml:10:1: rule b: unknown key 'sevrity' in rule; expected one of [id, title, description, topic, owner, tags, status, severity, sources, "
                        + "match, window, enrich, output, references, falsepositives, aggregate, correlation, uuid, notify]; did you mean 'severity'?",
                "2 problems in 2 files; 1 rules valid");
    }

    @Test
    public void compileWritesTheGoodRulesAndExitsTwoOnProblems()
    {
        Path rules = brokenFolder();
        Path out = temp.resolve("out");
        Run run = run("compile", rules.toString(), "--date", "2018-11-02", "--out", out.toString(), "--run-id", "cli",
                "--lake", temp.resolve("lake").toString(), "--results", temp.resolve("results").toString(), "--enrichment", temp.resolve("enrichment").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        Path spec = out.resolve("jobs/dt=2018-11-02/run=cli/zeek_conn.json");
        assertThat(run.out()).startsWith("zeek_conn: 1 rule -> " + spec.toUri() + "\n")
                .endsWith("1 job specs for 2018-11-02 (run cli); 2 problems, the rules with problems were left out\n");
        assertThat(Files.exists(spec)).isTrue();
        assertThat(Json.read(spec, JobSpec.class).rules()).extracting(JobSpec.RuleSpec::id).containsExactly("c");
    }

    @Test
    public void compileNeedsDateAndOut()
    {
        Run run = run("compile", brokenFolder().toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).startsWith("Missing required options: '--date=<date>', '--out=<out>'");
    }

    @Test
    public void explainShowsWhichRuleContributesWhichPredicate()
            throws java.io.IOException
    {
        Path rules = new RuleFolder(temp)
                .file("rules/one.yaml", rule("tls-449", "[zeek_ssl]", "  port:\n    destination.port: [447, 449]\n  sni:\n    tls.server.name|exists: true\n"
                        + "  condition: port and not sni\n"))
                .file("rules/two.yaml", rule("echo", "[zeek_ssl]", "  echo:\n    ioc: domain\n    values: [ipinfo.io, 'api.ipify.org']\n  condition: echo\n")
                        + "window:\n  from: '06:00'\n  to: '20:00'\n")
                .root().resolve("rules");
        Run run = run("explain", rules.toString(), "--date", "2018-11-02");
        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).as("explain writes nothing, so it names no file of its own compilation").doesNotContain("run=explain").doesNotContain(".dragnet/work");
        String out = run.out().replaceAll("file:///\\S*/(results|lake)/", "<$1>/");
        assertThat(out).isEqualTo("""
                source zeek_ssl (zeek_tsv, <lake>/zeek_ssl/dt=2018-11-02)
                  one pass, 2 rules; a row is kept when any rule matches and carries the ids of all rules it matched
                  reads every column of the day: rule echo keeps the whole record (no output fields)
                  rule echo [topic c2, medium] window 06:00-20:00 UTC
                    WHERE `server_name` IN DOMAINS (with subdomains) OF table domain-311eeb9540a03f1b (2 values)
                  rule tls-449 [topic c2, medium]
                    WHERE `id.resp_p` IN (447, 449) AND NOT `server_name` IS SET
                  table domain-311eeb9540a03f1b: 2 domain values, broadcast join
                  a run writes
                    documents <results>/documents/dt=2018-11-02/run=<run id>/zeek_ssl
                    rejected lines <results>/rejects/dt=2018-11-02/run=<run id>/zeek_ssl
                    summaries <results>/summaries/dt=2018-11-02/run=<run id>/c2/<rule id>.csv
                    metrics <results>/runs/dt=2018-11-02/run=<run id>/zeek_ssl.metrics.json
                    index dragnet-c2-2018.11.02-<run id>, published as dragnet-c2-2018.11.02
                    index dragnet-c2_restricted-2018.11.02-<run id>, published as dragnet-c2_restricted-2018.11.02
                """);

        // with output fields on every rule, an imported day is read in the columns the rules filter on and the documents show
        for (String file : List.of("one.yaml", "two.yaml")) {
            Files.writeString(rules.resolve(file), Files.readString(rules.resolve(file)) + "output:\n  fields: [source.ip, destination.ip, tls.version]\n");
        }
        Run pruned = run("explain", rules.toString(), "--date", "2018-11-02");
        assertThat(pruned.exitCode()).isEqualTo(0);
        assertThat(pruned.out()).contains("  reads 8 of the 18 declared columns of an imported (Parquet) day: ts, uid, id.orig_h, id.orig_p, id.resp_h, id.resp_p, version, server_name\n");
    }

    @Test
    public void explainShowsTheCorrelationStep()
            throws java.io.IOException
    {
        Path rules = Files.createDirectories(temp.resolve("correlation-rules"));
        for (String sample : List.of("nids-high-score-rare-ports.yaml", "dns-nxdomain-burst.yaml", "nids-verdict-then-dns-burst.yaml")) {
            Files.copy(io.dragnet.storage.RepositoryPaths.samples().resolve("rules").resolve(sample), rules.resolve(sample));
        }
        Run run = run("explain", rules.toString(), "--date", "2018-11-02");
        assertThat(run.exitCode()).isEqualTo(0);
        String out = run.out().replaceAll("file:///\\S*/results/", "<results>/");
        assertThat(out).contains("""
                correlations, one step after every job (reads the jobs' hits, never a source)
                  rule nids-verdict-then-dns-burst [topic c2, high] temporal_ordered within 10m by source.ip
                    record hits of nids-high-score-rare-ports from <results>/documents/dt=2018-11-02/run=<run id>/nids_verdicts
                    aggregate hits of dns-nxdomain-burst from <results>/aggregates/dt=2018-11-02/run=<run id>/zeek_dns
                    windows ending within the day; those opening before it read 2018-11-01's hits from midnight minus 10m (that day has no published run: none seen)
                  a run writes <results>/correlations/dt=2018-11-02/run=<run id> and a summary per rule under <results>/summaries/dt=2018-11-02/run=<run id>/<topic>/<rule id>.csv
                """);

        Run validate = run("validate", rules.toString(), "--date", "2018-11-02");
        assertThat(validate.exitCode()).isZero();
        assertThat(validate.out()).as("validation reads no earlier run").doesNotContain("warning");

        Files.writeString(rules.resolve("nids-verdict-then-dns-burst.yaml"), Files.readString(rules.resolve("nids-verdict-then-dns-burst.yaml")) + "  previous_day: ignore\n");
        assertThat(run("explain", rules.toString(), "--date", "2018-11-02").out())
                .contains("    previous day ignored: windows reaching past midnight are reported from the day's hits, marked truncated\n");
    }

    @Test
    public void explainPlansForTheClocksDayWithoutDate()
    {
        Path rules = new RuleFolder(temp)
                .file("rules/one.yaml", rule("tls-449", "[zeek_ssl]", "  port:\n    destination.port: 449\n  condition: port\n"))
                .root().resolve("rules");
        StringWriter out = new StringWriter();
        CommandLine explain = new CommandLine(new ExplainCommand(Clock.fixed(Instant.parse("2018-11-03T23:59:59Z"), ZoneOffset.UTC)));
        explain.setOut(new PrintWriter(out));
        explain.setErr(new PrintWriter(out));

        assertThat(explain.execute(rules.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("2018.11.03-<run id>").doesNotContain("2018.11.04");
    }

    @Test
    public void explainShowsSandboxJobsAsSandboxNotAsPublished()
            throws Exception
    {
        Path rules = new RuleFolder(temp)
                .file("rules/one.yaml", rule("tls-449", "[zeek_ssl]", "  port:\n    destination.port: [447, 449]\n  condition: port\n"))
                .file("rules/two.yaml", rule("tls-443", "[zeek_ssl]", "  port:\n    destination.port: 443\n  condition: port\n") + "status: test\n")
                .root().resolve("rules");
        Path results = temp.resolve("results");

        Run testRule = run("explain", rules.toString(), "--date", "2018-11-02", "--results", results.toString());
        assertThat(testRule.exitCode()).isEqualTo(0);
        assertThat(testRule.out()).as("the active rule publishes, the test rule runs in a sandbox job of its own")
                .contains("rule tls-449 [topic c2, medium]\n    WHERE `id.resp_p` IN (447, 449)", "index dragnet-c2-2018.11.02-<run id>, published as dragnet-c2-2018.11.02\n")
                .contains("a run writes into the sandbox (Publish never touches it)\n",
                        "index dragnet_sandbox-c2-2018.11.02-<run id>, sandbox: never published, readable only by the groups granted c2's sandbox\n",
                        "sandbox: rule tls-443 (status: test) ran into the sandbox index dragnet_sandbox-c2-2018.11.02-<run id>\n");
        assertThat(testRule.out().split("source zeek_ssl ")).hasSize(3);

        Files.createDirectories(results.resolve("rule-sets"));
        Files.writeString(results.resolve("rule-sets/c2.json"), "{\"topic\":\"c2\",\"rules\":[\"tls-449\",\"beacon\"],\"runId\":\"r1\",\"date\":\"2018-11-01\"}\n");
        Run partial = run("explain", rules.toString(), "--date", "2018-11-02", "--results", results.toString());
        assertThat(partial.exitCode()).isEqualTo(0);
        assertThat(partial.out()).as("a folder lacking part of the published rule set publishes nothing of the topic")
                .doesNotContain("published as")
                .contains("sandbox: topic c2: this rules folder lacks beacon of the topic's published rule set, so its rules ran into the sandbox index "
                        + "dragnet_sandbox-c2-2018.11.02-<run id> and the published day is unchanged");
    }

    @Test
    public void rulesWithoutSubcommandIsAUsageError()
    {
        Run run = run();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).startsWith("missing subcommand: validate, compile or explain");
    }
}
