package io.dragnet.statemachine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Records requested waits instead of waiting, so retry schedules can be checked exactly and tests stay fast. */
final class RecordingSleeper
        implements Sleeper
{
    final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void sleep(Duration duration)
    {
        waits.add(duration);
    }
}
