package io.dragnet.sharing.alert;

import io.dragnet.sharing.RecordFolder;
import io.dragnet.storage.ObjectFolder;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** One record per channel and day in a folder of the object store: delivered, failed (with why) or nothing new. */
public final class DeliveryLog
{
    private final RecordFolder<Delivery> records;

    public DeliveryLog(ObjectFolder folder)
    {
        this.records = new RecordFolder<>(requireNonNull(folder, "folder is null"), Delivery.class, "alert delivery log");
    }

    /** @param error why the last attempt failed, or null */
    public record Delivery(String time, String channel, String day, String status, int attempts, int newHits, String error)
    {
        public Delivery
        {
            requireNonNull(time, "time is null");
            requireNonNull(channel, "channel is null");
            requireNonNull(status, "status is null");
        }
    }

    public void append(Delivery delivery)
    {
        records.append(Instant.parse(delivery.time()), delivery);
    }

    public List<Delivery> read()
    {
        return records.read().stream().map(RecordFolder.Stored::record).toList();
    }
}
