package io.dragnet.sparkjobs.internal;

import org.apache.spark.sql.api.java.UDF1;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * IPv6 CIDR containment (IPv4 CIDRs compile to numeric range expressions instead). Addresses are parsed only when
 * they look like IPv6 literals, so no text ever reaches a name lookup.
 */
public final class Ipv6CidrUdf
        implements UDF1<String, Boolean>
{
    private final List<byte[]> networks;
    private final List<Integer> lengths;

    public Ipv6CidrUdf(List<String> cidrs)
    {
        this.networks = cidrs.stream().map(cidr -> parse(cidr.substring(0, cidr.indexOf('/') < 0 ? cidr.length() : cidr.indexOf('/')))
                .orElseThrow(() -> new IllegalArgumentException("expected an IPv6 CIDR like fd00::/8, got '" + cidr + "'"))).toList();
        this.lengths = cidrs.stream().map(Ipv6CidrUdf::length).toList();
    }

    /** Validates an IPv6 CIDR text; throws IllegalArgumentException saying what was expected. */
    public static void check(String cidr)
    {
        new Ipv6CidrUdf(List.of(cidr));
    }

    @Override
    public Boolean call(String address)
    {
        if (address == null) {
            return false;
        }
        Optional<byte[]> parsed = parse(address);
        if (parsed.isEmpty()) {
            return false;
        }
        for (int i = 0; i < networks.size(); i++) {
            if (matches(parsed.get(), networks.get(i), lengths.get(i))) {
                return true;
            }
        }
        return false;
    }

    static Optional<byte[]> parse(String text)
    {
        String trimmed = text.trim();
        int zone = trimmed.indexOf('%');
        if (zone >= 0) {
            trimmed = trimmed.substring(0, zone);
        }
        if (trimmed.indexOf(':') < 0 || !trimmed.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return Optional.empty();
        }
        try {
            byte[] bytes = InetAddress.getByName(trimmed).getAddress();
            return bytes.length == 16 ? Optional.of(bytes) : Optional.empty();
        }
        catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static int length(String cidr)
    {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return 128;
        }
        try {
            int length = Integer.parseInt(cidr.substring(slash + 1).trim());
            if (length < 0 || length > 128) {
                throw new IllegalArgumentException("expected an IPv6 prefix length within 0..128, got '" + cidr + "'");
            }
            return length;
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an IPv6 CIDR like fd00::/8, got '" + cidr + "'");
        }
    }

    private static boolean matches(byte[] address, byte[] network, int length)
    {
        int full = length / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[full] & mask) == (network[full] & mask);
    }
}
