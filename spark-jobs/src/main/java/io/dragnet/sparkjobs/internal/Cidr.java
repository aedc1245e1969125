package io.dragnet.sparkjobs.internal;

import java.io.Serializable;

/**
 * An IPv4 network. Addresses are unsigned 32-bit values held in a long.
 *
 * @param network the network address with host bits cleared
 * @param prefixLength 0..32
 */
public record Cidr(long network, int prefixLength)
        implements Serializable
{
    public Cidr
    {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not within 0..32");
        }
        network = network & mask(prefixLength);
    }

    /** Parses {@code a.b.c.d/len} or a bare address (a /32); throws IllegalArgumentException saying what was expected. */
    public static Cidr parse(String text)
    {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        long ip = parseIpv4(address);
        if (ip < 0) {
            throw new IllegalArgumentException("expected an IPv4 CIDR like 10.0.0.0/8, got '" + text + "'");
        }
        int length = 32;
        if (slash >= 0) {
            try {
                length = Integer.parseInt(trimmed.substring(slash + 1));
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an IPv4 CIDR like 10.0.0.0/8, got '" + text + "'");
            }
            if (length < 0 || length > 32) {
                throw new IllegalArgumentException("expected a prefix length within 0..32, got '" + text + "'");
            }
        }
        return new Cidr(ip, length);
    }

    /** The address as an unsigned value, or -1 when the text is not a dotted-quad IPv4 address. */
    public static long parseIpv4(String text)
    {
        if (text == null) {
            return -1;
        }
        int length = text.length();
        if (length < 7 || length > 15) {
            return -1;
        }
        long result = 0;
        int octet = -1;
        int dots = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (octet < 0 || dots == 3) {
                    return -1;
                }
                result = (result << 8) | octet;
                octet = -1;
                dots++;
            }
            else if (c >= '0' && c <= '9') {
                octet = octet < 0 ? c - '0' : octet * 10 + (c - '0');
                if (octet > 255) {
                    return -1;
                }
            }
            else {
                return -1;
            }
        }
        if (octet < 0 || dots != 3) {
            return -1;
        }
        return (result << 8) | octet;
    }

    public static long mask(int prefixLength)
    {
        return prefixLength == 0 ? 0L : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
    }

    public boolean contains(long ip)
    {
        return ip >= 0 && (ip & mask(prefixLength)) == network;
    }

    /** The join key of an address at this prefix length: the network bits shifted down. */
    public static long prefixKey(long ip, int prefixLength)
    {
        return prefixLength == 0 ? 0L : ip >>> (32 - prefixLength);
    }

    @Override
    public String toString()
    {
        return ((network >>> 24) & 255) + "." + ((network >>> 16) & 255) + "." + ((network >>> 8) & 255) + "." + (network & 255) + "/" + prefixLength;
    }
}
