package io.dragnet.sparkjobs.internal;

import java.util.List;
import java.util.TreeSet;

/**
 * The {@code limit} smallest distinct event ids of a group: samples an analyst can pivot on, chosen without
 * randomness (re-runs keep the same ones) and held in bounded memory whatever the group's size.
 */
public final class SampleIds
{
    private final int limit;
    private final TreeSet<String> ids = new TreeSet<>();

    public SampleIds(int limit)
    {
        this.limit = limit;
    }

    public void add(String id)
    {
        if (id == null || limit == 0) {
            return;
        }
        if (ids.size() < limit) {
            ids.add(id);
        }
        else if (id.compareTo(ids.last()) < 0 && ids.add(id)) {
            ids.pollLast();
        }
    }

    /** The ids in ascending order. */
    public List<String> ids()
    {
        return List.copyOf(ids);
    }
}
