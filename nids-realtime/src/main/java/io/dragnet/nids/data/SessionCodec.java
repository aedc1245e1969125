package io.dragnet.nids.data;

import com.fasterxml.jackson.core.io.NumberInput;

import java.nio.charset.StandardCharsets;
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
    private static final int SENT_AT_FIELD = 10;

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
        return decode(line == null ? null : line.getBytes(StandardCharsets.UTF_8));
    }

    /** A line as the topic holds it: UTF-8 bytes. */
    public static Decoded decode(byte[] line)
    {
        if (line == null) {
            return failure("record value is null");
        }
        // field i is line[bounds[i], bounds[i + 1] - 1): one scan, no copies but the text fields kept
        int[] bounds = new int[FIELDS + 1];
        int found = 1;
        for (int at = 0; at < line.length; at++) {
            if (line[at] == ',') {
                if (found < FIELDS) {
                    bounds[found] = at + 1;
                }
                found++;
            }
        }
        if (found != FIELDS) {
            return failure("expected " + FIELDS + " comma-separated fields (" + HEADER.get(0) + ",…), found " + found);
        }
        bounds[FIELDS] = line.length + 1;
        Fields fields = new Fields(line, bounds);
        try {
            String sessionId = fields.text(0);
            String srcIp = fields.address(1);
            int srcPort = fields.port(2);
            String dstIp = fields.address(3);
            int dstPort = fields.port(4);
            String proto = fields.text(5);
            String service = fields.text(6);
            String state = fields.text(7);
            long startMs = fields.integer(8);
            long endMs = fields.integer(9);
            long sentAtMs = fields.integer(SENT_AT_FIELD);
            if (endMs < startMs) {
                throw new IllegalArgumentException("end_ms " + endMs + " is before start_ms " + startMs);
            }
            double[] measures = new double[SensorSession.MEASURES.size()];
            for (int i = 0; i < measures.length; i++) {
                measures[i] = fields.number(11 + i);
            }
            return new Decoded(new SensorSession(sessionId, srcIp, srcPort, dstIp, dstPort, proto, service, state, startMs, endMs, measures), sentAtMs, null);
        }
        catch (IllegalArgumentException e) {
            return failure(e.getMessage());
        }
    }

    /**
     * The send time of a line without decoding the rest, or -1 when the line has no such field or it is not a whole
     * number: what the bench's passthrough needs, at the cost of a scan to the eleventh field.
     */
    public static long sentAtMs(String line)
    {
        return sentAtMs(line == null ? null : line.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #sentAtMs(String)} of a line's UTF-8 bytes. */
    public static long sentAtMs(byte[] line)
    {
        if (line == null) {
            return -1;
        }
        int start = 0;
        for (int field = 0; field < SENT_AT_FIELD; field++) {
            while (start < line.length && line[start] != ',') {
                start++;
            }
            if (start == line.length) {
                return -1;
            }
            start++;
        }
        int end = start;
        while (end < line.length && line[end] != ',') {
            end++;
        }
        long value = PlainInteger.parse(line, start, end);
        return value < 0 ? -1 : value;
    }

    private static Decoded failure(String reason)
    {
        return new Decoded(null, 0, reason);
    }

    /** The fields of one line by position, parsed in place. */
    private record Fields(byte[] line, int[] bounds)
    {
        int start(int index)
        {
            return bounds[index];
        }

        int end(int index)
        {
            return bounds[index + 1] - 1;
        }

        String raw(int index)
        {
            return new String(line, start(index), end(index) - start(index), StandardCharsets.UTF_8);
        }

        String text(int index)
        {
            if (start(index) == end(index)) {
                throw new IllegalArgumentException("field " + HEADER.get(index) + " is empty");
            }
            return raw(index);
        }

        long integer(int index)
        {
            long value = PlainInteger.parse(line, start(index), end(index));
            if (value != PlainInteger.NOT_PLAIN) {
                return value;
            }
            try {
                return Long.parseLong(raw(index));
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("field " + HEADER.get(index) + ": expected an integer, found '" + raw(index) + "'");
            }
        }

        int port(int index)
        {
            long value = integer(index);
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("field " + HEADER.get(index) + ": expected a port 0-65535, found " + value);
            }
            return (int) value;
        }

        double number(int index)
        {
            double plain = PlainDecimal.parse(line, start(index), end(index));
            if (!Double.isNaN(plain)) {
                return plain;
            }
            try {
                // FastDoubleParser (in jackson-core): the same correctly rounded value as Double.parseDouble, faster
                double value = NumberInput.parseDouble(raw(index), true);
                if (Double.isNaN(value) || Double.isInfinite(value)) {
                    throw new NumberFormatException();
                }
                return value;
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("field " + HEADER.get(index) + ": expected a finite number, found '" + raw(index) + "'");
            }
        }

        String address(int index)
        {
            String value = text(index);
            if (!isIpv4(value) && !looksLikeIpv6(value)) {
                throw new IllegalArgumentException("field " + HEADER.get(index) + ": expected an IPv4 or IPv6 address, found '" + value + "'");
            }
            return value;
        }
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
