package io.dragnet.cost;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.cost.ledger.FileRunLedger;
import io.dragnet.cost.report.HtmlReport;
import io.dragnet.cost.report.RunsTable;
import io.dragnet.storage.LocalObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

/** Cost of the daily spot runs: {@code dragnet cost runs} (terminal table) and {@code dragnet cost report} (offline HTML). */
@Command(name = "cost", mixinStandardHelpOptions = true, description = "Cost of the daily spot runs: ledger, runs table, HTML report.",
        subcommands = {CostCommand.Runs.class, CostCommand.Report.class})
public final class CostCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand: runs or report");
    }

    /** Options shared by the subcommands: where the ledger is and which days. */
    static class LedgerOptions
    {
        @Option(names = "--results", description = "Results directory holding ledger/ (default: $DRAGNET_HOME/results).")
        Path results;

        Path results()
        {
            return results != null ? results : DragnetHome.fromEnvironment().results();
        }

        List<LedgerRow> rows(String from, String to)
        {
            LocalDate first = date(from, "--from");
            LocalDate last = date(to, "--to");
            if (first != null && last != null && first.isAfter(last)) {
                throw DragnetException.user("--from " + from + " is after --to " + to);
            }
            return new FileRunLedger(results().resolve("ledger")).rows().stream()
                    .filter(row -> first == null || !LocalDate.parse(row.date()).isBefore(first))
                    .filter(row -> last == null || !LocalDate.parse(row.date()).isAfter(last))
                    .toList();
        }

        private static LocalDate date(String value, String option)
        {
            if (value == null) {
                return null;
            }
            try {
                return LocalDate.parse(value);
            }
            catch (DateTimeParseException e) {
                throw DragnetException.user(option + " '" + value + "' is not a date (expected YYYY-MM-DD)");
            }
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "Print the ledger's runs: status, duration, fleet, cost, savings, interruptions.")
    static final class Runs
            extends LedgerOptions
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Option(names = "--from", description = "First day (YYYY-MM-DD), inclusive.")
        String from;

        @Option(names = "--to", description = "Last day (YYYY-MM-DD), inclusive.")
        String to;

        @Override
        public Integer call()
        {
            PrintWriter out = spec.commandLine().getOut();
            List<LedgerRow> rows = rows(from, to);
            if (rows.isEmpty()) {
                out.println("no runs in the ledger at " + results().resolve("ledger") + (from == null && to == null ? "" : " between " + from + " and " + to));
            }
            else {
                out.println(LedgerRow.SCOPE);
                out.print(RunsTable.render(rows));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, description = "Write a self-contained offline HTML report: daily cost, spot savings, cost per million records, runs.")
    static final class Report
            extends LedgerOptions
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Option(names = "--from", required = true, description = "First day (YYYY-MM-DD), inclusive.")
        String from;

        @Option(names = "--to", required = true, description = "Last day (YYYY-MM-DD), inclusive.")
        String to;

        @Option(names = "--out", description = "HTML file to write (default: cost-report-<from>_<to>.html in the working directory).")
        Path out;

        @Override
        public Integer call()
        {
            List<LedgerRow> rows = rows(from, to);
            Path file = (out != null ? out : Path.of("cost-report-" + from + "_" + to + ".html")).toAbsolutePath();
            write(file, HtmlReport.render(rows, from, to));
            PrintWriter writer = spec.commandLine().getOut();
            writer.println("wrote " + file + " (" + rows.size() + " run(s)" + (rows.stream().anyMatch(LedgerRow::stillRunning) ? ", some STILL RUNNING" : "") + ")");
            writer.flush();
            return 0;
        }

        private static void write(Path file, String html)
        {
            new LocalObjectStore().write(file.toString(), html.getBytes(StandardCharsets.UTF_8));
        }
    }
}
