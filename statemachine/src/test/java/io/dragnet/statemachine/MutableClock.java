package io.dragnet.statemachine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told: by {@link RecordingSleeper}'s waits, or by a test jumping past a deadline. */
final class MutableClock
        extends Clock
{
    private volatile Instant now;

    MutableClock(Instant start)
    {
        this.now = start;
    }

    synchronized void advance(Duration duration)
    {
        now = now.plus(duration);
    }

    @Override
    public ZoneId getZone()
    {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone)
    {
        throw new UnsupportedOperationException("a test clock stays in UTC");
    }

    @Override
    public Instant instant()
    {
        return now;
    }
}
