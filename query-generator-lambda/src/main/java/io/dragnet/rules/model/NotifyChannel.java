package io.dragnet.rules.model;

import static java.util.Objects.requireNonNull;

/**
 * A channel a rule's new hits are alerted to ({@code notify: [name]}), with where it was written so an unknown name can
 * be reported at its place. The channels themselves are declared by the sharing policy, which decides what they may show.
 */
public record NotifyChannel(String name, SourcePosition position)
{
    public NotifyChannel
    {
        requireNonNull(name, "name is null");
        requireNonNull(position, "position is null");
    }
}
