package io.dragnet.anonymization;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** An IPv4 or IPv6 network in CIDR notation. */
public record Network(byte[] prefix, int length)
{
    private static final Pattern ADDRESS_TEXT = Pattern.compile("[0-9A-Fa-f:.]+");

    public Network
    {
        requireNonNull(prefix, "prefix is null");
        if (prefix.length != 4 && prefix.length != 16 || length < 0 || length > prefix.length * 8) {
            throw new IllegalArgumentException("a network has a 4- or 16-byte prefix and a length within its bits");
        }
        prefix = mask(prefix.clone(), length);
    }

    /** Parses {@code 10.0.0.0/8}, {@code fd00::/8} or a bare address; empty when the text is not one. */
    public static Optional<Network> parse(String text)
    {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        Optional<byte[]> address = address(slash < 0 ? trimmed : trimmed.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int bits = address.get().length * 8;
        int length = bits;
        if (slash >= 0) {
            try {
                length = Integer.parseInt(trimmed.substring(slash + 1));
            }
            catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (length < 0 || length > bits) {
                return Optional.empty();
            }
        }
        return Optional.of(new Network(address.get(), length));
    }

    /** The bytes of a literal IPv4 or IPv6 address, never a DNS lookup; empty when the text is not one. */
    public static Optional<byte[]> address(String text)
    {
        if (text == null || text.isEmpty() || text.length() > 45 || !ADDRESS_TEXT.matcher(text).matches()
                || (text.indexOf(':') < 0 && text.chars().filter(c -> c == '.').count() != 3)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text).getAddress());
        }
        catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean contains(byte[] address)
    {
        return address.length == prefix.length && Arrays.equals(mask(address.clone(), length), prefix);
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof Network network && network.length == length && Arrays.equals(network.prefix, prefix);
    }

    @Override
    public int hashCode()
    {
        return 31 * Arrays.hashCode(prefix) + length;
    }

    @Override
    public String toString()
    {
        try {
            return InetAddress.getByAddress(prefix).getHostAddress() + "/" + length;
        }
        catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mask(byte[] bytes, int length)
    {
        for (int bit = length; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return bytes;
    }
}
