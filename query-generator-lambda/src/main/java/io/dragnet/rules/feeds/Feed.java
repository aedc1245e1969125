package io.dragnet.rules.feeds;

import io.dragnet.rules.model.SourcePosition;

import java.net.URI;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * One feed of {@code feeds.yaml}: where it is fetched from, in which form, and how often.
 *
 * @param refresh a snapshot younger than this is kept without asking the server
 */
public record Feed(String name, URI url, FeedFormat format, Duration refresh, SourcePosition position)
{
    public Feed
    {
        requireNonNull(name, "name is null");
        requireNonNull(url, "url is null");
        requireNonNull(format, "format is null");
        requireNonNull(refresh, "refresh is null");
        requireNonNull(position, "position is null");
    }
}
