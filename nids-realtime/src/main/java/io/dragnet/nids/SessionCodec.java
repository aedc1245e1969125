package io.dragnet.nids;

import com.fasterxml.jackson.core.io.NumberInput;

import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of a {@link SensorSession} on the Kafka topic "sessions": one comma-separated line
 * {@code session_id,src_ip,src_port,dst_ip,dst_port,proto,service,state,start_ms,end_ms,sent_at_ms,<MEASURES…>}.
 * A flat line, not JSON, because parsing is on the hot path of the streaming job. Decoding never throws on bad
 * input: it returns the reason, which the job sends to the dead-letter topic.
 */
public final class SessionCodec
{
    public static final List<String> HEADER;
    public static final int FIELDS;

    static {
        List<String> header = new ArrayList<>(List.of("session_id", "src_ip", "src_port", "dst_ip", "dst_port", "proto",
                "service", "state", "start_ms", "end_ms", "sent_at_ms"));
        header.addAll(SensorSession.MEASURES);
        HEADER = List.copyOf(header);
        FIELDS = HEADER.size();
    }

    private SessionCodec() {}

    public static String encode(SensorSession session, long sentAtMs)
    {
        return template(session).line(sentAtMs);
    }

    /**
     * The line of a session without its send time, split where the send time goes: a load generator encodes its
     * sessions once and stamps each as it sends it.
     */
    public record Template(String head, String tail)
    {
        public String line(long sentAtMs)
        {
            return head + sentAtMs + tail;
        }
    }

    public static Template template(SensorSession session)
    {
        StringBuilder head = new StringBuilder(96)
                .append(session.sessionId()).append(',')
                .append(session.srcIp()).append(',')
                .append(session.srcPort()).append(',')
                .append(session.dstIp()).append(',')
                .append(session.dstPort()).append(',')
                .append(session.proto()).append(',')
                .append(session.service()).append(',')
                .append(session.state()).append(',')
                .append(session.startMs()).append(',')
                .append(session.endMs()).append(',');
        StringBuilder tail = new StringBuilder(192);
        for (double measure : session.measures()) {
            tail.append(',');
            long whole = (long) measure;
            if (whole == measure) {
                tail.append(whole);
            }
            else {
                tail.append(measure);
            }
        }
        return new Template(head.toString(), tail.toString());
    }

    /** A decoded line: either a session with its send time, or the reason it was rejected. */
    public record Decoded(SensorSession session, long sentAtMs, String error)
    {
        public boolean ok()
        {
            return error == null;
        }
    }

    public static Decoded decode(String line)
    {
        if (line == null) {
            return failure("record value is null");
        }
        String[] fields = line.split(",", -1);
        if (fields.length != FIELDS) {
            return failure("expected " + FIELDS + " comma-separated fields (" + HEADER.get(0) + ",…), found " + fields.length);
        }
        try {
            String sessionId = text(fields, 0);
            String srcIp = address(fields, 1);
            int srcPort = port(fields, 2);
            String dstIp = address(fields, 3);
            int dstPort = port(fields, 4);
            String proto = text(fields, 5);
            String service = text(fields, 6);
            String state = text(fields, 7);
            long startMs = integer(fields, 8);
            long endMs = integer(fields, 9);
            long sentAtMs = integer(fields, 10);
            if (endMs < startMs) {
                throw new IllegalArgumentException("end_ms " + endMs + " is before start_ms " + startMs);
            }
            double[] measures = new double[SensorSession.MEASURES.size()];
            for (int i = 0; i < measures.length; i++) {
                measures[i] = number(fields, 11 + i);
            }
            return new Decoded(new SensorSession(sessionId, srcIp, srcPort, dstIp, dstPort, proto, service, state, startMs, endMs, measures), sentAtMs, null);
        }
        catch (IllegalArgumentException e) {
            return failure(e.getMessage());
        }
    }

    private static Decoded failure(String reason)
    {
        return new Decoded(null, 0, reason);
    }

    private static String text(String[] fields, int index)
    {
        String value = fields[index];
        if (value.isEmpty()) {
            throw new IllegalArgumentException("field " + HEADER.get(index) + " is empty");
        }
        return value;
    }

    private static long integer(String[] fields, int index)
    {
        try {
            return Long.parseLong(fields[index]);
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("field " + HEADER.get(index) + ": expected an integer, found '" + fields[index] + "'");
        }
    }

    private static int port(String[] fields, int index)
    {
        long value = integer(fields, index);
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException("field " + HEADER.get(index) + ": expected a port 0-65535, found " + value);
        }
        return (int) value;
    }

    private static double number(String[] fields, int index)
    {
        String text = fields[index];
        if (isPlainInteger(text)) {
            return Long.parseLong(text);
        }
        try {
            // FastDoubleParser (in jackson-core): the same correctly rounded value as Double.parseDouble, faster
            double value = NumberInput.parseDouble(text, true);
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("field " + HEADER.get(index) + ": expected a finite number, found '" + fields[index] + "'");
        }
    }

    /** Most measures are whole numbers; parsing them as longs is several times faster than as doubles. */
    private static boolean isPlainInteger(String text)
    {
        int length = text.length();
        if (length == 0 || length > 18) {
            return false;
        }
        for (int i = text.charAt(0) == '-' && length > 1 ? 1 : 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String address(String[] fields, int index)
    {
        String value = text(fields, index);
        if (!isIpv4(value) && !looksLikeIpv6(value)) {
            throw new IllegalArgumentException("field " + HEADER.get(index) + ": expected an IPv4 or IPv6 address, found '" + value + "'");
        }
        return value;
    }

    /** Four dot-separated decimal octets 0-255, without a regex: this runs twice per record. */
    static boolean isIpv4(String value)
    {
        int octets = 0;
        int digits = 0;
        int octet = 0;
        for (int i = 0; i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || octet > 255 || ++octets > 4) {
                    return false;
                }
                digits = 0;
                octet = 0;
            }
            else if (c >= '0' && c <= '9' && digits < 3) {
                octet = octet * 10 + (c - '0');
                digits++;
            }
            else {
                return false;
            }
        }
        return octets == 4;
    }

    private static boolean looksLikeIpv6(String value)
    {
        if (value.indexOf(':') < 0) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ':' && c != '.' && Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
