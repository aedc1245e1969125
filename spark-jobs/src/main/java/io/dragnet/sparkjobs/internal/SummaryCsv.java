package io.dragnet.sparkjobs.internal;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a rule summary as a spreadsheet-friendly CSV: one row per top entity (rank 1..10) with the rule's totals
 * repeated on each row, or a single row with empty rank when nothing matched.
 */
public final class SummaryCsv
{
    public static final List<String> HEADER = List.of("rule_id", "rule_name", "topic", "date", "source", "hits", "distinct_sources",
            "distinct_destinations", "first_time", "last_time", "rank", "entity", "entity_hits");

    private SummaryCsv() {}

    public static String render(RuleSummary summary)
    {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator("\n").build())) {
            printer.printRecord(HEADER);
            List<Object> totals = List.of(summary.ruleId(), text(summary.ruleName()), text(summary.topic()), text(summary.date()), text(summary.source()),
                    summary.hits(), summary.distinctSources(), summary.distinctDestinations(), time(summary.firstTime()), time(summary.lastTime()));
            if (summary.topEntities().isEmpty()) {
                List<Object> row = new ArrayList<>(totals);
                row.addAll(List.of("", "", ""));
                printer.printRecord(row);
            }
            int rank = 1;
            for (RuleSummary.EntityCount entity : summary.topEntities()) {
                List<Object> row = new ArrayList<>(totals);
                row.add(rank++);
                row.add(entity.entity());
                row.add(entity.hits());
                printer.printRecord(row);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes one CSV per rule at {@code <root>/<topic>/<rule>.csv}, each file whole. */
    public static void write(Storage storage, List<RuleSummary> summaries, String root)
    {
        for (RuleSummary summary : summaries) {
            String location = Storage.child(Storage.child(root, summary.topic()), fileName(summary.ruleId()));
            storage.write(location, render(summary).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A file name for a rule id: characters other than letters, digits, '.', '_' and '-' become '_'. */
    public static String fileName(String ruleId)
    {
        return ruleId.replaceAll("[^A-Za-z0-9._-]", "_") + ".csv";
    }

    private static String text(String value)
    {
        return value == null ? "" : value;
    }

    private static String time(Instant instant)
    {
        return instant == null ? "" : instant.toString();
    }
}
