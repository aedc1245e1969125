package io.dragnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.contracts.RunFolders;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.nids.NidsDayResult;
import io.dragnet.sparkjobs.lake.ImportSummary;
import io.dragnet.statemachine.ExecutionResult;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The demo's closing page: where everything is, who sees what, and a summary table of rules and stages. */
record DemoReport(
        PrintWriter out,
        DragnetHome home,
        LocalDate date,
        String runId,
        OpenSearchConnection connection,
        NidsDayResult nids,
        ImportSummary imported,
        ExecutionResult execution,
        List<AccessCheck.GroupView> views,
        List<String> topics,
        List<RunMetrics> metrics,
        List<StageLog.StageTiming> timings)
{
    void print()
    {
        out.println();
        out.println("== where everything is");
        out.printf("OpenSearch        %s  (admin user '%s', password and CA in %s)%n", connection.endpoint(), connection.username(),
                OpenSearchConnection.defaultFile(home));
        out.printf("NIDS verdicts     %s%n", nids.verdictsDirectory());
        out.printf("CSV summaries     %s%n", home.results().resolve(RunFolders.relative(RunFolders.SUMMARIES, date.toString(), runId)));
        out.printf("run metrics       %s%n", home.results().resolve(RunFolders.relative(RunFolders.RUNS, date.toString(), runId)));
        out.printf("cost ledger       %s  (./dragnet cost runs; ./dragnet cost report --from %s --to %s --out report.html)%n",
                home.results().resolve("ledger"), date, date);
        out.printf("execution history %s%n", execution.historyFile());
        printCost();

        out.println();
        out.println("== what each group can see (ID tokens of the local user pool, sent through the token gateway; reuse them with `dragnet access gateway` and curl -H \"Authorization: Bearer $(cat FILE)\")");
        List<String> header = new ArrayList<>(List.of("group"));
        topics.forEach(topic -> header.add(IndexNames.dayAlias(topic, date)));
        header.add(IndexNames.RUNS_INDEX);
        header.add("token");
        TextTable access = new TextTable(header.toArray(String[]::new));
        for (AccessCheck.GroupView view : views) {
            List<Object> row = new ArrayList<>(List.of(view.group()));
            row.addAll(view.seen().values());
            row.add(view.tokenFile());
            access.row(row.toArray());
        }
        out.print(access.render());

        out.println();
        out.println("== rules: hits per rule");
        Map<String, Long> hits = new TreeMap<>();
        metrics.forEach(run -> run.matchedPerRule().forEach((rule, count) -> hits.merge(rule, count, Long::sum)));
        TextTable rules = new TextTable("rule", "hits");
        hits.forEach(rules::row);
        out.print(rules.render());
        TextTable sources = new TextTable("source", "read", "rejected", "matched", "seconds");
        metrics.forEach(run -> sources.row(run.source(), run.recordsRead(), run.recordsRejected(), run.recordsMatched(),
                String.format(Locale.ROOT, "%.1f", run.durationMillis() / 1000.0)));
        out.print(sources.render());

        out.println();
        out.println("== stages");
        TextTable stages = new TextTable("stage", "seconds", "records", "rate");
        for (StageLog.StageTiming timing : timings) {
            stages.row(timing.name(), String.format(Locale.ROOT, "%.1f", timing.duration().toMillis() / 1000.0),
                    timing.records() < 0 ? "" : String.format(Locale.ROOT, "%,d", timing.records()), timing.rate());
        }
        out.print(stages.render());
        out.printf("%nworkflow %s (%s); rules %d, jobs %d; NIDS %,d verdicts at %,.0f sessions/s; %,d Zeek rows imported%n",
                execution.status(), execution.executionName(), hits.size(), metrics.size(), nids.verdicts(), nids.sessionsPerSecond(), imported.records());
        out.flush();
    }

    private void printCost()
    {
        JsonNode cost = execution.output() == null ? null : execution.output().path("cost").path("ledger");
        if (cost == null || cost.isMissingNode() || cost.isNull()) {
            out.println("run cost          (not recorded)");
            return;
        }
        out.printf("run cost          %s %s total, %s at on-demand prices, %s%% saved by spot%s%n",
                cost.path("totalCost").asText("?"), cost.path("currency").asText("USD"), cost.path("onDemandCost").asText("?"),
                cost.path("savingsPercent").asText("?"), cost.path("estimate").asBoolean(false) ? " — ESTIMATE: " + cost.path("note").asText() : "");
    }
}
