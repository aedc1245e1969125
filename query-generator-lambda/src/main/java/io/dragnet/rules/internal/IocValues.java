package io.dragnet.rules.internal;

import io.dragnet.rules.model.IocKind;

import java.net.IDN;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks and normalizes indicator values so that feeds written differently compare equal: IPv4 dotted quads,
 * IPv6 in RFC 5952 form, CIDRs reduced to their network address, lower-case domains without a trailing dot,
 * lower-case hex hashes.
 */
public final class IocValues
{
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

    private IocValues() {}

    /** The normalized value, or a message saying what was expected. */
    public static Result normalize(IocKind kind, String raw)
    {
        String value = raw.strip();
        if (value.isEmpty()) {
            return Result.invalid(null, "empty " + kind.keyword() + " value");
        }
        return switch (kind) {
            case IP -> ip(value).map(Result::ok).orElseGet(() -> Result.invalid(value, "is not an IPv4 or IPv6 address"));
            case CIDR -> cidr(value).map(Result::ok).orElseGet(() -> Result.invalid(value, "is not a CIDR such as 10.0.0.0/8 or 2001:db8::/32"));
            case DOMAIN -> domain(value).map(Result::ok).orElseGet(() -> Result.invalid(value, "is not a domain name"));
            case URL -> value.matches("(?i)[a-z][a-z0-9+.-]*://\\S+") ? Result.ok(value) : Result.invalid(value, "is not a URL with a scheme, e.g. http://host/path");
            case MD5 -> hex(value, 32, "MD5");
            case SHA1 -> hex(value, 40, "SHA-1");
            case SHA256 -> hex(value, 64, "SHA-256");
            case JA3 -> hex(value, 32, "JA3 (an MD5)");
            case USER_AGENT, KEYWORD -> Result.ok(raw);
        };
    }

    /**
     * @param problem what is wrong, quoting the value (for values a rule wrote)
     * @param problemWithoutValue the same without the value (for values read from a feed file: errors never echo file contents)
     */
    public record Result(String value, String problem, String problemWithoutValue)
    {
        static Result ok(String value)
        {
            return new Result(value, null, null);
        }

        /** @param found the offending value, or null when there is none to show */
        static Result invalid(String found, String finding)
        {
            return found == null ? new Result(null, finding, finding)
                    : new Result(null, "'" + YamlNode.abbreviate(found) + "' " + finding, "value " + finding);
        }

        public boolean valid()
        {
            return value != null;
        }
    }

    public static Optional<String> ip(String text)
    {
        if (IPV4.matcher(text).matches()) {
            return Optional.of(text);
        }
        if (text.contains(":") && IPV6_CHARACTERS.matcher(text).matches()) {
            return ipv6(text);
        }
        return Optional.empty();
    }

    public static Optional<String> cidr(String text)
    {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        Optional<String> ip = ip(address);
        if (ip.isEmpty()) {
            return Optional.empty();
        }
        boolean v4 = !ip.get().contains(":");
        int bits = v4 ? 32 : 128;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (prefix < 0 || prefix > bits) {
            return Optional.empty();
        }
        byte[] bytes = bytes(ip.get());
        for (int bit = prefix; bit < bits; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return Optional.of(format(bytes) + "/" + prefix);
    }

    public static Optional<String> domain(String text)
    {
        String value = text.toLowerCase(Locale.ROOT);
        if (value.startsWith("*.")) {
            value = value.substring(2);
        }
        if (value.endsWith(".")) {
            value = value.substring(0, value.length() - 1);
        }
        try {
            value = IDN.toASCII(value, IDN.ALLOW_UNASSIGNED);
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!DOMAIN.matcher(value).matches() || IPV4.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** The host of a URL when it is a domain name (URL feeds can feed a domain sweep), else empty. */
    public static Optional<String> domainOfUrl(String url)
    {
        try {
            String host = URI.create(url.strip().replace(" ", "%20")).getHost();
            return host == null ? Optional.empty() : domain(host);
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Result hex(String value, int length, String name)
    {
        if (value.length() == length && HEX.matcher(value).matches()) {
            return Result.ok(value.toLowerCase(Locale.ROOT));
        }
        return Result.invalid(value, "is not a " + name + " hash; expected " + length + " hex digits");
    }

    private static Optional<String> ipv6(String text)
    {
        byte[] bytes = bytes(text);
        return bytes == null ? Optional.empty() : Optional.of(format(bytes));
    }

    /** Literal parsing only; never resolves names (InetAddress is given only text that is already an address). */
    private static byte[] bytes(String literal)
    {
        try {
            return java.net.InetAddress.getByName(literal.contains(":") ? "[" + literal + "]" : literal).getAddress();
        }
        catch (java.net.UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Dotted quad, or RFC 5952: lower case, longest run of two or more zero groups compressed. */
    private static String format(byte[] bytes)
    {
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] == 0) {
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            }
            else {
                i++;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
