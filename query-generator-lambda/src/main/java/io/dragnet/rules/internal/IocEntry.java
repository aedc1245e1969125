package io.dragnet.rules.internal;

import static java.util.Objects.requireNonNull;

/** One indicator with the metadata written to the IoC table ({@code value,feed,confidence,first_seen,description}). */
public record IocEntry(String value, String feed, String confidence, String firstSeen, String description)
{
    public IocEntry
    {
        requireNonNull(value, "value is null");
        feed = feed == null ? "" : feed;
        confidence = confidence == null ? "" : confidence;
        firstSeen = firstSeen == null ? "" : firstSeen;
        description = description == null ? "" : description;
    }
}
