package io.dragnet.sharing;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One export: the days, the topics (empty: every topic the recipient may receive) and rules (empty: all) asked for,
 * the recipient, the format, where to write (a local path or an s3:// location), and who asked.
 */
public record ExportRequest(LocalDate from, LocalDate to, Set<String> topics, List<String> rules, String recipient, ExportFormat format, String out, String operator)
{
    public ExportRequest
    {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("the export ends on " + to + ", before it starts on " + from);
        }
        topics = Set.copyOf(topics);
        rules = List.copyOf(rules);
        requireNonNull(recipient, "recipient is null");
        requireNonNull(format, "format is null");
        requireNonNull(out, "out is null");
        requireNonNull(operator, "operator is null");
    }
}
