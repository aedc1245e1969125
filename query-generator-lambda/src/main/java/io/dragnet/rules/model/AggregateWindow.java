package io.dragnet.rules.model;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Windows of an aggregate rule, aligned to midnight UTC. Tumbling when {@code slide} equals {@code size}; sliding
 * otherwise, a new window starting every {@code slide}.
 */
public record AggregateWindow(Duration size, Duration slide, SourcePosition position)
{
    public AggregateWindow
    {
        requireNonNull(size, "size is null");
        requireNonNull(slide, "slide is null");
        requireNonNull(position, "position is null");
    }

    public boolean sliding()
    {
        return !slide.equals(size);
    }
}
