package io.dragnet.sharing.alert;

import io.dragnet.sharing.JsonLinesFile;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** One JSON line per channel and day in an owner-only file: delivered, failed (with why) or nothing new. */
public final class DeliveryLog
{
    private final JsonLinesFile<Delivery> lines;

    public DeliveryLog(Path file)
    {
        this.lines = new JsonLinesFile<>(requireNonNull(file, "file is null"), Delivery.class, "alert delivery log");
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
        lines.append(delivery);
    }

    public List<Delivery> read()
    {
        return lines.read();
    }
}
