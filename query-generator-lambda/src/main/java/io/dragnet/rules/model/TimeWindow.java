package io.dragnet.rules.model;

import java.time.LocalTime;

import static java.util.Objects.requireNonNull;

/** A UTC window within the day, from inclusive to exclusive; {@code to} at or before {@code from} wraps past midnight (00:00 as {@code to} is the end of the day). */
public record TimeWindow(LocalTime from, LocalTime to)
{
    public TimeWindow
    {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
    }
}
