package io.dragnet.statemachine;

import java.time.Duration;

/** How Wait states and Retry intervals pass time; locally they are scaled down so a run keeps its shape but not its waits. */
@FunctionalInterface
public interface Sleeper
{
    void sleep(Duration duration);

    /** Sleeps {@code factor} of each requested duration (0.001 turns a 60 s retry interval into 60 ms). */
    static Sleeper scaled(double factor)
    {
        return duration -> {
            long millis = Math.round(duration.toMillis() * factor);
            if (millis <= 0) {
                return;
            }
            try {
                Thread.sleep(millis);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StatesError(StatesError.RUNTIME, "interrupted while waiting");
            }
        };
    }
}
