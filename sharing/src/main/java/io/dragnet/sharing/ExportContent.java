package io.dragnet.sharing;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What one export carries, already filtered and anonymized for its recipient.
 *
 * @param tlp the most restricted level among the exported hits, which marks the whole file
 * @param views the recipient's view of each hit, in the order of {@code fields}
 */
public record ExportContent(SharingPolicy.Producer producer, String recipient, Tlp tlp, LocalDate from, LocalDate to,
        List<String> fields, List<Map<String, Object>> views)
{
    public ExportContent
    {
        requireNonNull(producer, "producer is null");
        requireNonNull(recipient, "recipient is null");
        requireNonNull(tlp, "tlp is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        fields = List.copyOf(fields);
        views = List.copyOf(views);
    }
}
