package io.dragnet.contracts;

import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/** One indicator of an {@link IocTableFile} and its metadata; absent metadata is null. */
public record IocEntry(String value, String feed, Double confidence, String firstSeen, String description)
        implements Serializable
{
    public IocEntry
    {
        requireNonNull(value, "value is null");
    }
}
