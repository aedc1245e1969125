package io.dragnet.nids.features;

import com.carrotsearch.hppc.IntArrayDeque;
import com.carrotsearch.hppc.ObjectIntHashMap;

/**
 * Small ids for the texts (addresses, services) of a connection window, counted by reference: a text keeps its id
 * while any connection in the window names it, and the id is reused once none does, so ids stay below the capacity
 * (at most three texts per connection). Equal texts have equal ids, whatever their form (IPv4, IPv6, service).
 */
final class WindowNames
{
    private final ObjectIntHashMap<String> ids;
    private final String[] texts;
    private final int[] references;
    private final IntArrayDeque free = new IntArrayDeque();
    private int nextId;

    WindowNames(int capacity)
    {
        this.ids = new ObjectIntHashMap<>(capacity);
        this.texts = new String[capacity];
        this.references = new int[capacity];
    }

    int acquire(String text)
    {
        int slot = ids.indexOf(text);
        int id;
        if (ids.indexExists(slot)) {
            id = ids.indexGet(slot);
        }
        else {
            id = free.isEmpty() ? nextId++ : free.removeLast();
            ids.indexInsert(slot, text, id);
            texts[id] = text;
        }
        references[id]++;
        return id;
    }

    void release(int id)
    {
        if (--references[id] == 0) {
            ids.remove(texts[id]);
            texts[id] = null;
            free.addLast(id);
        }
    }

    /** Texts with an id now. */
    int size()
    {
        return ids.size();
    }
}
