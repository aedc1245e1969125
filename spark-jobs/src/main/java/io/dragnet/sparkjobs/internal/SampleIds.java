package io.dragnet.sparkjobs.internal;

import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code limit} smallest distinct event ids of a group: samples an analyst can pivot on, chosen without
 * randomness (re-runs keep the same ones) and held in bounded memory whatever the group's size. The ids are kept
 * unordered in an array of {@code limit} slots (limits are small, and most windows never fill them), with the
 * largest one's slot known, so that an id that is not among the smallest costs one comparison.
 *
 * <p>Ids stay UTF-8 bytes, as Spark holds them ({@link #copyOf}), and are ordered and told apart exactly as their
 * {@link String}s would be ({@link #compare}), so no id is decoded to a String to be sampled.
 */
public final class SampleIds
{
    private final UTF8String[] ids;
    private int size;
    private int largest = -1;

    public SampleIds(int limit)
    {
        this.ids = new UTF8String[limit];
    }

    /** @param id an id made by {@link #copyOf}, or null (not sampled) */
    public void add(UTF8String id)
    {
        if (id == null || ids.length == 0) {
            return;
        }
        if (size == ids.length && compare(id, ids[largest]) >= 0) {
            return;
        }
        for (int i = 0; i < size; i++) {
            if (ids[i].equals(id)) {
                return;
            }
        }
        if (size < ids.length) {
            ids[size] = id;
            if (largest < 0 || compare(id, ids[largest]) > 0) {
                largest = size;
            }
            size++;
            return;
        }
        ids[largest] = id;
        for (int i = 0; i < size; i++) {
            if (compare(ids[i], ids[largest]) > 0) {
                largest = i;
            }
        }
    }

    /**
     * Whether {@link #add} might keep the id that {@code view} (bytes as Spark holds them, not yet copied) would be
     * copied to: false only when the set is full and the id is certainly not below its largest, so a big window's
     * records need no copy of their ids. Decided on the bytes up to the first one that differs from the largest id's
     * as long as those are ASCII (which a copy keeps as they are); otherwise true, and the copy decides.
     */
    public boolean mayKeep(UTF8String view)
    {
        if (ids.length == 0) {
            return false;
        }
        if (size < ids.length) {
            return true;
        }
        byte[] largestId = ids[largest].getBytes();
        Object base = view.getBaseObject();
        long offset = view.getBaseOffset();
        int length = view.numBytes();
        for (int i = 0; ; i++) {
            if (i == length) {
                // a prefix of the largest id is below it; the largest id itself is already kept
                return length < largestId.length;
            }
            byte b = Platform.getByte(base, offset + i);
            if (b < 0) {
                return true;
            }
            if (i == largestId.length) {
                return false;
            }
            if (b != largestId[i]) {
                // an ASCII character is below every other one, and ASCII ones compare as their bytes
                return largestId[i] < 0 || b < largestId[i];
            }
        }
    }

    /** Forgets every id: the set is as new (reused from window to window). */
    public void clear()
    {
        Arrays.fill(ids, 0, size, null);
        size = 0;
        largest = -1;
    }

    /** The ids in ascending order, as their Strings sort. */
    public UTF8String[] ids()
    {
        UTF8String[] sorted = Arrays.copyOf(ids, size);
        Arrays.sort(sorted, SampleIds::compare);
        return sorted;
    }

    /**
     * A copy of an id that outlives the buffer it was read from, in the bytes its String encodes to: the same bytes for
     * valid UTF-8, and for invalid UTF-8 the encoding of the replacement characters its String holds, so that equal
     * bytes are equal Strings.
     */
    public static UTF8String copyOf(UTF8String id)
    {
        UTF8String copy = id.copy();
        byte[] bytes = copy.getBytes();
        for (byte b : bytes) {
            if (b < 0) {
                byte[] encoded = copy.toString().getBytes(StandardCharsets.UTF_8);
                return Arrays.equals(bytes, encoded) ? copy : UTF8String.fromBytes(encoded);
            }
        }
        return copy;
    }

    /**
     * Compares valid UTF-8 texts as {@link String#compareTo} compares their Strings. Bytes compare as code points do,
     * which is String order except that a String's UTF-16 puts characters past U+FFFF (4-byte UTF-8, first byte F0-F4)
     * before U+E000-U+FFFF (first byte EE or EF); the first differing byte is such a first byte when that case arises.
     */
    static int compare(UTF8String left, UTF8String right)
    {
        byte[] a = left.getBytes();
        byte[] b = right.getBytes();
        int at = Arrays.mismatch(a, b);
        if (at < 0) {
            return 0;
        }
        if (at == a.length || at == b.length) {
            return a.length - b.length;
        }
        int x = a[at] & 0xff;
        int y = b[at] & 0xff;
        if (x >= 0xEE && y >= 0xEE && (x >= 0xF0) != (y >= 0xF0)) {
            return x >= 0xF0 ? -1 : 1;
        }
        return x - y;
    }
}
