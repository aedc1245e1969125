package io.dragnet.rules;

import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.GenerateJobsResult;
import io.dragnet.contracts.ImportSpec;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.dragnet.rules.RuleFolder.rule;
import static org.assertj.core.api.Assertions.assertThat;

/** GenerateJobs on local files, through the plain-Java entry and through the Lambda handler. */
public class TestGenerateJobs
{
    @TempDir
    Path temp;

    /** A day of data for each source but zeek_files. */
    private void lakeWithData(String... sources)
            throws IOException
    {
        for (String source : sources) {
            Path partition = temp.resolve("lake").resolve(source).resolve("dt=2018-11-02");
            Files.createDirectories(partition);
            Files.writeString(partition.resolve("part.log"), "data\n");
        }
    }

    private Map<String, Object> input(Path rules)
    {
        Map<String, Object> input = new HashMap<>();
        input.put("date", "2018-11-02");
        input.put("runId", "run-42");
        input.put("rulesLocation", rules.toUri().toString());
        input.put("workLocation", temp.resolve("work").toUri().toString());
        input.put("lakeLocation", temp.resolve("lake").toUri().toString());
        input.put("resultsLocation", temp.resolve("results").toUri().toString());
        input.put("enrichmentLocation", temp.resolve("enrichment").toUri().toString());
        return input;
    }

    @Test
    public void handlerWritesSpecsTablesAndManifestForTheSamples()
            throws IOException
    {
        Path samples = io.dragnet.storage.RepositoryPaths.root().resolve("samples/rules");
        lakeWithData("nids_verdicts", "zeek_conn", "zeek_dns", "zeek_http", "zeek_ssl");
        Files.createDirectories(temp.resolve("lake/zeek_files/dt=2018-11-02"));
        Map<String, Object> result = new GenerateJobsHandler(() -> {
            throw new AssertionError("no S3 client is needed for file:// locations");
        }, new DragnetHome(temp.resolve("home"))).handleRequest(input(samples), null);

        assertThat(result).containsEntry("runId", "run-42").containsEntry("date", "2018-11-02").containsEntry("jobCount", 6)
                .containsEntry("problems", List.of("source zeek_files has no data for 2018-11-02 at " + Locations.normalize(temp.resolve("lake").toString()) + "/zeek_files/dt=2018-11-02; "
                        + "its job was skipped (rules web-hash-sightings)"));
        Path run = temp.resolve("work/jobs/dt=2018-11-02/run=run-42");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) result.get("jobs");
        assertThat(jobs).extracting(job -> job.get("source")).containsExactly("nids_verdicts", "zeek_conn", "zeek_dns", "zeek_dns", "zeek_http", "zeek_ssl");
        assertThat(jobs.get(3)).containsEntry("sandbox", true).containsEntry("rules", List.of("dns-dga-like-names"))
                .containsEntry("specLocation", run.resolve("zeek_dns.sandbox.json").toUri().toString());
        assertThat(result.get("sandbox")).isEqualTo(List.of("rule dns-dga-like-names (status: test) ran into the sandbox index dragnet_sandbox-dns-2018.11.02-run42"));
        assertThat(run.resolve("zeek_files.json")).doesNotExist();
        assertThat(jobs.get(1)).containsEntry("specLocation", run.resolve("zeek_conn.json").toUri().toString()).containsEntry("rules", List.of("c2-feodo-ip-sweep", "conn-beaconing", "conn-horizontal-scan", "conn-large-outbound-transfer", "conn-udp-network-scan", "conn-vertical-scan"));

        JobSpec conn = Json.read(run.resolve("zeek_conn.json"), JobSpec.class);
        assertThat(conn.source().location()).isEqualTo(Locations.normalize(temp.resolve("lake").toString()) + "/zeek_conn/dt=2018-11-02");
        assertThat(conn.outputs().metrics()).isEqualTo(Locations.normalize(temp.resolve("results").toString()) + "/runs/dt=2018-11-02/run=run-42/zeek_conn.metrics.json");
        JobSpec.IocTable table = conn.iocTables().get(0);
        Path tableFile = Path.of(java.net.URI.create(table.location()));
        assertThat(tableFile.getParent()).isEqualTo(run.resolve("iocs"));
        List<String> lines = Files.readAllLines(tableFile);
        assertThat(lines.get(0)).isEqualTo("value,feed,confidence,first_seen,description");
        assertThat(lines).hasSize((int) table.entries() + 1).contains("190.145.74.84,trickbot-c2-2018-11,,,");
        assertThat(Json.read(run.resolve(GenerateJobs.MANIFEST), GenerateJobsResult.class).jobCount()).isEqualTo(6);
        try (Stream<Path> files = Files.walk(run)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    public void rerunOfTheSameRunRewritesTheSameBytes()
            throws IOException
    {
        Path samples = io.dragnet.storage.RepositoryPaths.root().resolve("samples/rules");
        lakeWithData("nids_verdicts", "zeek_conn", "zeek_dns", "zeek_files", "zeek_http", "zeek_ssl");
        GenerateJobsRequest request = GenerateJobsRequest.fromInput(input(samples), new DragnetHome(temp));
        GenerateJobs.run(request);
        Map<Path, byte[]> first = snapshot(temp.resolve("work"));
        GenerateJobs.run(request);
        Map<Path, byte[]> second = snapshot(temp.resolve("work"));
        assertThat(second.keySet()).isEqualTo(first.keySet());
        first.forEach((file, bytes) -> assertThat(second.get(file)).as(file.toString()).isEqualTo(bytes));
    }

    @Test
    public void brokenRuleIsReportedWhileTheOthersRun()
            throws IOException
    {
        lakeWithData("zeek_conn", "zeek_dns");
        RuleFolder folder = new RuleFolder(temp)
                .file("rules/good.yaml", rule("good", "[zeek_conn]", "  sel:\n    destination.port: 449\n  condition: sel\n"))
                .file("rules/bad.yaml", rule("bad", "[zeek_dns]", "  sel:\n    dns.query: x\n  condition: sel\n"));
        GenerateJobsResult result = GenerateJobs.run(GenerateJobsRequest.fromInput(input(folder.root().resolve("rules")), new DragnetHome(temp)));
        assertThat(result.jobs()).extracting(GenerateJobsResult.Job::source).containsExactly("zeek_conn");
        assertThat(result.problems()).singleElement().asString().isEqualTo(folder.root().resolve("rules") + "/bad.yaml:8:5: rule bad: source zeek_dns has no field 'dns.query'; "
                + "expected a field of zeek_dns or an ECS name mapped to one");
    }

    @Test
    public void backfillCompilesEveryDayIntoOneJobListWithFeedsAsOfTheRunsDay()
            throws IOException
    {
        for (String day : List.of("2018-11-02", "2018-11-03", "2018-11-04")) {
            Path partition = Files.createDirectories(temp.resolve("lake/zeek_ssl/dt=" + day));
            Files.writeString(partition.resolve("part.log"), "data\n");
        }
        Files.createDirectories(temp.resolve("lake/zeek_dns/dt=2018-11-02"));
        Files.writeString(temp.resolve("lake/zeek_dns/dt=2018-11-02/part.log"), "data\n");
        // the feed's only snapshot was fetched after the days backfilled: a daily run of those days could not read it
        Path snapshot = Files.createDirectories(temp.resolve("iocs/snapshots/c2-hosts/dt=2018-11-20"));
        Files.writeString(snapshot.resolve("101500.000Z.txt"), "203.0.113.9\n");
        Path rules = new RuleFolder(temp)
                .file("rules/new-c2.yaml", rule("new-c2", "[zeek_ssl]", "  c2:\n    ioc: ip\n    files: [feed:c2-hosts]\n  condition: c2\n"))
                .file("rules/dns.yaml", rule("dns-x", "[zeek_dns]", "  sel:\n    dns.question.name: x.example\n  condition: sel\n").replace("topic: c2", "topic: dns"))
                .file("rules/test.yaml", rule("tls-test", "[zeek_ssl]", "  sel:\n    destination.port: 449\n  condition: sel\n") + "status: test\n")
                .root().resolve("rules");
        Map<String, Object> input = input(rules);
        input.put("date", "2018-11-20");
        input.put("runId", "bf-1");
        input.put("executionInput", Map.of("backfill", Map.of("from", "2018-11-02", "to", "2018-11-04")));

        Map<String, Object> result = new GenerateJobsHandler(() -> {
            throw new AssertionError("no S3 client is needed for file:// locations");
        }, new DragnetHome(temp.resolve("home"))).handleRequest(input, null);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) result.get("jobs");
        assertThat(jobs).extracting(job -> job.get("date") + " " + job.get("source") + (Boolean.TRUE.equals(job.get("sandbox")) ? " sandbox" : ""))
                .containsExactly("2018-11-02 zeek_dns", "2018-11-02 zeek_ssl", "2018-11-02 zeek_ssl sandbox", "2018-11-03 zeek_ssl", "2018-11-03 zeek_ssl sandbox",
                        "2018-11-04 zeek_ssl", "2018-11-04 zeek_ssl sandbox");
        assertThat(jobs.get(1)).containsEntry("topics", Map.of("c2", List.of("new-c2")))
                .containsEntry("specLocation", temp.resolve("work/jobs/dt=2018-11-02/run=bf-1/zeek_ssl.json").toUri().toString());
        assertThat(jobs.get(0)).containsEntry("topics", Map.of("dns", List.of("dns-x")));
        assertThat(result).containsEntry("date", "2018-11-02").containsEntry("jobCount", 7);
        assertThat(result.get("problems")).asList().containsExactly(
                "source zeek_dns has no data for 2018-11-03 at " + Locations.normalize(temp.resolve("lake").toString()) + "/zeek_dns/dt=2018-11-03; its job was skipped (rules dns-x)",
                "source zeek_dns has no data for 2018-11-04 at " + Locations.normalize(temp.resolve("lake").toString()) + "/zeek_dns/dt=2018-11-04; its job was skipped (rules dns-x)");
        JobSpec ssl = Json.read(temp.resolve("work/jobs/dt=2018-11-03/run=bf-1/zeek_ssl.json"), JobSpec.class);
        assertThat(ssl.date()).isEqualTo("2018-11-03");
        assertThat(ssl.source().location()).endsWith("/zeek_ssl/dt=2018-11-03");
        assertThat(ssl.iocTables()).singleElement().satisfies(table -> assertThat(table.entries()).isEqualTo(1));
        assertThat(temp.resolve("results/rule-sets")).as("a backfill records no published rule set").doesNotExist();

        input.put("executionInput", Map.of("backfill", Map.of("from", "2018-11-02", "to", "2018-11-04", "sources", List.of("zeek_ssl"))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sslOnly = (List<Map<String, Object>>) new GenerateJobsHandler(() -> null, new DragnetHome(temp.resolve("home")))
                .handleRequest(input, null).get("jobs");
        assertThat(sslOnly).extracting(job -> job.get("source")).containsOnly("zeek_ssl").hasSize(6);

        input.put("executionInput", Map.of("backfill", Map.of("from", "2018-11-02", "to", "2018-11-04", "sources", List.of("zeek_sll"))));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GenerateJobsHandler(() -> null, new DragnetHome(temp.resolve("home"))).handleRequest(input, null))
                .hasMessageStartingWith("backfill source 'zeek_sll' is not declared in the sources catalog; expected one of [");
        input.put("executionInput", Map.of("backfill", Map.of("from", "2018-11-04", "to", "2018-11-02")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GenerateJobsRequest.fromInput(input, new DragnetHome(temp)))
                .hasMessage("backfill 'to' 2018-11-02 is before 'from' 2018-11-04; expected from <= to");
    }

    /**
     * Raw Zeek logs under the execution's rawLocation: a daily run lists its day's import (its sources have data, though
     * the lake has none yet), a backfill only the days a source it reads was never imported for.
     */
    @Test
    @SuppressWarnings("unchecked")
    public void rawLogsOfTheDayAreImportedFirstAndCountAsTheDaysData()
            throws IOException
    {
        Path raw = temp.resolve("raw");
        for (String day : List.of("2018-11-02", "2018-11-03")) {
            Files.createDirectories(raw.resolve(day + "/sensor-a"));
            Files.writeString(raw.resolve(day + "/sensor-a/ssl.00:00:00-01:00:00.log.gz"), "x");
            Files.writeString(raw.resolve(day + "/notes.txt"), "not a log");
        }
        Files.createDirectories(temp.resolve("lake/zeek_ssl/dt=2018-11-03"));
        Files.writeString(temp.resolve("lake/zeek_ssl/dt=2018-11-03/part.parquet"), "imported before");
        Path rules = new RuleFolder(temp)
                .file("rules/tls.yaml", rule("tls-449", "[zeek_ssl]", "  sel:\n    destination.port: 449\n  condition: sel\n"))
                .file("rules/dns.yaml", rule("dns-x", "[zeek_dns]", "  sel:\n    dns.question.name: x.example\n  condition: sel\n").replace("topic: c2", "topic: dns"))
                .root().resolve("rules");
        Map<String, Object> input = input(rules);
        input.put("executionInput", Map.of("rawLocation", raw.toUri().toString()));
        GenerateJobsHandler handler = new GenerateJobsHandler(() -> {
            throw new AssertionError("no S3 client is needed for file:// locations");
        }, new DragnetHome(temp.resolve("home")));

        Map<String, Object> daily = handler.handleRequest(input, null);

        assertThat((List<Map<String, Object>>) daily.get("jobs")).extracting(job -> job.get("source")).containsExactly("zeek_ssl");
        assertThat(daily.get("problems")).asList().singleElement().asString().startsWith("source zeek_dns has no data for 2018-11-02");
        String specLocation = temp.resolve("work/jobs/dt=2018-11-02/run=run-42/_import.json").toUri().toString();
        assertThat(daily.get("imports")).isEqualTo(List.of(Map.of("date", "2018-11-02", "specLocation", specLocation)));
        ImportSpec spec = Json.read(temp.resolve("work/jobs/dt=2018-11-02/run=run-42/_import.json"), ImportSpec.class);
        assertThat(spec.dayLocation()).isEqualTo(Locations.normalize(raw.toUri().toString()) + "/2018-11-02/");
        assertThat(spec.lakeLocation()).isEqualTo(Locations.normalize(temp.resolve("lake").toUri().toString()));
        assertThat(spec.sources().get("zeek_ssl")).as("the catalog's declared fields type JSON logs").isNotEmpty();

        input.put("runId", "bf-1");
        input.put("executionInput", Map.of("rawLocation", raw.toUri().toString(), "backfill", Map.of("from", "2018-11-02", "to", "2018-11-04")));
        Map<String, Object> backfill = handler.handleRequest(input, null);

        assertThat((List<Map<String, Object>>) backfill.get("imports")).as("2018-11-03 was imported already, 2018-11-04 has no raw logs")
                .extracting(step -> step.get("date")).containsExactly("2018-11-02");
        assertThat((List<Map<String, Object>>) backfill.get("jobs")).extracting(job -> job.get("date") + " " + job.get("source"))
                .containsExactly("2018-11-02 zeek_ssl", "2018-11-03 zeek_ssl");

        input.put("executionInput", Map.of());
        assertThat(handler.handleRequest(input, null).get("imports")).as("without a rawLocation nothing is imported").isEqualTo(List.of());
    }

    /** A backfill runs its correlation rules too: one correlation step per day, each reading that day's hits. */
    @Test
    public void backfillListsACorrelationStepPerDay()
            throws IOException
    {
        for (String day : List.of("2018-11-02", "2018-11-03")) {
            for (String source : List.of("zeek_ssl", "zeek_dns")) {
                Path partition = Files.createDirectories(temp.resolve("lake/" + source + "/dt=" + day));
                Files.writeString(partition.resolve("part.log"), "data\n");
            }
        }
        Path rules = new RuleFolder(temp)
                .file("rules/tls.yaml", rule("tls-449", "[zeek_ssl]", "  sel:\n    destination.port: 449\n  condition: sel\n"))
                .file("rules/dns.yaml", rule("dns-x", "[zeek_dns]", "  sel:\n    dns.question.name: x.example\n  condition: sel\n"))
                .file("rules/tls-then-dns.yaml", """
                        id: tls-then-dns
                        title: TLS to 449, then the lookup
                        topic: c2
                        owner: tests
                        correlation:
                          type: temporal_ordered
                          rules: [tls-449, dns-x]
                          group-by: [source.ip]
                          timespan: 10m
                        """)
                .root().resolve("rules");
        Map<String, Object> input = input(rules);
        input.put("runId", "bf-2");
        input.put("executionInput", Map.of("backfill", Map.of("from", "2018-11-02", "to", "2018-11-03")));

        GenerateJobsResult result = GenerateJobs.run(GenerateJobsRequest.fromInput(input, new DragnetHome(temp)));

        assertThat(result.problems()).isEmpty();
        assertThat(result.correlations()).extracting(GenerateJobsResult.Correlations::date).containsExactly("2018-11-02", "2018-11-03");
        for (GenerateJobsResult.Correlations step : result.correlations()) {
            assertThat(step.specLocation()).isEqualTo(temp.resolve("work/jobs/dt=" + step.date() + "/run=bf-2/correlations.json").toUri().toString());
            assertThat(step.topics()).isEqualTo(Map.of("c2", List.of("tls-then-dns")));
            CorrelationSpec spec = Json.read(Path.of(java.net.URI.create(step.specLocation())), CorrelationSpec.class);
            assertThat(spec.date()).isEqualTo(step.date());
            assertThat(spec.correlations()).singleElement().satisfies(correlation -> assertThat(correlation.inputs())
                    .allSatisfy(in -> assertThat(in.hits()).allSatisfy(hits -> assertThat(hits).contains("dt=" + step.date()))));
        }
    }

    @Test
    public void inputWithoutDateIsAUserError()
    {
        Map<String, Object> input = new HashMap<>();
        input.put("rulesLocation", "file:///rules");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GenerateJobsRequest.fromInput(input, new DragnetHome(temp)))
                .isInstanceOfSatisfying(io.dragnet.contracts.DragnetException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageStartingWith("GenerateJobs input needs 'date' and 'rulesLocation'; found keys");
        input.put("date", "02/11/2018");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GenerateJobsRequest.fromInput(input, new DragnetHome(temp)))
                .hasMessage("GenerateJobs input 'date' is '02/11/2018'; expected YYYY-MM-DD or an ISO-8601 timestamp such as 2026-11-22T02:30:00Z");
    }

    private static Map<Path, byte[]> snapshot(Path root)
            throws IOException
    {
        Map<Path, byte[]> files = new HashMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path), Files.readAllBytes(path));
            }
        }
        return files;
    }
}
