package io.dragnet.sparkjobs.internal;

import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@code limit} smallest distinct event ids of a group: samples an analyst can pivot on, chosen without
 * randomness (re-runs keep the same ones) and held in bounded memory whatever the group's size.
 */
public final class SampleIds
        extends Aggregator<String, SampleIds.Buffer, String>
{
    private final int limit;

    public SampleIds(int limit)
    {
        this.limit = limit;
    }

    /** The buffer: at most {@code limit} ids, kept sorted. */
    public static final class Buffer
            implements Serializable
    {
        private final TreeSet<String> ids = new TreeSet<>();
    }

    @Override
    public Buffer zero()
    {
        return new Buffer();
    }

    @Override
    public Buffer reduce(Buffer buffer, String id)
    {
        if (id != null) {
            add(buffer, id);
        }
        return buffer;
    }

    @Override
    public Buffer merge(Buffer left, Buffer right)
    {
        right.ids.forEach(id -> add(left, id));
        return left;
    }

    private void add(Buffer buffer, String id)
    {
        if (buffer.ids.size() < limit) {
            buffer.ids.add(id);
        }
        else if (limit > 0 && id.compareTo(buffer.ids.last()) < 0 && buffer.ids.add(id)) {
            buffer.ids.pollLast();
        }
    }

    /** The ids joined with a unit separator (split by the caller), so the result type stays a plain string. */
    @Override
    public String finish(Buffer buffer)
    {
        List<String> ids = new ArrayList<>(buffer.ids);
        return String.join(SEPARATOR, ids);
    }

    public static final String SEPARATOR = "\u001f";

    @Override
    public Encoder<Buffer> bufferEncoder()
    {
        return Encoders.javaSerialization(Buffer.class);
    }

    @Override
    public Encoder<String> outputEncoder()
    {
        return Encoders.STRING();
    }
}
