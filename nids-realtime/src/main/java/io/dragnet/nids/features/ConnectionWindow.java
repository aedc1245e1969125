package io.dragnet.nids.features;

import com.carrotsearch.hppc.LongIntHashMap;
import io.dragnet.nids.data.SensorSession;

import java.io.Serializable;

/**
 * The last {@value #DEFAULT_SIZE} connections (UNSW-NB15's window) and the counts over them. {@link #observe} adds a
 * connection and returns its features: each ct_*_ltm / ct_srv_* count includes the connection itself and the
 * connections before it still in the window. Connections are observed in the order they are given (arrival order in the
 * streaming job); the dataset's authors ordered by last time, see nids-realtime/README.md for the difference.
 * <p>
 * The serializable state is the ring of what each connection was (addresses, service, ports); the counts are rebuilt on
 * first use after deserialization. Counting works on numbers: each address and service text in the window has a small
 * id ({@link WindowNames}), so every composite key (service with address, address with port, address pair) is one exact
 * long in a primitive map, and a connection costs three text lookups instead of fourteen hashed composite objects.
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
    private final String[] srcIps;
    private final String[] dstIps;
    private final String[] services;
    private final int[] srcPorts;
    private final int[] dstPorts;
    private int next;
    private int filled;
    private transient Counts counts;

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
        this.srcIps = new String[size];
        this.dstIps = new String[size];
        this.services = new String[size];
        this.srcPorts = new int[size];
        this.dstPorts = new int[size];
    }

    public ConnectionFeatures observe(SensorSession session)
    {
        Counts counts = counts();
        if (filled == size) {
            counts.remove(next);
        }
        else {
            filled++;
        }
        srcIps[next] = session.srcIp();
        dstIps[next] = session.dstIp();
        services[next] = session.service();
        srcPorts[next] = session.srcPort();
        dstPorts[next] = session.dstPort();
        int[] result = counts.add(next);
        next = (next + 1) % size;
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

    private Counts counts()
    {
        if (counts == null) {
            counts = new Counts();
            int oldest = filled == size ? next : 0;
            for (int i = 0; i < filled; i++) {
                counts.add((oldest + i) % size);
            }
        }
        return counts;
    }

    /** The counts of each kind of key over the ring's slots, and the names' ids of each slot. */
    private final class Counts
    {
        private final WindowNames names = new WindowNames(3 * size);
        private final LongIntHashMap[] byKind = new LongIntHashMap[KINDS];
        private final int[] srcIds = new int[size];
        private final int[] dstIds = new int[size];
        private final int[] serviceIds = new int[size];
        private final long[] keys = new long[KINDS];
        private final int[] result = new int[KINDS];

        Counts()
        {
            for (int kind = 0; kind < KINDS; kind++) {
                byKind[kind] = new LongIntHashMap(2 * size);
            }
        }

        /** Counts the connection in {@code slot}; returns each kind's count including it (reused array). */
        int[] add(int slot)
        {
            srcIds[slot] = names.acquire(srcIps[slot]);
            dstIds[slot] = names.acquire(dstIps[slot]);
            serviceIds[slot] = names.acquire(services[slot]);
            keys(slot);
            for (int kind = 0; kind < KINDS; kind++) {
                result[kind] = byKind[kind].addTo(keys[kind], 1);
            }
            return result;
        }

        /** Uncounts the connection in {@code slot}, which leaves the window. */
        void remove(int slot)
        {
            keys(slot);
            for (int kind = 0; kind < KINDS; kind++) {
                if (byKind[kind].addTo(keys[kind], -1) == 0) {
                    byKind[kind].remove(keys[kind]);
                }
            }
            names.release(srcIds[slot]);
            names.release(dstIds[slot]);
            names.release(serviceIds[slot]);
        }

        // ids are below 2^31: an id in the high half and an id or a port (as unsigned) in the low half is exact
        private void keys(int slot)
        {
            long src = srcIds[slot];
            long dst = dstIds[slot];
            long service = serviceIds[slot];
            keys[SRV_SRC] = service << 32 | src;
            keys[SRV_DST] = service << 32 | dst;
            keys[DST] = dst;
            keys[SRC] = src;
            keys[SRC_DPORT] = src << 32 | Integer.toUnsignedLong(dstPorts[slot]);
            keys[DST_SPORT] = dst << 32 | Integer.toUnsignedLong(srcPorts[slot]);
            keys[DST_SRC] = src << 32 | dst;
        }
    }
}
