package io.dragnet.sharing.daily;

import io.dragnet.contracts.DragnetException;
import io.dragnet.sharing.ExportRequest;
import io.dragnet.sharing.ExportTrail;
import io.dragnet.sharing.Exporter;
import io.dragnet.sharing.SharingPolicy;
import io.dragnet.sharing.alert.DeliveryLog;
import io.dragnet.sharing.alert.Notifier;
import io.dragnet.storage.ObjectFolder;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What the daily run shares once its day is published: every channel's alert of new hits, then every export the
 * sharing policy schedules, written under {@code exports/<day>/} of the results folder and recorded in the trail.
 * A refused export (row limit, leak check) or a failed delivery is reported and the others go on: sharing never
 * fails the run that published the day.
 */
public final class DailySharing
{
    private final SharingPolicy policy;
    private final Notifier notifier;
    private final Exporter exporter;
    private final ObjectFolder exports;

    public record Shared(String recipient, String format, String file, int rows, String sha256) {}

    public record Refused(String recipient, String format, String reason) {}

    public record Outcome(List<DeliveryLog.Delivery> deliveries, List<Shared> exports, List<Refused> refused) {}

    /** @param exports the folder dated export files go under ({@code <results>/exports}) */
    public DailySharing(SharingPolicy policy, Notifier notifier, Exporter exporter, ObjectFolder exports)
    {
        this.policy = requireNonNull(policy, "policy is null");
        this.notifier = requireNonNull(notifier, "notifier is null");
        this.exporter = requireNonNull(exporter, "exporter is null");
        this.exports = requireNonNull(exports, "exports is null");
    }

    public Outcome share(LocalDate day, String operator)
    {
        List<DeliveryLog.Delivery> deliveries = notifier.notify(day);
        List<Shared> shared = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        for (SharingPolicy.ScheduledExport scheduled : policy.schedule()) {
            String format = scheduled.format().name().toLowerCase(Locale.ROOT);
            String file = exports.uri(day + "/" + scheduled.recipient() + "." + format + "." + scheduled.format().extension());
            try {
                ExportTrail.Entry entry = exporter.export(new ExportRequest(day, day, Set.of(), List.of(), scheduled.recipient(), scheduled.format(), file, operator));
                shared.add(new Shared(entry.recipient(), entry.format(), entry.file(), entry.rowsExported(), entry.sha256()));
            }
            catch (DragnetException e) {
                refused.add(new Refused(scheduled.recipient(), format, e.getMessage()));
            }
        }
        return new Outcome(deliveries, shared, refused);
    }
}
