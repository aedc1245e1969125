package io.dragnet.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock that moves only when a test (or a fake sleeper) advances it. */
public final class MutableClock
        extends Clock
{
    private volatile Instant now;

    public MutableClock(Instant start)
    {
        this.now = start;
    }

    public synchronized void advance(Duration duration)
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
