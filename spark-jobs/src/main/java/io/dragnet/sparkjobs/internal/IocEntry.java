package io.dragnet.sparkjobs.internal;

import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/** One indicator of an IoC table file, its value normalized for matching (lower case; CIDR canonical; domain without leading "*."). */
public record IocEntry(String value, String feed, Double confidence, String firstSeen, String description)
        implements Serializable
{
    public IocEntry
    {
        requireNonNull(value, "value is null");
    }
}
