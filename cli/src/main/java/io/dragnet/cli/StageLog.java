package io.dragnet.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Runs the demo's stages one after another, printing a line as each starts and ends (records and rate when known),
 * and keeps the timings for the closing summary table.
 */
final class StageLog
{
    private final PrintWriter out;
    private final int stageCount;
    private final List<StageTiming> timings = new ArrayList<>();

    StageLog(PrintWriter out, int stageCount)
    {
        this.out = requireNonNull(out, "out is null");
        this.stageCount = stageCount;
    }

    /** A finished stage: what it did, how many records it handled (-1 when records do not apply). */
    record StageTiming(String name, Duration duration, long records, String detail)
    {
        String rate()
        {
            if (records < 0 || duration.toMillis() == 0) {
                return "";
            }
            return String.format(Locale.ROOT, "%,.0f/s", records * 1000.0 / duration.toMillis());
        }
    }

    /** What a stage returns: its record count and a one-line detail. */
    record Outcome<T>(T value, long records, String detail) {}

    <T> T run(String name, Supplier<Outcome<T>> stage)
    {
        int number = timings.size() + 1;
        out.printf(Locale.ROOT, "[%d/%d] %s …%n", number, stageCount, name);
        out.flush();
        long start = System.nanoTime();
        Outcome<T> outcome = stage.get();
        StageTiming timing = new StageTiming(name, Duration.ofNanos(System.nanoTime() - start), outcome.records(), outcome.detail());
        timings.add(timing);
        out.printf(Locale.ROOT, "[%d/%d] %s done in %.1f s%s%s%n", number, stageCount, name, timing.duration().toMillis() / 1000.0,
                timing.records() >= 0 ? String.format(Locale.ROOT, ", %,d records (%s)", timing.records(), timing.rate()) : "",
                outcome.detail().isEmpty() ? "" : " — " + outcome.detail());
        out.flush();
        return outcome.value();
    }

    List<StageTiming> timings()
    {
        return List.copyOf(timings);
    }
}
