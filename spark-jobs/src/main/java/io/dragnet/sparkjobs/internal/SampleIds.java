package io.dragnet.sparkjobs.internal;

import java.util.Arrays;
import java.util.List;

/**
 * The {@code limit} smallest distinct event ids of a group: samples an analyst can pivot on, chosen without
 * randomness (re-runs keep the same ones) and held in bounded memory whatever the group's size. The ids are kept
 * unordered in an array of {@code limit} slots (limits are small, and most windows never fill them), with the
 * largest one's slot known, so that an id that is not among the smallest costs one comparison.
 */
public final class SampleIds
{
    private final String[] ids;
    private int size;
    private int largest = -1;

    public SampleIds(int limit)
    {
        this.ids = new String[limit];
    }

    public void add(String id)
    {
        if (id == null || ids.length == 0) {
            return;
        }
        if (size == ids.length && id.compareTo(ids[largest]) >= 0) {
            return;
        }
        for (int i = 0; i < size; i++) {
            if (ids[i].equals(id)) {
                return;
            }
        }
        if (size < ids.length) {
            ids[size] = id;
            if (largest < 0 || id.compareTo(ids[largest]) > 0) {
                largest = size;
            }
            size++;
            return;
        }
        ids[largest] = id;
        for (int i = 0; i < size; i++) {
            if (ids[i].compareTo(ids[largest]) > 0) {
                largest = i;
            }
        }
    }

    /** The ids in ascending order. */
    public List<String> ids()
    {
        String[] sorted = Arrays.copyOf(ids, size);
        Arrays.sort(sorted);
        return List.of(sorted);
    }
}
