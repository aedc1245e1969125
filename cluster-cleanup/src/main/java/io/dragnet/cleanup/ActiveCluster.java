package io.dragnet.cleanup;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/** A cluster that is not terminated or terminating (STARTING, BOOTSTRAPPING, RUNNING, WAITING), with its tags. */
public record ActiveCluster(String id, String name, Map<String, String> tags)
{
    public ActiveCluster
    {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        tags = Map.copyOf(requireNonNull(tags, "tags is null"));
    }

    public boolean tagged(String key, String value)
    {
        return value.equals(tags.get(key));
    }
}
