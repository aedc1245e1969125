package io.dragnet.sparkjobs.internal;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Maps IPv4 networks to values and finds the most specific network containing an address (longest-prefix match),
 * as routers and IP-to-owner inventories do. One hash map per prefix length present: at most 33 lookups.
 */
public final class LongestPrefixTable<T extends Serializable>
        implements Serializable
{
    private final TreeMap<Integer, Map<Long, T>> byLength = new TreeMap<>(java.util.Collections.reverseOrder());
    private int size;

    /** Adds a network; when the same network is added twice the first value stays (inputs are read in order). */
    public void put(Cidr cidr, T value)
    {
        Map<Long, T> networks = byLength.computeIfAbsent(cidr.prefixLength(), ignored -> new HashMap<>());
        if (networks.putIfAbsent(cidr.network(), value) == null) {
            size++;
        }
    }

    public Optional<T> lookup(String address)
    {
        long ip = Cidr.parseIpv4(address);
        return ip < 0 ? Optional.empty() : lookup(ip);
    }

    public Optional<T> lookup(long ip)
    {
        for (Map.Entry<Integer, Map<Long, T>> entry : byLength.entrySet()) {
            T value = entry.getValue().get(ip & Cidr.mask(entry.getKey()));
            if (value != null) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    public int size()
    {
        return size;
    }
}
