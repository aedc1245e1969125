package io.dragnet.nids;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The last {@value #DEFAULT_SIZE} connections (UNSW-NB15's window) and the counts over them. {@link #observe} adds a
 * connection and returns its features: each ct_*_ltm / ct_srv_* count includes the connection itself and the
 * connections before it still in the window. Connections are observed in the order they are given (arrival order in the
 * streaming job); the dataset's authors ordered by last time, see nids-realtime/README.md for the difference.
 * <p>
 * The serializable state is the ring of keys only; the count maps are rebuilt on first use after deserialization.
 * Composite keys are small objects, not joined strings: their hash combines the fields' cached string hashes, so a
 * connection costs no string copying.
 */
public final class ConnectionWindow
        implements Serializable
{
    public static final int DEFAULT_SIZE = 100;

    private static final int SRV_SRC = 0;
    private static final int SRV_DST = 1;
    private static final int DST = 2;
    private static final int SRC = 3;
    private static final int SRC_DPORT = 4;
    private static final int DST_SPORT = 5;
    private static final int DST_SRC = 6;
    private static final int KINDS = 7;

    private final int size;
    private final Object[][] ring;
    private int next;
    private int filled;
    private transient Map<Object, Integer>[] counts;

    public ConnectionWindow()
    {
        this(DEFAULT_SIZE);
    }

    public ConnectionWindow(int size)
    {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        this.size = size;
        this.ring = new Object[size][];
    }

    public ConnectionFeatures observe(SensorSession session)
    {
        Map<Object, Integer>[] maps = counts();
        Object[] keys = keys(session);
        if (filled == size) {
            Object[] evicted = ring[next];
            for (int kind = 0; kind < KINDS; kind++) {
                maps[kind].computeIfPresent(evicted[kind], (key, count) -> count == 1 ? null : count - 1);
            }
        }
        else {
            filled++;
        }
        ring[next] = keys;
        next = (next + 1) % size;
        int[] result = new int[KINDS];
        for (int kind = 0; kind < KINDS; kind++) {
            result[kind] = maps[kind].merge(keys[kind], 1, Integer::sum);
        }
        int sttl = (int) session.measure(SensorSession.STTL);
        int dttl = (int) session.measure(SensorSession.DTTL);
        return new ConnectionFeatures(
                result[SRV_SRC],
                result[SRV_DST],
                result[DST],
                result[SRC],
                result[SRC_DPORT],
                result[DST_SPORT],
                result[DST_SRC],
                ConnectionFeatures.stateTtl(session.state(), sttl, dttl),
                (int) session.measure(SensorSession.HTTP_METHODS),
                session.measure(SensorSession.FTP_LOGIN) > 0 ? 1 : 0,
                (int) session.measure(SensorSession.FTP_COMMANDS));
    }

    public int connections()
    {
        return filled;
    }

    /**
     * Two values as one key (an address with a service, address or port). Not a record: the micro-batch job keeps
     * windows in Spark state, and Kryo cannot write records.
     */
    static final class Pair
            implements Serializable
    {
        private final String first;
        private final Object second;

        Pair(String first, Object second)
        {
            this.first = first;
            this.second = second;
        }

        @Override
        public boolean equals(Object other)
        {
            return other instanceof Pair pair && pair.first.equals(first) && pair.second.equals(second);
        }

        /**
         * Not {@code 31 * a + b}: string hashes of addresses that differ in their last digit differ by small steps, so
         * that sum collides for whole address blocks (59.166.0.3 → .5 and .5 → .3), HashMap turns the crowded bins
         * into trees of keys it cannot order, and each count costs a tree walk. A large odd multiplier keeps them apart.
         */
        @Override
        public int hashCode()
        {
            int hash = first.hashCode() * 0x9E3779B1 + second.hashCode();
            return hash ^ (hash >>> 16);
        }
    }

    private static Object[] keys(SensorSession session)
    {
        Object[] keys = new Object[KINDS];
        keys[SRV_SRC] = new Pair(session.service(), session.srcIp());
        keys[SRV_DST] = new Pair(session.service(), session.dstIp());
        keys[DST] = session.dstIp();
        keys[SRC] = session.srcIp();
        keys[SRC_DPORT] = new Pair(session.srcIp(), session.dstPort());
        keys[DST_SPORT] = new Pair(session.dstIp(), session.srcPort());
        keys[DST_SRC] = new Pair(session.srcIp(), session.dstIp());
        return keys;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Integer>[] counts()
    {
        if (counts == null) {
            counts = new Map[KINDS];
            for (int kind = 0; kind < KINDS; kind++) {
                counts[kind] = new HashMap<>();
            }
            int oldest = filled == size ? next : 0;
            for (int i = 0; i < filled; i++) {
                Object[] keys = ring[(oldest + i) % size];
                for (int kind = 0; kind < KINDS; kind++) {
                    counts[kind].merge(keys[kind], 1, Integer::sum);
                }
            }
        }
        return counts;
    }
}
