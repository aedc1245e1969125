package io.dragnet.statemachine;

import io.dragnet.testing.MutableClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records requested waits instead of waiting, so retry schedules can be checked exactly and tests stay fast; moves
 * the test clock, when it has one, by each wait.
 */
final class RecordingSleeper
        implements Sleeper
{
    final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    private final MutableClock clock;

    RecordingSleeper()
    {
        this(null);
    }

    RecordingSleeper(MutableClock clock)
    {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration)
    {
        waits.add(duration);
        if (clock != null) {
            clock.advance(duration);
        }
    }
}
